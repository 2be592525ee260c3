package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.ok;
import static dev.wharf.http.support.Fixtures.order;
import static dev.wharf.http.support.Fixtures.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.http.support.Api;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New journals keep event payloads in the row (VARBINARY, decision 0013); a journal created with
 * the plugin's original BLOB column keeps working across restarts.
 */
class JournalSchemaTest {
  private static String url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/journal/wharf;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  private static String payloadType(Path dataDir) throws Exception {
    try (Connection c = DriverManager.getConnection(url(dataDir), "sa", "");
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
             + "WHERE TABLE_NAME = 'event_journal' AND COLUMN_NAME = 'event_payload'")) {
      r.next();
      return r.getString(1);
    }
  }

  /** Orders written, the node restarted, the orders and the stock read back. */
  private static void writeRestartRead(Path dataDir) throws Exception {
    String id;
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      Fixtures.setUp(api, "WH1", "C1", "S1", false, "CUP");
      ok(receive(api, "WH1", "C1", "GRN-1", Map.of("CUP", 5L)));
      id = api.post("/v1/stores/S1/orders", order("SCHEMA-1", "P-CUP", 2)).text("orderId");
      // a review answers once it has finished
      assertEquals("ALLOCATED", api.post("/v1/orders/" + id + "/review", null).text("state"));
    }
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      assertEquals("ALLOCATED", api.get("/v1/orders/" + id).text("state"));
      assertEquals(3, api.get("/v1/warehouses/WH1/stock/C1/CUP").body().path("available").asLong());
    }
  }

  @Test
  void aNewJournalKeepsEventPayloadsInTheRow(@TempDir Path dataDir) throws Exception {
    writeRestartRead(dataDir);
    assertEquals("BINARY VARYING", payloadType(dataDir));
  }

  @Test
  void aJournalWithThePluginsBlobColumnStillWorks(@TempDir Path dataDir) throws Exception {
    try (Connection c = DriverManager.getConnection(url(dataDir), "sa", "");
         Statement s = c.createStatement()) {
      // pekko-persistence-jdbc 1.1.1's own DDL for the journal table
      s.execute("CREATE TABLE PUBLIC.\"event_journal\" (\"ordering\" BIGINT UNIQUE NOT NULL AUTO_INCREMENT, "
          + "\"deleted\" BOOLEAN DEFAULT false NOT NULL, \"persistence_id\" VARCHAR(255) NOT NULL, "
          + "\"sequence_number\" BIGINT NOT NULL, \"writer\" VARCHAR NOT NULL, \"write_timestamp\" BIGINT NOT NULL, "
          + "\"adapter_manifest\" VARCHAR NOT NULL, \"event_payload\" BLOB NOT NULL, \"event_ser_id\" INTEGER NOT NULL, "
          + "\"event_ser_manifest\" VARCHAR NOT NULL, \"meta_payload\" BLOB, \"meta_ser_id\" INTEGER, "
          + "\"meta_ser_manifest\" VARCHAR, PRIMARY KEY(\"persistence_id\",\"sequence_number\"))");
    }
    writeRestartRead(dataDir);
    assertEquals("BINARY LARGE OBJECT", payloadType(dataDir));
  }
}
