package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.ok;
import static dev.wharf.http.support.Fixtures.order;
import static dev.wharf.http.support.Fixtures.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real node right after 2xx answers, then a restart on the same data dir: every
 * acknowledged write is there, and orders caught mid-review finish their review by themselves.
 */
class CrashRecoveryTest {
  private static final String TOKEN = "crash-test-token-0123456789";

  @Test
  void aKilledNodeLosesNoAcknowledgedWrite(@TempDir Path dataDir) throws Exception {
    List<String> acknowledged = new ArrayList<>();
    String shippedId;
    String voidedId;
    String frozenId;
    String firstBurstNo = null;
    Api.Response firstStatement;
    try (NodeProcess node = NodeProcess.start(dataDir, TOKEN)) {
      Api api = node.api(TOKEN);
      Fixtures.setUp(api, "WH1", "C1", "S1", true, "HOT", "CUP");
      ok(receive(api, "WH1", "C1", "GRN-1", Map.of("HOT", 60L, "CUP", 10L)));
      ok(api.post("/v1/clients/C1/adjustments", adjustment(500, "ADJ-1")));

      shippedId = api.post("/v1/stores/S1/orders", order("SHIP-1", "P-CUP", 2)).text("orderId");
      assertEquals("ALLOCATED", api.post("/v1/orders/" + shippedId + "/review", null).text("state"));
      ok(api.post("/v1/orders/" + shippedId + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "JT-1")));
      voidedId = api.post("/v1/stores/S1/orders", order("VOID-1", "P-CUP", 3)).text("orderId");
      api.post("/v1/orders/" + voidedId + "/review", null);
      ok(api.post("/v1/orders/" + voidedId + "/void", null));
      frozenId = api.post("/v1/stores/S1/orders", order("FRZ-1", "P-CUP", 1)).text("orderId");
      api.post("/v1/orders/" + frozenId + "/review", null);
      ok(api.post("/v1/orders/" + frozenId + "/freeze", null));
      firstStatement = api.post("/v1/clients/C1/statements", Api.obj());
      assertEquals(201, firstStatement.status(), firstStatement::toString);
      ok(api.post("/v1/clients/C1/adjustments", adjustment(200, "ADJ-2")));

      // a burst of auto-reviewed orders for more than there is; the kill lands while reviews run
      List<CompletableFuture<Api.Response>> burst = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        burst.add(api.sendAsync("POST", "/v1/stores/S1/orders", order("BURST-" + i, "P-HOT", 1)));
      }
      for (CompletableFuture<Api.Response> f : burst) {
        Api.Response r = f.join();
        assertEquals(201, r.status(), r::toString);
        acknowledged.add(r.text("orderId"));
        firstBurstNo = firstBurstNo == null ? r.text("orderNo") : firstBurstNo;
      }
      node.kill();
    }

    try (NodeProcess node = NodeProcess.start(dataDir, TOKEN)) {
      Api api = node.api(TOKEN);
      // a connector re-sends an order after the restart: the same order comes back, nothing new
      Api.Response again = api.post("/v1/stores/S1/orders", order("BURST-0", "P-HOT", 1));
      assertEquals(200, again.status(), again::toString);
      assertEquals(acknowledged.get(0), again.text("orderId"));
      assertEquals(firstBurstNo, again.text("orderNo"));
      // master data and stock survived
      assertEquals(200, api.get("/v1/stores/S1").status());
      assertEquals(2, api.get("/v1/stores/S1/sku-mappings").body().path("mappings").size());
      Api.Response cup = api.get("/v1/warehouses/WH1/stock/C1/CUP");
      assertEquals(8, cup.body().path("onHand").asLong(), cup::toString);
      assertEquals(1, cup.body().path("reserved").asLong(), "only the frozen order holds CUP");
      assertEquals("SHIPPED", api.get("/v1/orders/" + shippedId).text("state"));
      assertEquals("JT-1", api.get("/v1/orders/" + shippedId).text("trackingNo"));
      assertEquals("VOID", api.get("/v1/orders/" + voidedId).text("state"));
      assertEquals("FROZEN", api.get("/v1/orders/" + frozenId).text("state"));
      ok(receive(api, "WH1", "C1", "GRN-1", Map.of("HOT", 60L, "CUP", 10L)));
      assertEquals(8, api.get("/v1/warehouses/WH1/stock/C1/CUP").body().path("onHand").asLong(), "receipt not applied twice");

      // every acknowledged order exists and none stays stuck in review
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      List<String> states;
      do {
        states = acknowledged.stream().map(id -> api.get("/v1/orders/" + id)).peek(r -> assertEquals(200, r.status(), r::toString))
            .map(r -> r.text("state")).toList();
      } while (states.contains("REVIEWING") && Instant.now().isBefore(deadline));
      assertTrue(states.stream().allMatch(s -> s.equals("ALLOCATED") || s.equals("REVIEW_FAILED")), states::toString);
      long allocated = states.stream().filter("ALLOCATED"::equals).count();
      assertEquals(60, allocated, "60 units, 150 single-unit orders: exactly 60 allocated");
      Api.Response hot = api.get("/v1/warehouses/WH1/stock/C1/HOT");
      assertEquals(60, hot.body().path("onHand").asLong());
      assertEquals(allocated, hot.body().path("reserved").asLong(), "reservations match allocated orders");
      assertEquals(0, hot.body().path("available").asLong());

      // the client's ledger and statements are read back from the journal
      List<String> adjustments = new ArrayList<>();
      api.get("/v1/clients/C1/ledger").body().path("entries").forEach(e -> adjustments.add(e.path("sourceId").asText()));
      assertEquals(List.of("ADJ-1", "ADJ-2"), adjustments);
      Api.Response second = api.post("/v1/clients/C1/statements", Api.obj());
      assertEquals(201, second.status(), second::toString);
      assertEquals(firstStatement.body().path("lastEntryNo").asLong() + 1, second.body().path("firstEntryNo").asLong());
      assertEquals(200, second.body().path("totalCredits").path("amount").asLong(), "only what the first left open");
      assertEquals(700, second.body().path("closingBalance").path("amount").asLong());
      JsonNode statements = api.get("/v1/clients/C1/statements").body().path("statements");
      assertEquals(2, statements.size());
      assertEquals(firstStatement.text("statementNo"), statements.get(0).path("statementNo").asText());
    }
  }

  /**
   * The node compacts its journal file while orders are written (every 100 ms here; decision
   * 0022). Killed three times in the middle of that, it keeps every order it acknowledged; and it
   * reports its file's size as a metric.
   */
  @Test
  void killsWhileTheJournalFileIsCompactedLoseNoAcknowledgedOrder(@TempDir Path dataDir) throws Exception {
    int metricsPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      metricsPort = free.getLocalPort();
    }
    Map<String, String> compactOften = Map.of("WHARF_H2_COMPACT_EVERY", "100ms", "WHARF_METRICS", "on",
        "WHARF_METRICS_PORT", String.valueOf(metricsPort),
        // Kamon publishes on its tick, 10 s by default
        "JAVA_TOOL_OPTIONS", "-Dkamon.metric.tick-interval=1s");
    List<String> acknowledged = new ArrayList<>();
    for (int life = 0; life < 4; life++) {
      try (NodeProcess node = NodeProcess.start(dataDir, TOKEN, compactOften)) {
        Api api = node.api(TOKEN);
        for (String id : acknowledged) {
          Api.Response r = api.get("/v1/orders/" + id);
          assertEquals(200, r.status(), () -> "after kill " + acknowledged.size() + ": " + r);
        }
        if (life == 3) {
          long reported = awaitFileBytesMetric(new Api("http://127.0.0.1:" + metricsPort, null));
          long onDisk = Files.size(dataDir.resolve("journal").resolve("wharf.mv.db"));
          assertTrue(reported > 0 && reported <= 2 * onDisk, "wharf_h2_file_bytes " + reported + ", on disk " + onDisk);
          break;
        }
        if (life == 0) {
          Fixtures.setUp(api, "WH1", "C1", "S1", true, "HOT");
          ok(receive(api, "WH1", "C1", "GRN-1", Map.of("HOT", 10_000L)));
        }
        List<CompletableFuture<Api.Response>> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          burst.add(api.sendAsync("POST", "/v1/stores/S1/orders", order("L" + life + "-" + i, "P-HOT", 1)));
        }
        for (CompletableFuture<Api.Response> f : burst) {
          Api.Response r = f.join();
          assertEquals(201, r.status(), r::toString);
          acknowledged.add(r.text("orderId"));
        }
        node.kill();
      }
    }
    assertEquals(600, acknowledged.size());
  }

  /** The journal file's size as the node's Prometheus metrics give it, once they do. */
  private static long awaitFileBytesMetric(Api metrics) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      var line = metrics.get("/metrics").raw().lines().filter(l -> l.startsWith("wharf_h2_file_bytes ")).findFirst();
      if (line.isPresent()) {
        return (long) Double.parseDouble(line.get().substring("wharf_h2_file_bytes ".length()).trim());
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no wharf_h2_file_bytes in the node's metrics after 60 s");
  }

  private static ObjectNode adjustment(long amount, String reference) {
    ObjectNode body = Api.obj().put("kind", "ADJUSTMENT").put("reference", reference);
    body.putObject("amount").put("amount", amount).put("currency", "USD");
    return body;
  }
}
