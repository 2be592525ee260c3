package dev.wharf.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A process started from a classpath and main class, ready when it prints {@code readyPrefix<port>}. */
final class Node implements AutoCloseable {
  final Process process;
  final int port;
  /** From the process's start to the line saying it listens. */
  final double startSeconds;
  private final long startNanos;

  private Node(Process process, int port, long startNanos) {
    this.process = process;
    this.port = port;
    this.startNanos = startNanos;
    this.startSeconds = (System.nanoTime() - startNanos) / 1e9;
  }

  static Node start(String mainClass, Path dataDir, String token, String readyPrefix, String... jvmArgs) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(jvmArgs));
    // the node's temp files (H2's spilled results, unpacked native libraries) go with its data dir,
    // deleted with it, even when a run kills the node
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(dataDir.resolve("tmp")));
    // under Maven's test runner the JVM's own class path is a launcher jar: use the tests' one
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    cmd.addAll(List.of("-cp", classPath, mainClass));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("WHARF_DATA_DIR", dataDir.toString());
    pb.environment().put("WHARF_HTTP_PORT", "0");
    pb.environment().put("WHARF_ADMIN_TOKEN", token);
    long start = System.nanoTime();
    Process p = pb.start();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith(readyPrefix)) {
            ready.complete(Integer.parseInt(line.substring(readyPrefix.length()).trim()));
          } else if (line.contains("ERROR")) {
            System.err.println("[node] " + line);
          }
        }
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException(mainClass + " exited before it was ready"));
    });
    reader.setDaemon(true);
    reader.start();
    int port = ready.get(300, TimeUnit.SECONDS);
    return new Node(p, port, start);
  }

  /**
   * CPU clock ticks (user + system) per thread name of the node so far, from Linux's /proc (Linux
   * cuts thread names to 15 characters; numbered pool threads add up as one pool). Empty elsewhere.
   * Unlike a JFR profile, it includes the JIT compilers and the garbage collector.
   */
  Map<String, Long> cpuTicksByThread() {
    Map<String, Long> ticks = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "");
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum); // utime, stime
        } catch (java.io.IOException | RuntimeException e) {
          // a thread that ended while being read
        }
      }
    } catch (java.io.IOException e) {
      return Map.of();
    }
    return ticks;
  }

  /**
   * Seconds from the process's start until GET /ready answers 200: the node also waits for its
   * journal's first probe and its start-up work (a bench may poll; tests may not).
   */
  double secondsUntilReady() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/ready")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (System.nanoTime() < deadline) {
      if (client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
        return (System.nanoTime() - startNanos) / 1e9;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("not ready after 300 s");
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS); // gone before its data dir is deleted
    }
  }
}
