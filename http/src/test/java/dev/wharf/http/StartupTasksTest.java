package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.ok;
import static dev.wharf.http.support.Fixtures.order;
import static dev.wharf.http.support.Fixtures.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.engine.entity.WarehouseEntity;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.TestNode;
import dev.wharf.proto.Coverage;
import dev.wharf.proto.DefineWarehouse;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node does once when it starts, before it is ready (StartupTask). */
class StartupTasksTest {

  /**
   * A warehouse whose definition was written but whose directory write was not (a crash or a
   * failed write between the two) is routed to again after a restart: the start syncs the directory.
   */
  @Test
  void aWarehouseMissingFromTheDirectoryIsRoutedToAfterARestart(@TempDir Path dataDir) throws Exception {
    String covering = "WCOV";
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      Fixtures.setUp(api, "WH1", "C1", "S1", true, "CUP");
      // the warehouse entity alone, as a PUT cut off before its directory write leaves it
      WarehouseReply defined = ClusterSharding.get(node.system())
          .entityRefFor(WarehouseEntity.TYPE_KEY, covering)
          .<WarehouseReply>ask(replyTo -> new WarehouseEntity.Request(WarehouseCommand.newBuilder()
              .setDefine(DefineWarehouse.newBuilder().setName("Covers PH").setCountry("PH")
                  .addCoverage(Coverage.newBuilder().setCountry("PH")))
              .build(), replyTo), Duration.ofSeconds(10))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(covering, defined.getWarehouse().getWarehouseId(), defined::toString);
      ok(receive(api, covering, "C1", "GRN-1", Map.of("CUP", 10L)));
      String beforeId = api.post("/v1/stores/S1/orders", order("BEFORE-RESTART", "P-CUP", 1)).text("orderId");
      JsonNode before = api.get("/v1/orders/" + beforeId).body();
      assertEquals("STORE_DEFAULT", before.path("routing").path("rule").asText(), "the directory lacks it: " + before);
    }
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      String afterId = api.post("/v1/stores/S1/orders", order("AFTER-RESTART", "P-CUP", 1)).text("orderId");
      JsonNode after = api.get("/v1/orders/" + afterId).body();
      assertEquals(covering, after.path("warehouseId").asText(), after::toString);
      assertEquals("COVERAGE", after.path("routing").path("rule").asText(), after::toString);
    }
  }
}
