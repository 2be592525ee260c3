package dev.wharf.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One workload against a node recording a JFR profile, for finding where a workload's time goes
 * (docs/benchmarks.md). Usage: Profile w1|w1-paced|w1-stream|w2|w2-stream|w3|w4 [orders] [jfrFile or - for
 * none] [ordersBefore] [perSecond: w1-paced's offered rate, default 1000]. The node first takes
 * ordersBefore streamed orders of a client of their own (a warm node that has taken in orders, as
 * the bench's workloads find it); W4 then streams the orders it reads. Prints the node's CPU and
 * its busiest threads (the JIT compilers included, which JFR leaves out). Environment:
 * WHARF_PROFILE_NODE_OPTS adds JVM options to the node; WHARF_PROFILE_WARMUP_REQUESTS=n warms it
 * with n more orders sent one request each, W1's path (the stream leaves that path cold). At the
 * end it prints the journal's rows and H2 stores (commits) during the workload. Not part of
 * deploy/bin/bench: a profiled node is slower than a measured one, and one workload on one node
 * is not the bench's sequence.
 */
public final class Profile {
  private static final String TOKEN = "bench-token-0123456789abcdef";

  public static void main(String[] args) throws Exception {
    String workload = args.length > 0 ? args[0] : "w4";
    int orders = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    String jfrArg = args.length > 2 ? args[2] : "/tmp/wharf-" + workload + ".jfr";
    Path jfr = jfrArg.equals("-") ? null : Path.of(jfrArg).toAbsolutePath();
    Path data = ScratchDirs.create("wharf-profile");
    int metricsPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      metricsPort = free.getLocalPort();
    }
    List<String> jvm = new ArrayList<>(List.of("-Xmx2g", "-Dwharf.metrics.enabled=on", "-Dkamon.metric.tick-interval=1s",
        "-Dkamon.prometheus.embedded-server.port=" + metricsPort));
    String extra = System.getenv("WHARF_PROFILE_NODE_OPTS");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    long[] journalWindow = new long[2];
    long stores;
    try (Node node = Node.start("dev.wharf.http.WharfMain", data, TOKEN, "WHARF_READY port=", jvm.toArray(String[]::new))) {
      Workloads w = new Workloads(new Load(node.base(), TOKEN), "http://127.0.0.1:" + metricsPort + "/metrics", node);
      Workloads.Outcome outcome;
      int before = args.length > 3 ? Integer.parseInt(args[3]) : 0;
      if (before > 0) {
        w.warmUp(before); // a warm node, as the bench's workloads find it
      }
      int beforePerRequest = Integer.parseInt(System.getenv().getOrDefault("WHARF_PROFILE_WARMUP_REQUESTS", "0"));
      if (beforePerRequest > 0) {
        w.warmUpPerRequest(beforePerRequest); // and warm through the per-request path too
      }
      Map<String, Long> threadsBefore = node.cpuTicksByThread();
      long storesBefore = w.metricSum("wharf_h2_stores_total");
      journalWindow[0] = System.currentTimeMillis();
      long wallBefore = System.nanoTime();
      switch (workload) {
        case "w1-stream" -> {
          startRecording(node, jfr);
          outcome = w.w1Stream(orders);
        }
        case "w1" -> {
          startRecording(node, jfr);
          outcome = w.w1(orders, 256, 4, 100);
        }
        case "w1-paced" -> {
          startRecording(node, jfr);
          outcome = w.w1Paced(orders, 256, args.length > 4 ? Double.parseDouble(args[4]) : 1000);
        }
        case "w2" -> {
          startRecording(node, jfr);
          outcome = w.w2(orders / 10, orders, 1000);
        }
        case "w2-stream" -> {
          startRecording(node, jfr);
          outcome = w.w2Stream(orders / 10, orders, new ArrayList<>());
        }
        case "w3" -> {
          startRecording(node, jfr);
          outcome = w.w3(orders / 10, 256);
        }
        case "w4" -> {
          List<String> ids = new ArrayList<>();
          w.w2Stream(orders / 10, orders, ids);
          // what the node holds when the reads start (a full GC first: live objects only)
          Path histogram = Path.of("/tmp/wharf-w4-heap.txt");
          jcmdTo(node, histogram, "GC.class_histogram");
          System.out.println("heap histogram before W4: " + histogram);
          startRecording(node, jfr);
          outcome = w.w4(ids, orders, 256);
        }
        default -> throw new IllegalArgumentException("workload must be w1, w1-paced, w1-stream, w2, w2-stream, w3 or w4");
      }
      double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
      journalWindow[1] = System.currentTimeMillis();
      stores = w.metricSum("wharf_h2_stores_total") - storesBefore; // counted every 5 s: a few seconds' worth off
      Map<String, Long> threadsAfter = node.cpuTicksByThread();
      CpuUse cpu = CpuUse.between(threadsBefore, threadsAfter);
      // set-up, workload and read-back together: an upper bound of the node's CPU per order
      System.out.printf("node CPU: %.1f s in %.1f s (%.2f cores), %.2f ms per order, JIT %.1f s%n", cpu.seconds(),
          wallSeconds, cpu.seconds() / wallSeconds, cpu.seconds() * 1e3 / orders, cpu.jitSeconds());
      printBusiestThreads(threadsBefore, threadsAfter, wallSeconds);
      if (jfr != null) {
        jcmd(node, "JFR.stop", "name=wharf", "filename=" + jfr);
      }
      System.out.printf("%s: %.0f/s accepted (p50 %.1f ms, p99 %.1f ms), %.0f/s completed, correct=%s %s; profile %s%n",
          outcome.workload(), outcome.load().perSecond(), outcome.load().p50Ms(), outcome.load().p99Ms(),
          outcome.completedPerSecond(), outcome.correct(), outcome.checks(), jfr);
    }
    // what the journal wrote meanwhile, counted in the stopped node's file, and in how many commits
    long rows = Baselines.journalRowsWritten(data, journalWindow[0], journalWindow[1]);
    System.out.printf("journal: %d rows in %d H2 stores (%.1f rows per store)%n", rows, stores, rows / (double) Math.max(1, stores));
    if (workload.equals("w4") && Wrk.available()) {
      // the HTTP ceiling right after, for a ratio that the machine's drift does not move
      try (Node trivial = Node.start("dev.wharf.bench.TrivialHttpServer", data, TOKEN, "TRIVIAL_READY port=", "-Xmx1g")) {
        Wrk.get("warm-up", trivial.base(), null, List.of("/ping"), 256, 5);
        Load.Result ping = Wrk.get("HTTP ceiling", trivial.base(), null, List.of("/ping"), 256, 15);
        System.out.printf("trivial route: %.0f/s%n", ping.perSecond());
      }
    }
    PekkoClient.shutdown();
    System.exit(0);
  }

  private static void printBusiestThreads(Map<String, Long> before, Map<String, Long> after, double seconds) {
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(12)
        .forEach(e -> System.out.printf("  %-16s %.2f cores%n", e.getKey(),
            e.getValue() / CpuUse.TICKS_PER_SECOND / seconds));
  }

  private static void startRecording(Node node, Path jfr) throws Exception {
    if (jfr == null) {
      return;
    }
    jcmd(node, "JFR.start", "name=wharf", "settings=profile");
  }

  private static void jcmdTo(Node node, Path out, String... command) throws Exception {
    run(node, ProcessBuilder.Redirect.to(out.toFile()), command);
  }

  private static void jcmd(Node node, String... command) throws Exception {
    run(node, ProcessBuilder.Redirect.INHERIT, command);
  }

  private static void run(Node node, ProcessBuilder.Redirect output, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(node.process.pid())));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectOutput(output).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed");
    }
  }
}
