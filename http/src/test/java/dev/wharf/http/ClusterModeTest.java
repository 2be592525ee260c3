package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.ok;
import static dev.wharf.http.support.Fixtures.order;
import static dev.wharf.http.support.Fixtures.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.CassandraNode;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.NdjsonSocket;
import dev.wharf.http.support.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode on real processes: a Cassandra node started by deploy/bin/cassandra and three
 * Wharf JVMs that bootstrap one cluster through pekko-management. Orders go in through two nodes;
 * the third is killed -9 while they flow; the survivors take over its shards, every acknowledged
 * order is there, nothing is oversold and no review stays open. Then Cassandra stops: writes get
 * 503 JOURNAL_UNAVAILABLE; it starts again and the same nodes carry on without a restart.
 */
class ClusterModeTest {
  private static final String TOKEN = "cluster-test-token-0123456789";
  private static final List<String> SKUS = List.of("S0", "S1", "S2", "S3", "S4");
  private static final long UNITS_PER_SKU = 60;
  private static final int ORDERS = 600;

  private final Map<String, String> orderIdByNo = new LinkedHashMap<>();

  @Test
  void threeNodesOnCassandraSurviveANodeKillAndACassandraOutage(@TempDir Path root) throws Exception {
    int[] management = {CassandraNode.freePort(), CassandraNode.freePort(), CassandraNode.freePort(), CassandraNode.freePort()};
    int[] metrics = {CassandraNode.freePort(), CassandraNode.freePort(), CassandraNode.freePort(), CassandraNode.freePort()};
    String contactPoints = "127.0.0.1:" + management[0] + ",127.0.0.1:" + management[1] + ",127.0.0.1:" + management[2];

    try (CassandraNode cassandra = CassandraNode.start(root.resolve("cassandra"))) {
      Map<String, String> common = Map.of(
          "WHARF_MODE", "cluster",
          "WHARF_CONTACT_POINTS", contactPoints,
          "WHARF_REQUIRED_CONTACT_POINTS", "3",
          "WHARF_CASSANDRA_CONTACT_POINTS", cassandra.contactPoint(),
          "WHARF_REMOTE_PORT", "0",
          "WHARF_SBR_STABLE_AFTER", "5s",
          // tag buckets from today, whatever the machine's date
          "WHARF_TAG_FIRST_DAY", LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "T00:00");
      List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Map<String, String> env = new HashMap<>(common);
        env.put("WHARF_MANAGEMENT_PORT", String.valueOf(management[i]));
        env.put("WHARF_METRICS_PORT", String.valueOf(metrics[i]));
        Path dataDir = root.resolve("node-" + i);
        starting.add(CompletableFuture.supplyAsync(() -> startNode(dataDir, env)));
      }
      List<NodeProcess> nodes = startedOrNone(starting);
      try (NodeProcess a = nodes.get(0); NodeProcess b = nodes.get(1); NodeProcess c = nodes.get(2)) {
        Api apiA = a.api(TOKEN);
        Api apiB = b.api(TOKEN);
        Api managementA = new Api("http://127.0.0.1:" + management[0], null);
        for (int port : new int[] {management[0], management[1], management[2]}) {
          Api m = new Api("http://127.0.0.1:" + port, null);
          await("node on management port " + port + " ready", Duration.ofSeconds(120), () -> m.get("/ready").status() == 200);
        }
        await("A sees three members Up", Duration.ofSeconds(60), () -> upMembers(managementA) == 3);

        // master data through A, stock through B: every node sees the same entities
        Fixtures.setUp(apiA, "WH1", "C1", "S1", true, SKUS.toArray(String[]::new));
        Map<String, Long> lines = new HashMap<>();
        SKUS.forEach(s -> lines.put(s, UNITS_PER_SKU));
        ok(receive(apiB, "WH1", "C1", "GRN-1", lines));

        // orders through A and B; C is killed -9 while the second wave is in flight
        List<String> acknowledged = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        sendWave(apiA, apiB, 0, 200, acknowledged, unanswered);
        List<CompletableFuture<Void>> secondWave = new ArrayList<>();
        secondWave.add(CompletableFuture.runAsync(() -> sendWave(apiA, apiB, 200, ORDERS, acknowledged, unanswered)));
        await("some of the second wave acknowledged", Duration.ofSeconds(60), () -> count(acknowledged) >= 260);
        int outputOfAAtKill = a.output().length();
        int outputOfBAtKill = b.output().length();
        c.kill();
        secondWave.forEach(CompletableFuture::join);
        assertTrue(count(acknowledged) >= 260, "orders were acknowledged around the kill");

        // the survivors down C (split brain resolver) and own its shards
        await("C removed from the cluster", Duration.ofSeconds(90), () -> upMembers(managementA) == 2
            && managementA.get("/cluster/members").body().path("members").size() == 2);
        // the saga watchdog (a singleton: it stays on A or B, or moves there if it ran on C) scanned
        // for the reviews C left open and woke them, before anything below touches an order
        await("a survivor's saga watchdog scanned after C died", Duration.ofSeconds(60), () ->
            a.output().indexOf("saga scan done", outputOfAAtKill) > 0 || b.output().indexOf("saga scan done", outputOfBAtKill) > 0,
            () -> "A:\n" + sagaLines(a.output()) + "B:\n" + sagaLines(b.output()));
        // a connector retries what got no answer; the same platform order number never makes a second order
        for (String no : new ArrayList<>(unanswered)) {
          Api.Response r = retryUntilAnswered(apiA, no);
          orderIdByNo.put(no, r.text("orderId"));
        }
        Map<String, String> states = awaitReviewsClosed(apiB, orderIdByNo.values());
        assertEquals(ORDERS, orderIdByNo.size(), "one order per platform order number");
        for (String no : acknowledged) {
          assertTrue(states.containsKey(orderIdByNo.get(no)), "acknowledged order " + no + " is there");
        }
        assertStockMatchesOrders(apiA, states);

        // a client's ledger and statements are read from Cassandra's journal through any node
        ObjectNode adjustment = Api.obj().put("kind", "ADJUSTMENT").put("reference", "ADJ-1");
        adjustment.putObject("amount").put("amount", 500).put("currency", "USD");
        ok(apiA.post("/v1/clients/C1/adjustments", adjustment));
        JsonNode entries = apiB.get("/v1/clients/C1/ledger").body().path("entries");
        assertEquals("ADJ-1", entries.get(entries.size() - 1).path("sourceId").asText(), entries::toString);
        Api.Response statement = apiB.post("/v1/clients/C1/statements", Api.obj());
        assertEquals(201, statement.status(), statement::toString);
        JsonNode listed = apiA.get("/v1/clients/C1/statements").body().path("statements");
        assertEquals(statement.body(), listed.get(0), "listed as it was closed");

        // a node added now joins the running cluster and serves the same data
        Map<String, String> envD = new HashMap<>(common);
        envD.put("WHARF_MANAGEMENT_PORT", String.valueOf(management[3]));
        envD.put("WHARF_METRICS_PORT", String.valueOf(metrics[3]));
        try (NodeProcess d = startNode(root.resolve("node-3"), envD)) {
          Api managementD = new Api("http://127.0.0.1:" + management[3], null);
          await("D ready", Duration.ofSeconds(120), () -> managementD.get("/ready").status() == 200);
          await("A sees A, B and D Up", Duration.ofSeconds(60), () -> upMembers(managementA) == 3);
          String someOrder = orderIdByNo.values().iterator().next();
          assertEquals(states.get(someOrder), d.api(TOKEN).get("/v1/orders/" + someOrder).text("state"));

          // a stream begun before the outage: a line sent during it is refused at once, known not written
          NdjsonSocket stream = new NdjsonSocket(apiA.base(), TOKEN, "/v1/stores/S1/orders:stream");
          stream.send(order("STREAM-1", "P-S0", 1).toString());
          String streamedFirst = dev.wharf.engine.domain.OrderIds.orderId("S1", "STREAM-1");
          await("the stream's first line written", Duration.ofSeconds(60),
              () -> apiB.get("/v1/orders/" + streamedFirst).status() == 200);
          orderIdByNo.put("STREAM-1", streamedFirst);

          // Cassandra goes away: writes are refused with a clear 503, nothing acknowledged is lost
          cassandra.stop();
          int[] attempt = {0};
          await("writes refused with JOURNAL_UNAVAILABLE", Duration.ofSeconds(60), () -> {
            Api.Response r = apiA.post("/v1/stores/S1/orders", order("OUTAGE-" + attempt[0]++, "P-S0", 1));
            assertFalse(r.status() >= 200 && r.status() < 300, () -> "a write succeeded with Cassandra stopped: " + r);
            return r.status() == 503 && r.errorCode().equals("JOURNAL_UNAVAILABLE");
          });
          stream.send(order("STREAM-2", "P-S0", 1).toString());
          List<JsonNode> streamResults = stream.finish();
          stream.close();
          assertEquals(List.of(1L, 2L), streamResults.stream().map(n -> n.path("line").asLong()).toList(), streamResults::toString);
          assertEquals("JOURNAL_UNAVAILABLE", streamResults.get(1).path("error").path("code").asText(), streamResults::toString);
          Api.Response refused = apiB.post("/v1/warehouses/WH1/receipts", Api.obj().put("clientId", "C1").put("reference", "GRN-X")
              .set("lines", Api.JSON.createArrayNode().add(Api.obj().put("sku", "S0").put("qty", 1))));
          assertEquals(503, refused.status(), refused::toString);
          assertTrue(refused.body().path("error").path("message").asText().contains("Cassandra"), refused::toString);
          // pekko-management answers "Not Healthy" with 500
          await("management readiness turns red", Duration.ofSeconds(30), () -> managementA.get("/ready").status() != 200);

          // Cassandra is back: the same node processes write again, without a restart
          cassandra.restart();
          await("A writes again", Duration.ofSeconds(120), () ->
              receive(apiA, "WH1", "C1", "GRN-2", Map.of("S0", 100L)).status() == 200);
          await("management readiness green again", Duration.ofSeconds(60), () -> managementA.get("/ready").status() == 200);
          // the connector re-sends what was refused (a refused write may not have been refused everywhere: count them all)
          for (int i = 0; i < attempt[0]; i++) {
            orderIdByNo.put("OUTAGE-" + i, retryUntilAnswered(apiA, "OUTAGE-" + i).text("orderId"));
          }
          Api.Response after = retryUntilAnswered(apiB, "AFTER-OUTAGE");
          assertEquals(201, after.status(), after::toString);
          orderIdByNo.put("AFTER-OUTAGE", after.text("orderId"));

          Map<String, String> statesAfter = awaitReviewsClosed(apiA, orderIdByNo.values());
          assertEquals("ALLOCATED", statesAfter.get(after.text("orderId")), "new stock, new order, reviewed");
          states.forEach((id, state) -> assertEquals(state, statesAfter.get(id), "order " + id + " as it was before the outage"));
          Api.Response s0 = apiA.get("/v1/warehouses/WH1/stock/C1/S0");
          assertEquals(UNITS_PER_SKU + 100, s0.body().path("onHand").asLong(), s0::toString);
          long allocatedS0 = orderIdByNo.entrySet().stream()
              .filter(e -> skuOf(e.getKey()).equals("S0") && statesAfter.get(e.getValue()).equals("ALLOCATED")).count();
          assertEquals(allocatedS0, s0.body().path("reserved").asLong(), "S0 reservations match its allocated orders");

          // pekko-management's leave, asked of A for D: D hands its shards off and its JVM exits
          String addressOfD = managementD.get("/cluster/members").text("selfNode");
          int leave = formPut("http://127.0.0.1:" + management[0] + "/cluster/members/" + addressOfD, "operation=Leave");
          assertEquals(200, leave, "leave accepted");
          await("D left and exited", Duration.ofSeconds(90), () -> !d.isAlive() && upMembers(managementA) == 2
              && managementA.get("/cluster/members").body().path("members").size() == 2);
          assertEquals(states.get(someOrder), apiB.get("/v1/orders/" + someOrder).text("state"), "D's shards moved back");

          // metrics: Prometheus text from every live node's Kamon reporter
          Api scrapeA = new Api("http://127.0.0.1:" + metrics[0], null);
          await("A's metrics carry orders, reviews and HTTP routes", Duration.ofSeconds(60), () -> {
            String text = scrapeA.get("/metrics").raw();
            return text.contains("wharf_orders_ingested_total") && text.contains("wharf_reviews_total{outcome=\"ALLOCATED\"}")
                && text.contains("route=\"/v1/stores/{storeId}/orders\"") && text.contains("wharf_entities_alive{type=\"Order\"}") && text.contains("wharf_entities_alive{type=\"SkuStock\"}")
                && text.contains("wharf_cluster_members") && text.contains("jvm_memory");
          });
        }
      }
    }
  }

  /** Every node once all have started; if one did not, the others are stopped rather than left running. */
  private static List<NodeProcess> startedOrNone(List<CompletableFuture<NodeProcess>> starting)
      throws InterruptedException {
    CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    if (starting.stream().anyMatch(CompletableFuture::isCompletedExceptionally)) {
      for (CompletableFuture<NodeProcess> f : starting) {
        if (!f.isCompletedExceptionally()) {
          f.join().close();
        }
      }
      starting.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst().orElseThrow().join();
    }
    return starting.stream().map(CompletableFuture::join).toList();
  }

  private static NodeProcess startNode(Path dataDir, Map<String, String> env) {
    try {
      return NodeProcess.start(dataDir, TOKEN, env);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Orders [from, to): even numbers through A, odd through B, all in flight at once. */
  private void sendWave(Api a, Api b, int from, int to, List<String> acknowledged, List<String> unanswered) {
    Map<String, CompletableFuture<Api.Response>> sent = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      String no = "ORD-" + i;
      sent.put(no, (i % 2 == 0 ? a : b).sendAsync("POST", "/v1/stores/S1/orders", order(no, "P-" + skuOf(no), 1))
          .exceptionally(e -> new Api.Response(0, Api.obj(), e.toString())));
    }
    sent.forEach((no, future) -> {
      Api.Response r = future.join();
      synchronized (this) {
        if (r.status() == 201) {
          acknowledged.add(no);
          orderIdByNo.put(no, r.text("orderId"));
        } else {
          unanswered.add(no);
        }
      }
    });
  }

  private synchronized int count(List<String> list) {
    return list.size();
  }

  /** Re-sends an order until it gets an answer (201 new, 200 already there). */
  private static Api.Response retryUntilAnswered(Api api, String platformOrderNo) throws InterruptedException {
    Api.Response[] last = new Api.Response[1];
    await("order " + platformOrderNo + " answered", Duration.ofSeconds(90), () -> {
      last[0] = api.post("/v1/stores/S1/orders", order(platformOrderNo, "P-" + skuOf(platformOrderNo), 1));
      return last[0].status() == 200 || last[0].status() == 201;
    });
    return last[0];
  }

  /** ORD-i orders SKU i mod 5; every other order (outage, after) orders S0. */
  private static String skuOf(String platformOrderNo) {
    return platformOrderNo.startsWith("ORD-")
        ? SKUS.get(Integer.parseInt(platformOrderNo.substring(4)) % SKUS.size())
        : "S0";
  }

  /** Every order's state once none is REVIEWING any more. */
  private static Map<String, String> awaitReviewsClosed(Api api, java.util.Collection<String> orderIds) throws InterruptedException {
    Map<String, String> states = new LinkedHashMap<>();
    await("no review left open", Duration.ofSeconds(120), () -> {
      states.clear();
      List<CompletableFuture<Api.Response>> reads = orderIds.stream().map(id -> api.getAsync("/v1/orders/" + id)).toList();
      for (CompletableFuture<Api.Response> read : reads) {
        Api.Response r = read.join();
        if (r.status() != 200) {
          return false;
        }
        states.put(r.text("orderId"), r.text("state"));
      }
      return states.values().stream().noneMatch("REVIEWING"::equals);
    });
    states.forEach((id, state) -> assertTrue(state.equals("ALLOCATED") || state.equals("REVIEW_FAILED"), id + " ended " + state));
    return states;
  }

  /** Per SKU: reserved units = allocated orders (one unit each), never more than on hand. */
  private void assertStockMatchesOrders(Api api, Map<String, String> states) {
    Map<String, Long> allocatedBySku = new HashMap<>();
    orderIdByNo.forEach((no, id) -> {
      if ("ALLOCATED".equals(states.get(id))) {
        allocatedBySku.merge(skuOf(no), 1L, Long::sum);
      }
    });
    for (String sku : SKUS) {
      JsonNode level = api.get("/v1/warehouses/WH1/stock/C1/" + sku).body();
      long reserved = level.path("reserved").asLong();
      assertEquals(UNITS_PER_SKU, level.path("onHand").asLong(), sku);
      assertEquals(allocatedBySku.getOrDefault(sku, 0L), reserved, sku + ": reservations match allocated orders");
      // 120 single-unit orders per SKU for 60 units, every one reviewed: all units go, none twice
      assertEquals(UNITS_PER_SKU, reserved, sku + " fully allocated, not oversold");
    }
  }

  private static int formPut(String url, String form) throws Exception {
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(form))
        .build();
    return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int upMembers(Api management) {
    JsonNode members = management.get("/cluster/members").body().path("members");
    int up = 0;
    for (JsonNode m : members) {
      if (m.path("status").asText().equals("Up")) {
        up++;
      }
    }
    return up;
  }

  /** Polls a condition (state over HTTP) until it holds; fails with what it was waiting for. */
  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    await(what, timeout, condition, () -> "");
  }

  /** As above; a failure also tells what {@code diagnosis} finds then (a node's log lines, say). */
  private static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnosis)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what + "\n" + diagnosis.get());
      }
      Thread.sleep(250);
    }
  }

  /** A node's log lines about membership, singletons and saga scans. */
  private static String sagaLines(String output) {
    StringBuilder lines = new StringBuilder();
    output.lines()
        .filter(l -> l.contains("SagaWatchdog") || l.contains("SagaRecoveryDriver") || l.contains("SplitBrainResolver")
            || l.contains("Singleton") || l.contains("ERROR"))
        .forEach(l -> lines.append(l, 0, Math.min(l.length(), 400)).append('\n'));
    return lines.toString();
  }
}
