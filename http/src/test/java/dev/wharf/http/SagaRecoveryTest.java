package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.OrderIds;
import dev.wharf.engine.persistence.H2Journal;
import dev.wharf.engine.serialization.WharfProtoSerializer;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.TestNode;
import dev.wharf.proto.ClientDefined;
import dev.wharf.proto.Line;
import dev.wharf.proto.OrderIngested;
import dev.wharf.proto.OrderIngestedForReview;
import dev.wharf.proto.Routing;
import dev.wharf.proto.OrderRemovedFromPackage;
import dev.wharf.proto.OrderReviewStarted;
import dev.wharf.proto.PackageShipped;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
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

  /**
   * Merge group operations a crash cut off after their event was written: a ship the package's
   * orders never heard of, and a removal its order never heard of. Nobody asks for these groups
   * again (the packing index dropped them once built), so the starting node must find and wake
   * them: the orders ship, and the removed order is released and packed by the next build.
   */
  @ParameterizedTest
  @ValueSource(strings = {"journal-scan", "tag"})
  void aStartingNodeFinishesPackageOperationsItsOrdersNeverHeardOf(String strategy, @TempDir Path dataDir) throws Exception {
    Map<String, Object> settings = Map.of("wharf.saga-recovery.strategy", strategy);
    String shipping;
    String removing;
    List<String> shipped;
    String removed;
    try (TestNode node = TestNode.start(dataDir, settings)) {
      Api api = node.api();
      Fixtures.setUp(api, "W1", "C1", "S1", false, "CUP");
      ok(api.put("/v1/carriers/JNT", Api.obj().put("name", "J&T").put("maxOrdersPerPackage", 10)));
      ok(Fixtures.receive(api, "W1", "C1", "GRN-1", Map.of("CUP", 100L)));
      shipped = List.of(released(api, "A1", "Ana"), released(api, "A2", "Ana"));
      removed = released(api, "B1", "Ben");
      JsonNode built = api.post("/v1/warehouses/W1/packages:build", Api.obj().put("carrier", "JNT")).body();
      assertEquals(2, built.path("packages").size(), built::toString);
      shipping = packageOf(built, shipped.get(0));
      removing = packageOf(built, removed);
    }
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/journal/wharf;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      append(c, "MergeGroup|" + Identifiers.mergeGroupOfPackage(shipping),
          PackageShipped.newBuilder().setPackageId(shipping).setCarrier("JNT").setTrackingNo("JT-CUT").build());
      append(c, "MergeGroup|" + Identifiers.mergeGroupOfPackage(removing), OrderRemovedFromPackage.newBuilder()
          .setPackageId(removing).setOrderId(removed).setReason("damaged").setBackToWaiting(true).build());
    }
    try (TestNode node = TestNode.start(dataDir, settings)) {
      Api api = node.api();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      long shippedUnits;
      do {
        shippedUnits = api.get("/v1/warehouses/W1/stock/C1/CUP").body().path("shipped").asLong();
      } while (shippedUnits != 2 && Instant.now().isBefore(deadline));
      assertEquals(2, shippedUnits, "the cut-off ship reached its orders without anyone asking");
      for (String id : shipped) {
        assertEquals("JT-CUT", api.get("/v1/orders/" + id).text("trackingNo"));
      }
      JsonNode rebuilt;
      do {
        rebuilt = api.post("/v1/warehouses/W1/packages:build", Api.obj().put("carrier", "JNT")).body();
      } while (rebuilt.path("packages").isEmpty() && Instant.now().isBefore(deadline));
      assertEquals(List.of(removed), List.of(rebuilt.path("packages").get(0).path("orderIds").get(0).asText()),
          "the removed order was told, went back to its group, and the group back on the index: " + rebuilt);
    }
  }

  private static String released(Api api, String platformOrderNo, String recipientName) {
    var body = Fixtures.order(platformOrderNo, "P-CUP", 1);
    ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("recipient")).put("name", recipientName);
    String id = api.post("/v1/stores/S1/orders", body).text("orderId");
    assertEquals("ALLOCATED", api.post("/v1/orders/" + id + "/review", null).text("state"));
    assertEquals("RELEASED", api.post("/v1/orders/" + id + "/release", null).text("state"));
    return id;
  }

  private static String packageOf(JsonNode built, String orderId) {
    for (JsonNode p : built.path("packages")) {
      for (JsonNode id : p.path("orderIds")) {
        if (id.asText().equals(orderId)) {
          return p.path("packageId").asText();
        }
      }
    }
    throw new AssertionError(orderId + " is in no package: " + built);
  }

  /** The group's next event, as its entity would have written it just before the node died. */
  private static void append(Connection c, String persistenceId, Message event) throws Exception {
    long seq;
    try (PreparedStatement q = c.prepareStatement("SELECT MAX(\"sequence_number\") FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ?")) {
      q.setString(1, persistenceId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
    }
    assertTrue(seq > 0, "no events for " + persistenceId);
    write(c, persistenceId, seq + 1, event, true);
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
