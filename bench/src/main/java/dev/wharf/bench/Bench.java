package dev.wharf.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs W1-W5 against real Wharf nodes and the baselines on the same machine, then writes the
 * results (JSON), docs/benchmarks.md and a chart. Usage: Bench quick|full [outDir].
 * PostgreSQL runs when WHARF_BENCH_PG_URL is set (deploy/bin/bench starts one).
 */
public final class Bench {
  record Size(int w1Orders, int w1Concurrency, int w1PacedSeconds, long w2Units, int w2Orders, int w2Senders,
              int w3Recipients, int w4Requests, int w4Concurrency, int w5Events) {}

  static final Map<String, Size> SIZES = Map.of(
      "quick", new Size(5_000, 64, 10, 1_000, 10_000, 200, 50, 20_000, 128, 100_000),
      "full", new Size(50_000, 256, 20, 10_000, 100_000, 1_000, 500, 200_000, 256, 1_000_000));

  /** W1 paced offers this share of closed-loop W1's reviewed rate from the same run. */
  static final double W1_PACED_SHARE = 0.5;

  private static final String TOKEN = "bench-token-0123456789abcdef";

  public static void main(String[] args) throws Exception {
    String sizeName = args.length > 0 ? args[0] : "quick";
    Size size = SIZES.get(sizeName);
    if (size == null) {
      throw new IllegalArgumentException("size must be quick or full");
    }
    Path out = Path.of(args.length > 1 ? args[1] : "docs");
    Files.createDirectories(out);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("size", sizeName);
    results.put("at", Instant.now().toString());
    results.put("machine", Map.of(
        "cores", Runtime.getRuntime().availableProcessors(),
        "javaVersion", System.getProperty("java.version"),
        "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
        "memoryGiB", Math.round(((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 1e9)));
    List<Workloads.Outcome> outcomes = new ArrayList<>();
    List<Baselines.Rate> baselines = new ArrayList<>();

    Path data = ScratchDirs.create("wharf-bench");
    long[] streamWindow;
    int metricsPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      metricsPort = free.getLocalPort();
    }
    // metrics on (a 1 s tick) so W2 can tell when every review has finished without reading orders back
    try (Node node = Node.start("dev.wharf.http.WharfMain", data, TOKEN, "WHARF_READY port=", "-Xmx2g",
        "-Dwharf.metrics.enabled=on", "-Dkamon.metric.tick-interval=1s",
        "-Dkamon.prometheus.embedded-server.port=" + metricsPort)) {
      Workloads w = new Workloads(new Load(node.base(), TOKEN), "http://127.0.0.1:" + metricsPort + "/metrics", node);
      w.warmUp(size.w1Orders() / 2);
      Workloads.Outcome w1 = log(w.w1(size.w1Orders(), size.w1Concurrency(), 4, 100));
      outcomes.add(w1);
      if (w.canPace()) {
        // latency at a load the node sustains: half of what closed-loop W1 just reached, rounded down to tens
        double perSecond = Math.max(10, Math.floor(w1.completedPerSecond() * W1_PACED_SHARE / 10) * 10);
        outcomes.add(log(w.w1Paced((int) (perSecond * size.w1PacedSeconds()), size.w1Concurrency(), perSecond)));
      }

      long streamFrom = System.currentTimeMillis();
      Workloads.Outcome stream = log(w.w1Stream(size.w1Orders()));
      streamWindow = new long[] {streamFrom, System.currentTimeMillis()};
      outcomes.add(stream);
      outcomes.add(log(w.w2(size.w2Units(), size.w2Orders(), size.w2Senders())));
      List<String> flashOrders = new ArrayList<>();
      outcomes.add(log(w.w2Stream(size.w2Units(), size.w2Orders(), flashOrders)));
      outcomes.add(log(w.w3(size.w3Recipients(), 64)));
      // scanners read recent orders: the newest 20,000 (single mode answers them from its view cache)
      outcomes.add(log(w.w4(flashOrders.subList(Math.max(0, flashOrders.size() - 20_000), flashOrders.size()),
          size.w4Requests(), size.w4Concurrency())));
    }

    // what Wharf's journal really wrote while W1-stream ran, counted in the stopped node's journal
    long streamRows = Baselines.journalRowsWritten(data, streamWindow[0], streamWindow[1]);
    results.put("W1-stream journal", Map.of("rows", streamRows, "seconds", (streamWindow[1] - streamWindow[0]) / 1e3));
    System.out.printf("W1-stream journal: %d rows in %.1f s%n", streamRows, (streamWindow[1] - streamWindow[0]) / 1e3);

    Path hashed = ScratchDirs.create("wharf-bench-raw");
    baselines.add(log(Baselines.rawJournalInserts(hashed, size.w5Events() / 5, true)));
    Path w5 = ScratchDirs.create("wharf-bench-w5");
    Baselines.Rate raw = Baselines.rawJournalInserts(w5, size.w5Events());
    baselines.add(log(raw));
    try (Node recovered = Node.start("dev.wharf.http.WharfMain", w5, TOKEN, "WHARF_READY port=", "-Xmx2g")) {
      double ready = recovered.secondsUntilReady();
      results.put("W5", Map.of("events", size.w5Events(), "secondsToListening", recovered.startSeconds,
          "secondsToReady", ready));
      System.out.printf("W5 recovery: %d events, listening after %.1f s, ready (GET /ready 200) after %.1f s%n",
          size.w5Events(), recovered.startSeconds, ready);
    }

    try (Node trivial = Node.start("dev.wharf.bench.TrivialHttpServer", data, TOKEN, "TRIVIAL_READY port=", "-Xmx1g")) {
      if (Wrk.available()) {
        Wrk.get("HTTP ceiling warm-up (not counted)", trivial.base(), null, List.of("/ping"), size.w4Concurrency(), 5);
      }
      Load.Result ping = Wrk.available()
          ? Wrk.get("HTTP ceiling (wrk)", trivial.base(), null, List.of("/ping"), size.w4Concurrency(), 15)
          : new Load(trivial.base(), null).run("HTTP ceiling", size.w4Requests(), size.w4Concurrency(),
              i -> new Load.Request("GET", "/ping", null));
      baselines.add(log(new Baselines.Rate("trivial Pekko HTTP route", ping.requests(), ping.seconds(), ping.perSecond(),
          ping.p50Ms(), ping.p99Ms(), Map.of("errors", ping.errors()))));
      if (Wrk.available()) {
        baselines.add(log(intakeCeiling(trivial, size)));
      }
    }

    String pg = System.getenv("WHARF_BENCH_PG_URL");
    if (pg != null && !pg.isBlank()) {
      baselines.add(log(Baselines.postgresFlashSale(pg, size.w2Units(), size.w2Orders(), size.w2Senders())));
    }

    results.put("workloads", outcomes);
    results.put("baselines", baselines);
    results.put("ratios", Report.ratios(outcomes, baselines, streamRows / ((streamWindow[1] - streamWindow[0]) / 1e3)));
    Load.JSON.enable(SerializationFeature.INDENT_OUTPUT);
    Path json = out.resolve("bench-results-" + sizeName + ".json");
    Load.JSON.writeValue(json.toFile(), results);
    Report.write(out, sizeName, results, outcomes, baselines);
    System.out.println("results: " + json + ", " + out.resolve("benchmarks-" + sizeName + ".md"));
    PekkoClient.shutdown();
    System.exit(outcomes.stream().allMatch(Workloads.Outcome::correct) ? 0 : 1);
  }

  /**
   * W2's orders over W2's connections, sent by the same wrk script, to a route that only parses
   * them: W2's per-request ceiling on this machine with no engine behind the HTTP layer. Warmed
   * up first (a fifth of the orders, not counted), as Wharf's node is warm when W2 runs.
   */
  private static Baselines.Rate intakeCeiling(Node trivial, Size size) throws Exception {
    List<Load.Request> orders = new ArrayList<>(size.w2Orders());
    for (int i = 0; i < size.w2Orders(); i++) {
      orders.add(new Load.Request("POST", "/v1/stores/W2S/orders", Workloads.flashSaleOrder(i)));
    }
    Wrk.intake("HTTP intake ceiling warm-up (not counted)", trivial.base(), TOKEN, orders.subList(0, orders.size() / 5),
        size.w2Senders(), trivial.process.onExit()).run();
    Load.Result intake = Wrk.intake("HTTP intake ceiling (wrk)", trivial.base(), TOKEN, orders, size.w2Senders(),
        trivial.process.onExit()).run();
    return new Baselines.Rate("trivial Pekko HTTP intake, W2's orders and connections", intake.requests(), intake.seconds(),
        intake.perSecond(), intake.p50Ms(), intake.p99Ms(), Map.of("accepted", intake.ok(), "errors", intake.errors()));
  }

  private static Workloads.Outcome log(Workloads.Outcome o) {
    System.out.printf("%s: %.0f/s accepted (p50 %.1f ms, p99 %.1f ms), %.0f/s completed, correct=%s %s; node CPU %.1f s"
            + " (JIT %.1f s)%n", o.workload(), o.load().perSecond(), o.load().p50Ms(), o.load().p99Ms(),
        o.completedPerSecond(), o.correct(), o.checks(), o.cpu().seconds(), o.cpu().jitSeconds());
    return o;
  }

  private static Baselines.Rate log(Baselines.Rate r) {
    System.out.printf("baseline %s: %.0f/s (p50 %.1f ms, p99 %.1f ms) %s%n", r.name(), r.perSecond(), r.p50Ms(), r.p99Ms(),
        r.checks());
    return r;
  }
}
