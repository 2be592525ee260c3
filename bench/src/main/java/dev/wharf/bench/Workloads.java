package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/** W1-W4 against a running node, each verified by reading the results back through the API. */
final class Workloads {
  /** What a workload measured and whether its result checked out. */
  record Outcome(String workload, Load.Result load, double completedPerSecond, double completionSeconds,
                 Map<String, Object> checks, boolean correct, CpuUse cpu) {}

  private final Load api;
  /** The node's Prometheus endpoint (reviews finished so far), or null when metrics are off. */
  private final String metricsUrl;
  private final java.net.http.HttpClient metricsClient = java.net.http.HttpClient.newHttpClient();

  /** Completes when the node's process exits: a wrk run against a dead node stops at once. */
  private final java.util.concurrent.CompletionStage<?> nodeExit;

  /** The node's CPU ticks per thread ({@link Node#cpuTicksByThread()}), sampled when a clock starts and stops. */
  private final java.util.function.Supplier<Map<String, Long>> nodeCpu;

  Workloads(Load api, String metricsUrl, Node node) {
    this.api = api;
    this.metricsUrl = metricsUrl;
    this.nodeExit = node.process.onExit();
    this.nodeCpu = node::cpuTicksByThread;
  }

  private CpuUse cpuSince(Map<String, Long> atStart) {
    return CpuUse.between(atStart, nodeCpu.get());
  }

  private void requireNodeRunning(String workload) {
    if (nodeExit.toCompletableFuture().isDone()) {
      throw new IllegalStateException("the node exited during " + workload);
    }
  }

  /**
   * Reviews the node has finished (wharf_reviews_total over every outcome), or -1 without metrics.
   * One small scrape: cheap enough to poll, unlike reading every order back.
   */
  private long reviewsFinished() {
    return metricSum("wharf_reviews_total{");
  }

  /** The sum of the node's metric lines that start with {@code prefix}, or -1 without metrics. */
  long metricSum(String prefix) {
    if (metricsUrl == null) {
      return -1;
    }
    try {
      String text = metricsClient.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metricsUrl)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return text.lines().filter(l -> l.startsWith(prefix))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private static final String VIEW_HITS = "wharf_order_view_reads_total{result=\"hit\"";
  private static final String VIEW_READS = "wharf_order_view_reads_total{";

  private void put(String path, ObjectNode body) {
    var r = api.send("PUT", path, body.toString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("PUT " + path + " -> " + r.statusCode() + " " + r.body());
    }
  }

  private void post(String path, ObjectNode body) {
    var r = api.send("POST", path, body.toString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + " " + r.body());
    }
  }

  private static ObjectNode obj() {
    return Load.JSON.createObjectNode();
  }

  /** A client with products, stock and a store mapping P-<sku> to each. */
  private void client(String warehouse, String client, String store, List<String> skus, long stockEach, boolean autoReview,
                      boolean autoRelease) {
    put("/v1/warehouses/" + warehouse, obj().put("name", warehouse).put("country", "PH"));
    put("/v1/clients/" + client, obj().put("name", client).put("code", OrderMix.clientCode(client)).put("email", "bench@" + client + ".test"));
    ObjectNode receipt = obj().put("clientId", client).put("reference", "GRN-" + client);
    ArrayNode lines = receipt.putArray("lines");
    for (String sku : skus) {
      put("/v1/clients/" + client + "/products/" + sku, obj().put("name", sku));
      lines.add(obj().put("sku", sku).put("qty", stockEach));
    }
    post("/v1/warehouses/" + warehouse + "/receipts", receipt);
    put("/v1/stores/" + store, obj().put("clientId", client).put("platform", "SHOPEE").put("shortName", store)
        .put("defaultWarehouseId", warehouse).put("autoReview", autoReview).put("autoRelease", autoRelease));
    for (String sku : skus) {
      ObjectNode mapping = obj();
      mapping.putArray("components").add(obj().put("sku", sku).put("qty", 1));
      put("/v1/stores/" + store + "/sku-mappings/P-" + sku, mapping);
    }
  }

