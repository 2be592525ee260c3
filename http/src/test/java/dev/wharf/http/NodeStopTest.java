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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped node has let go of its journal: no connection of its own is left open in the
 * database (the journal plugin's pool, the probe's, the compaction rounds'), so the data dir can
 * be deleted or opened by another process at once.
 */
class NodeStopTest {
  @Test
  void aStoppedNodeLeavesNoConnectionToItsJournal(@TempDir Path dataDir) throws Exception {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/journal/wharf;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    // compaction rounds every 100 ms: several run on their own connection while the node works
    try (TestNode node = TestNode.start(dataDir, Map.of("wharf.h2.compact-every", "100ms"))) {
      Api api = node.api();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (api.get("/ready").status() != 200 && Instant.now().isBefore(deadline)) {
        Thread.onSpinWait();
      }
      assertEquals(200, api.get("/ready").status(), "the journal's probe answered");
      Fixtures.setUp(api, "WH1", "C1", "S1", true, "CUP");
      ok(receive(api, "WH1", "C1", "GRN-1", Map.of("CUP", 5L)));
      assertEquals(201, api.post("/v1/stores/S1/orders", order("STOP-1", "P-CUP", 2)).status());
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
      r.next();
      assertEquals(1, r.getLong(1), "only this test's own session is open in the journal");
    }
  }
}
