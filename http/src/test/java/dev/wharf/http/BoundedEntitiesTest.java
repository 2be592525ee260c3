package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.ok;
import static dev.wharf.http.support.Fixtures.order;
import static dev.wharf.http.support.Fixtures.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.entity.OrderEntity;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose live entities are bounded far below its orders (decision 0014): orders are
 * passivated while their reviews run, and every review still ends, with the stock exactly spent.
 */
class BoundedEntitiesTest {
  private static final int LIMIT = 100;
  private static final List<String> SKUS = List.of("A", "B", "C", "D", "E");
  private static final int ORDERS_PER_SKU = 60;
  private static final long UNITS_PER_SKU = 40;

  @Test
  void reviewsFinishAndStockIsExactWhileOrdersArePassivatedUnderTheirLimit(@TempDir Path dataDir) throws Exception {
    Map<String, Object> bounded = Map.of("pekko.cluster.sharding.passivation.wharf-bounded.active-entity-limit", LIMIT);
    try (TestNode node = TestNode.start(dataDir, bounded)) {
      Api api = node.api();
      Fixtures.setUp(api, "WH1", "C1", "S1", true, SKUS.toArray(String[]::new));
      Map<String, Long> lines = new HashMap<>();
      SKUS.forEach(sku -> lines.put(sku, UNITS_PER_SKU));
      ok(receive(api, "WH1", "C1", "GRN-1", lines));

      // all at once, so that most reviews are in flight when their order is pushed out
      List<CompletableFuture<Api.Response>> sent = new ArrayList<>();
      for (int i = 0; i < ORDERS_PER_SKU * SKUS.size(); i++) {
        sent.add(api.sendAsync("POST", "/v1/stores/S1/orders", order("BND-" + i, "P-" + SKUS.get(i % SKUS.size()), 1)));
      }
      Map<String, String> skuByOrderId = new HashMap<>();
      for (int i = 0; i < sent.size(); i++) {
        Api.Response r = sent.get(i).join();
        assertEquals(201, r.status(), r::toString);
        skuByOrderId.put(r.text("orderId"), SKUS.get(i % SKUS.size()));
      }

      Map<String, String> states = awaitNoReviewOpen(api, skuByOrderId.keySet());
      for (String sku : SKUS) {
        long allocated = states.entrySet().stream()
            .filter(e -> skuByOrderId.get(e.getKey()).equals(sku) && e.getValue().equals("ALLOCATED")).count();
        Api.Response level = api.get("/v1/warehouses/WH1/stock/C1/" + sku);
        assertEquals(UNITS_PER_SKU, allocated, sku + ": every unit went to an order");
        assertEquals(UNITS_PER_SKU, level.body().path("reserved").asLong(), level::toString);
      }
      int live = liveOrders(node);
      assertTrue(live <= LIMIT, "live order entities " + live + " within the limit " + LIMIT);
    }
  }

  /** Reads every order until none is REVIEWING; each must end ALLOCATED or REVIEW_FAILED. */
  private static Map<String, String> awaitNoReviewOpen(Api api, java.util.Collection<String> orderIds)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      Map<String, String> states = new HashMap<>();
      orderIds.stream().map(id -> api.getAsync("/v1/orders/" + id)).toList()
          .forEach(f -> states.put(f.join().text("orderId"), f.join().text("state")));
      if (states.values().stream().noneMatch("REVIEWING"::equals)) {
        states.forEach((id, state) -> assertTrue(state.equals("ALLOCATED") || state.equals("REVIEW_FAILED"), id + " " + state));
        return states;
      }
      assertTrue(Instant.now().isBefore(deadline), () -> "reviews still open: " + states.values().stream()
          .filter("REVIEWING"::equals).count());
      Thread.sleep(200);
    }
  }

  private static int liveOrders(TestNode node) {
    return node.liveEntityIds(OrderEntity.TYPE_KEY).size();
  }
}