  /** The flash sale's i-th order: one unit of the hot SKU (W2, W2-stream and the HTTP intake ceiling). */
  static String flashSaleOrder(int i) {
    return order("FLASH-" + i, Map.of("HOT", 1), "Buyer " + i);
  }

  static String order(String platformOrderNo, Map<String, Integer> lines, String recipientName) {
    ObjectNode o = obj().put("platformOrderNo", platformOrderNo);
    ArrayNode arr = o.putArray("lines");
    lines.forEach((sku, qty) -> arr.add(obj().put("platformSku", "P-" + sku).put("qty", qty)));
    o.set("recipient", obj().put("name", recipientName).put("phone", "639171234567").put("country", "PH")
        .put("postalCode", "2307").put("city", "Manila").put("address1", "12 Rizal St"));
    return o.toString();
  }

  private long reserved(String warehouse, String client, String sku) {
    return api.json("GET", "/v1/warehouses/" + warehouse + "/stock/" + client + "/" + sku, null).path("reserved").asLong();
  }

  /** Order states by reading every order back. */
  private Map<String, Long> states(List<String> orderIds) {
    Map<String, String> seen = api.orderStates(orderIds);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String id : orderIds) {
      counts.merge(seen.getOrDefault(id, "UNREAD"), 1L, Long::sum);
    }
    return counts;
  }

  /** W1: steady ingest with autoReview, 1-3 lines per order over Zipf-skewed SKUs, stock sufficient. */
  Outcome w1(int orders, int concurrency, int clients, int skusPerClient) throws Exception {
    return w1("W1", "W1", orders, concurrency, clients, skusPerClient, 0);
  }

  /** Whether the intake can be paced: only wrk sends on a schedule. */
  boolean canPace() {
    return Wrk.available() && !"jvm".equals(System.getProperty("wharf.bench.intakeClient"));
  }

  /**
   * W1's orders offered at a fixed {@code perSecond} instead of as fast as they are answered: the
   * latency at a load the node sustains (closed-loop W1 keeps every connection busy, so its latency
   * is its backlog). Clients of their own (prefix W1P), so its check counts only its own units.
   */
  Outcome w1Paced(int orders, int concurrency, double perSecond) throws Exception {
    return w1("W1 paced", "W1P", orders, concurrency, 4, 100, perSecond);
  }

  private Outcome w1(String name, String prefix, int orders, int concurrency, int clients, int skusPerClient,
                     double perSecond) throws Exception {
    List<List<String>> skus = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<String> s = new ArrayList<>();
      for (int k = 0; k < skusPerClient; k++) {
        s.add("SKU" + k);
      }
      skus.add(s);
      client("W1WH", prefix + "C" + c, prefix + "S" + c, s, 1_000_000, true, false);
    }
    Zipf zipf = new Zipf(skusPerClient, 1.0, 42);
    Random random = new Random(7);
    long[] units = {0};
    // units ordered per stock entry ("client/sku"): what each must end up reserving
    Map<String, Long> expected = new LinkedHashMap<>();
    String[] bodies = new String[orders];
    String[] stores = new String[orders];
    for (int i = 0; i < orders; i++) {
      int c = i % clients;
      Map<String, Integer> lines = new LinkedHashMap<>();
      int n = 1 + random.nextInt(3);
      while (lines.size() < n) {
        lines.put(skus.get(c).get(zipf.next()), 1);
      }
      for (String sku : lines.keySet()) {
        expected.merge(prefix + "C" + c + "/" + sku, 1L, Long::sum);
      }
      units[0] += lines.size();
      bodies[i] = order(prefix + "-" + i, lines, "Buyer " + i);
      stores[i] = prefix + "S" + c;
    }
    Callable<Load.Result> sender = sender(name + " intake", orders, concurrency, perSecond,
        i -> new Load.Request("POST", "/v1/stores/" + stores[i] + "/orders", bodies[i]));
    Map<String, Long> cpuAtStart = nodeCpu.get();
    long start = System.nanoTime();
    Load.Result intake = sender.call();
    // reviewed once every ordered unit is reserved (stock is sufficient, so every order allocates).
    // Each poll reads only the stock entries still short of their units: the first reads all
    // (400 at W1's size), later ones the few still being reviewed, so polling adds little load.
    long deadline = System.nanoTime() + 600_000_000_000L;
    Map<String, Long> pending = new LinkedHashMap<>(expected);
    while (true) {
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        String[] clientSku = entry.getKey().split("/");
        if (reserved("W1WH", clientSku[0], clientSku[1]) >= entry.getValue()) {
          it.remove();
        }
      }
      if (pending.isEmpty() || System.nanoTime() >= deadline) {
        break;
      }
      requireNodeRunning(name);
      Thread.sleep(100);
    }
    double completion = (System.nanoTime() - start) / 1e9;
    CpuUse cpu = cpuSince(cpuAtStart);
    // off the clock: every SKU of every client, so no reservation beyond the orders goes unseen
    long reservedTotal = 0;
    for (int c = 0; c < clients; c++) {
      for (String sku : skus.get(c)) {
        reservedTotal += reserved("W1WH", prefix + "C" + c, sku);
      }
    }
    Map<String, Object> checks = new LinkedHashMap<>();
    if (perSecond > 0) {
      checks.put("offeredPerSecond", perSecond);
    }
    checks.put("unitsOrdered", units[0]);
    checks.put("unitsReserved", reservedTotal);
    return new Outcome(name, intake, orders / completion, completion, checks,
        reservedTotal == units[0] && intake.ok() == orders, cpu);
  }

  /**
   * The intake requests, sent once each over {@code connections}: through wrk where the machine
   * has it (a JVM generator spent 1.3-1.6 of the 2 cores on ~2,500 requests/s, which left the node
   * less than one), else (or with -Dwharf.bench.intakeClient=jvm) through {@link Load}. Made ready
   * before the clock starts: for wrk the bodies are written out beforehand (its script still
   * formats them as it starts, inside the clock). -Dwharf.bench.wrkSeconds bounds a wrk run.
   */
  private Callable<Load.Result> sender(String name, int count, int connections,
                                       java.util.function.IntFunction<Load.Request> request) throws Exception {
    return sender(name, count, connections, 0, request);
  }

  /** The same, offered at {@code perSecond} when that is not 0 (wrk only). */
  private Callable<Load.Result> sender(String name, int count, int connections, double perSecond,
                                       java.util.function.IntFunction<Load.Request> request) throws Exception {
    if (!canPace()) {
      if (perSecond > 0) {
        throw new IllegalStateException(name + ": pacing needs wrk");
      }
      return () -> api.run(name, count, connections, request);
    }
    List<Load.Request> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      requests.add(request.apply(i));
    }
    return Wrk.intake(name + " (wrk)", api.base(), api.token(), requests, connections, perSecond, nodeExit)::run;
  }

  /** W2: one SKU with {@code units}, {@code orders} single-unit orders from {@code senders} at once. */
  Outcome w2(long units, int orders, int senders) throws Exception {
    client("W2WH", "W2C", "W2S", List.of("HOT"), units, true, false);
    List<String> ids = new ArrayList<>(orders);
    String[] bodies = new String[orders];
    for (int i = 0; i < orders; i++) {
      ids.add(dev.wharf.engine.domain.OrderIds.orderId("W2S", "FLASH-" + i));
      bodies[i] = flashSaleOrder(i);
    }
    Callable<Load.Result> sender = sender("W2 flash sale", orders, senders,
        i -> new Load.Request("POST", "/v1/stores/W2S/orders", bodies[i]));
    long reviewsBefore = reviewsFinished();
    Map<String, Long> cpuAtStart = nodeCpu.get();
    long start = System.nanoTime();
    Load.Result intake = sender.call();
    return flashSaleOutcome("W2", intake, start, cpuAtStart, reviewsBefore, ids, "W2WH", "W2C", units, true);
  }

  /**
   * The end of a flash sale: the clock stops when the node has finished a review per order (its
   * metrics tick every second; reading every order back takes longer than the reviews do, so that
   * stays out of the clock unless metrics are off), then every order's state and the stock are
   * checked: exactly {@code units} ALLOCATED, every other order REVIEW_FAILED, nothing oversold.
   */
  private Outcome flashSaleOutcome(String workload, Load.Result intake, long start, Map<String, Long> cpuAtStart,
                                   long reviewsBefore, List<String> ids, String warehouse, String client, long units,
                                   boolean intakeComplete) throws Exception {
    int orders = ids.size();
    long deadline = System.nanoTime() + 900_000_000_000L;
    while (reviewsBefore >= 0 && reviewsFinished() - reviewsBefore < orders && System.nanoTime() < deadline) {
      requireNodeRunning(workload); // a dead node's metrics read as -1, which would wait out the deadline
      Thread.sleep(100);
    }
    double completion = (System.nanoTime() - start) / 1e9;
    CpuUse cpu = reviewsBefore < 0 ? CpuUse.UNKNOWN : cpuSince(cpuAtStart); // without metrics the read-back is on the clock
    Map<String, Long> states = states(ids);
    while (states.getOrDefault("REVIEWING", 0L) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      states = states(ids);
    }
    if (reviewsBefore < 0) {
      completion = (System.nanoTime() - start) / 1e9;
    }
    JsonNode stock = api.json("GET", "/v1/warehouses/" + warehouse + "/stock/" + client + "/HOT", null);
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("states", states);
    checks.put("stock", Map.of("onHand", stock.path("onHand").asLong(), "reserved", stock.path("reserved").asLong(),
        "available", stock.path("available").asLong()));
    checks.put("oversold", stock.path("reserved").asLong() > units);
    boolean correct = intakeComplete && states.getOrDefault("ALLOCATED", 0L) == units
        && states.getOrDefault("REVIEW_FAILED", 0L) == orders - units
        && stock.path("reserved").asLong() == units && stock.path("available").asLong() == 0;
    return new Outcome(workload, intake, orders / completion, completion, checks, correct, cpu);
  }

  /** W3: {@code recipients} x 10 orders, auto-reviewed and released, then built into packages. */
  Outcome w3(int recipients, int concurrency) throws Exception {
    client("W3WH", "W3C", "W3S", List.of("CUP"), 1_000_000, true, true);
    put("/v1/carriers/BENCH", obj().put("name", "Bench carrier").put("maxOrdersPerPackage", 15));
    int orders = recipients * 10;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      ids.add(dev.wharf.engine.domain.OrderIds.orderId("W3S", "M-" + i));
    }
    Load.Result intake = api.run("W3 intake", orders, concurrency,
        i -> new Load.Request("POST", "/v1/stores/W3S/orders", order("M-" + i, Map.of("CUP", 1), "Recipient " + (i % recipients))));
    Map<String, Long> states;
    do {
      states = states(ids);
    } while (states.getOrDefault("RELEASED", 0L) < orders && states.getOrDefault("REVIEWING", 0L) + states.getOrDefault("ALLOCATED", 0L) > 0);
    // releasing joins the merge group asynchronously: one more settle pass of all orders
    states(ids);
    Map<String, Long> cpuAtStart = nodeCpu.get();
    long start = System.nanoTime();
    JsonNode built = api.json("POST", "/v1/warehouses/W3WH/packages:build", obj().put("clientId", "W3C").put("carrier", "BENCH").toString());
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    CpuUse cpu = cpuSince(cpuAtStart);
    Set<String> packed = new HashSet<>();
    int packages = 0;
    boolean tenEach = true;
    for (JsonNode p : built.path("packages")) {
      packages++;
      tenEach &= p.path("orderIds").size() == 10;
      p.path("orderIds").forEach(id -> packed.add(id.asText()));
    }
    // the same build again, nothing left to pack: it visits only the groups the first one has not
    // dropped from the warehouse's index yet (decision 0024; before, all of them)
    long idleStart = System.nanoTime();
    JsonNode idle = api.json("POST", "/v1/warehouses/W3WH/packages:build", obj().put("clientId", "W3C").put("carrier", "BENCH").toString());
    double idleBuildSeconds = (System.nanoTime() - idleStart) / 1e9;
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("packages", packages);
    checks.put("ordersPacked", packed.size());
    checks.put("buildSeconds", buildSeconds);
    checks.put("idleBuildSeconds", idleBuildSeconds);
    return new Outcome("W3", intake, orders / buildSeconds, buildSeconds, checks,
        packages == recipients && packed.size() == orders && tenEach && idle.path("packages").isEmpty(), cpu);
  }

  /** W1 over one NDJSON stream: the engine's intake rate without per-request HTTP overhead. */
  Outcome w1Stream(int orders) throws Exception {
    return streamedIntake("W1-stream", "W1S", orders);
  }

  /**
   * Auto-reviewed orders streamed to a client of their own and not counted, before W1: a cold JVM
   * took W1 at ~1,200 orders/s where a node warmed by 30,000 streamed orders took it at
   * ~1,600-2,000 (docs/benchmarks.md, round 6). Every later workload meets a warm node anyway.
   */
  void warmUp(int orders) throws Exception {
    Outcome warm = streamedIntake("warm-up", "WU", orders);
    if (!warm.correct()) {
      throw new IllegalStateException("the warm-up's orders were not all reviewed: " + warm.checks());
    }
  }

  /** The same warm-up through W1's path: one request per order, to clients of its own (prefix WUR). */
  void warmUpPerRequest(int orders) throws Exception {
    Outcome warm = w1("warm-up per request", "WUR", orders, 256, 4, 100, 0);
    if (!warm.correct()) {
      throw new IllegalStateException("the warm-up's orders were not all reviewed: " + warm.checks());
    }
  }

  /** {@code orders} single-line orders over one NDJSON stream to a new client named after {@code prefix}. */
  private Outcome streamedIntake(String workload, String prefix, int orders) throws Exception {
    String warehouse = prefix + "WH";
    String client = prefix + "C";
    String store = prefix + "S";
    client(warehouse, client, store, List.of("SKU0", "SKU1", "SKU2"), 1_000_000, true, false);
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < orders; i++) {
      ndjson.append(order(prefix + "-" + i, Map.of("SKU" + (i % 3), 1), "Buyer " + i)).append('\n');
    }
    Map<String, Long> cpuAtStart = nodeCpu.get();
    long start = System.nanoTime();
    long lines = stream(store, ndjson);
    double intake = (System.nanoTime() - start) / 1e9;
    long reservedTotal;
    do {
      reservedTotal = reserved(warehouse, client, "SKU0") + reserved(warehouse, client, "SKU1") + reserved(warehouse, client, "SKU2");
      if (reservedTotal < orders) {
        Thread.sleep(200);
      }
    } while (reservedTotal < orders && (System.nanoTime() - start) / 1e9 < 600);
    double completion = (System.nanoTime() - start) / 1e9;
    CpuUse cpu = cpuSince(cpuAtStart);
    Load.Result load = new Load.Result(workload, orders, lines, intake, orders / intake, 0, 0, 0, Map.of());
    return new Outcome(workload, load, orders / completion, completion,
        Map.of("accepted", lines, "unitsReserved", reservedTotal), lines == orders && reservedTotal == orders, cpu);
  }

  /**
   * Sends NDJSON orders over one streaming request and counts the accepted result lines. Full
   * duplex: results are read while orders are still being sent (a client that reads only after
   * sending everything stalls against the server's back-pressure on a large stream).
   */
  private long stream(String store, CharSequence ndjson) throws Exception {
    var system = PekkoClient.system();
    var request = org.apache.pekko.http.javadsl.model.HttpRequest.POST(api.base() + "/v1/stores/" + store + "/orders:stream")
        .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Authorization", "Bearer " + api.token()))
        .withEntity(org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_OCTET_STREAM,
            ndjson.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return org.apache.pekko.http.javadsl.Http.get(system).singleRequest(request)
        .thenCompose(response -> response.entity().getDataBytes()
            .via(org.apache.pekko.stream.javadsl.Framing.delimiter(org.apache.pekko.util.ByteString.fromString("\n"), 1 << 20,
                org.apache.pekko.stream.javadsl.FramingTruncation.ALLOW))
            .filter(line -> line.utf8String().contains("\"orderId\""))
            .runFold(0L, (n, line) -> n + 1, system))
        .toCompletableFuture().get(900, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * W2 over one NDJSON stream: the same flash sale without a JVM client spending the shared cores
   * on 1,000 connections, so it shows what the engine sustains on one hot SKU.
   */
  Outcome w2Stream(long units, int orders, List<String> orderIdsOut) throws Exception {
    client("W2SWH", "W2SC", "W2SS", List.of("HOT"), units, true, false);
    List<String> ids = new ArrayList<>(orders);
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < orders; i++) {
      ids.add(dev.wharf.engine.domain.OrderIds.orderId("W2SS", "FLASH-" + i));
      ndjson.append(flashSaleOrder(i)).append('\n');
    }
    long reviewsBefore = reviewsFinished();
    Map<String, Long> cpuAtStart = nodeCpu.get();
    long start = System.nanoTime();
    long lines = stream("W2SS", ndjson);
    double intake = (System.nanoTime() - start) / 1e9;
    orderIdsOut.addAll(ids);
    Load.Result load = new Load.Result("W2 stream", orders, lines, intake, orders / intake, 0, 0, 0, Map.of());
    return flashSaleOutcome("W2-stream", load, start, cpuAtStart, reviewsBefore, ids, "W2SWH", "W2SC", units,
        lines == orders);
  }

  /** W4: scanners reading orders by id, driven by wrk when it is installed. */
  Outcome w4(List<String> orderIds, int requests, int concurrency) throws Exception {
    if (Wrk.available()) {
      List<String> paths = orderIds.stream().map(id -> "/v1/orders/" + id).toList();
      Wrk.get("W4 warm-up (not counted)", api.base(), api.token(), paths, concurrency, 5); // JIT the read path first
      long hitsBefore = metricSum(VIEW_HITS);
      long readsBefore = metricSum(VIEW_READS);
      Map<String, Long> cpuAtStart = nodeCpu.get();
      Load.Result reads = Wrk.get("W4 scanner reads (wrk)", api.base(), api.token(), paths, concurrency, 15);
      CpuUse cpu = cpuSince(cpuAtStart);
      // the share answered from the node's view cache (the metrics tick is 1 s: wait for the last one)
      Thread.sleep(1_500);
      long hits = metricSum(VIEW_HITS) - hitsBefore;
      long viewReads = metricSum(VIEW_READS) - readsBefore;
      String fromCache = viewReads > 0 ? Math.round(100.0 * hits / viewReads) + "%" : "n/a";
      return new Outcome("W4", reads, reads.perSecond(), reads.seconds(),
          Map.of("errors", reads.errors(), "fromViewCache", fromCache),
          reads.ok() == reads.requests() && reads.requests() > 0, cpu);
    }
    Random random = new Random(11);
    int[] pick = new int[requests];
    for (int i = 0; i < requests; i++) {
      pick[i] = random.nextInt(orderIds.size());
    }
    Map<String, Long> cpuAtStart = nodeCpu.get();
    Load.Result reads = api.run("W4 scanner reads", requests, concurrency,
        i -> new Load.Request("GET", "/v1/orders/" + orderIds.get(pick[i]), null));
    return new Outcome("W4", reads, reads.perSecond(), reads.seconds(), Map.of("errors", reads.errors()),
        reads.ok() == requests, cpuSince(cpuAtStart));
  }
}
