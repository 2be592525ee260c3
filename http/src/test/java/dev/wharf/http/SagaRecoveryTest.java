package dev.wharf.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.OrderIds;
import dev.wharf.engine.persistence.H2Journal;
import dev.wharf.engine.serialization.WharfProtoSerializer;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.TestNode;
import dev.wharf.proto.ClientDefined;
import dev.wharf.proto.Line;
import dev.wharf.proto.OrderIngested;
import dev.wharf.proto.OrderIngestedForReview;
import dev.wharf.proto.Routing;
import dev.wharf.proto.OrderReviewStarted;
import dev.wharf.proto.ProductDefined;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.StockReceived;
import dev.wharf.proto.WarehouseDefined;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that starts on a journal holding an order whose review was opened and never closed
 * resumes that review by itself: the stock gets reserved although nobody asks for the order.
 */
class SagaRecoveryTest {
  /** {@code oneEvent}: the review was opened by ingest itself (OrderIngestedForReview), else by OrderReviewStarted. */
  @ParameterizedTest
  @CsvSource({"journal-scan,false", "tag,false", "journal-scan,true", "tag,true"})
  void aStartingNodeResumesReviewsLeftOpen(String strategy, boolean oneEvent, @TempDir Path dataDir) throws Exception {
    String orderId = OrderIds.orderId("S1", "LEFT-OPEN");
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/journal/wharf;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    H2Journal.ensureSchema(url, "sa", "");
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      write(c, "Warehouse|W1", 1, WarehouseDefined.newBuilder().setName("W").setCountry("PH").build(), false);
      write(c, "Client|C1", 1, ClientDefined.newBuilder().setName("C").setCode("HMKJ").setEmail("a@b").build(), false);
      write(c, "Client|C1", 2, ProductDefined.newBuilder().setSku("A").setName("A").build(), false);
      write(c, "SkuStock|" + Identifiers.stockEntityId("W1", "C1", "A"), 1,
          StockReceived.newBuilder().setReceiptRef("R1").setQty(5).build(), false);
      OrderIngested ingested = OrderIngested.newBuilder().setOrderId(orderId).setOrderNo("HMKJ-261122-00001")
          .setStoreId("S1").setClientId("C1").setPlatformOrderNo("LEFT-OPEN").setWarehouseId("W1")
          .addLines(Line.newBuilder().setSku("A").setQty(2))
          .setRecipient(Recipient.newBuilder().setName("n").setCountry("PH").setAddress1("x")).build();
      if (oneEvent) {
        write(c, "Order|" + orderId, 1, OrderIngestedForReview.newBuilder().setIngested(ingested)
            .setRouting(Routing.newBuilder().setWarehouseId("W1").setRule("STORE_DEFAULT")).build(), true);
      } else {
        write(c, "Order|" + orderId, 1, ingested, false);
        write(c, "Order|" + orderId, 2, OrderReviewStarted.getDefaultInstance(), true);
      }
    }
    System.setProperty("wharf.saga-recovery.strategy", strategy);
    com.typesafe.config.ConfigFactory.invalidateCaches(); // system properties are cached otherwise
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      long reserved;
      do {
        reserved = api.get("/v1/warehouses/W1/stock/C1/A").body().path("reserved").asLong();
      } while (reserved != 2 && Instant.now().isBefore(deadline));
      assertEquals(2, reserved, "the open review was resumed without anyone asking for the order");
      // the stock proves the resume; now the order may be read (and its allocation lands just after)
      String state;
      do {
        state = api.get("/v1/orders/" + orderId).text("state");
      } while (!state.equals("ALLOCATED") && Instant.now().isBefore(deadline));
      assertEquals("ALLOCATED", state);
    } finally {
      System.clearProperty("wharf.saga-recovery.strategy");
      com.typesafe.config.ConfigFactory.invalidateCaches();
    }
  }

  private static void write(Connection c, String persistenceId, long seq, Message event, boolean tagged) throws Exception {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", "
        + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", "
        + "\"event_ser_manifest\") VALUES (?, ?, 'test', 0, '', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, persistenceId);
      insert.setLong(2, seq);
      insert.setBytes(3, event.toByteArray());
      insert.setInt(4, WharfProtoSerializer.IDENTIFIER);
      insert.setString(5, event.getDescriptorForType().getFullName());
      insert.executeUpdate();
      if (tagged) {
        try (ResultSet keys = insert.getGeneratedKeys();
             PreparedStatement tag = c.prepareStatement("INSERT INTO PUBLIC.\"event_tag\" (\"event_id\", \"tag\") VALUES (?, 'order-saga')")) {
          keys.next();
          tag.setLong(1, keys.getLong(1));
          tag.executeUpdate();
        }
      }
    }
  }
}
