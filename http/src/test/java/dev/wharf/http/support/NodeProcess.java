package dev.wharf.http.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A Wharf node in its own JVM, started the way deploy/bin/wharf starts it, that can be killed -9. */
public final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final Thread logWriter;

  private NodeProcess(Process process, int port, Path log, Thread logWriter) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.logWriter = logWriter;
  }

  public static NodeProcess start(Path dataDir, String adminToken) throws Exception {
    return start(dataDir, adminToken, Map.of());
  }

  /** A node with extra environment (WHARF_MODE=cluster and its ports, say). */
  public static NodeProcess start(Path dataDir, String adminToken, Map<String, String> environment) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // its log and its JVM's temp files (native libraries unpacked, H2's spilled results) stay in
    // the test's data dir: a node killed -9 deletes nothing on exit
    Path log = Files.createTempFile(Files.createDirectories(dataDir), "node-", ".log");
    Path tmp = Files.createDirectories(dataDir.resolve("tmp"));
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp, "-cp", classpath, "dev.wharf.http.WharfMain"));
    pb.environment().put("WHARF_DATA_DIR", dataDir.toString());
    pb.environment().put("WHARF_HTTP_PORT", "0");
    pb.environment().put("WHARF_ADMIN_TOKEN", adminToken);
    pb.environment().putAll(environment);
    pb.redirectErrorStream(true);
    Process process = pb.start();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
          if (line.startsWith("WHARF_READY port=")) {
            ready.complete(Integer.parseInt(line.substring("WHARF_READY port=".length()).trim()));
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException("node exited before it was ready; log: " + log));
    }, "node-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new NodeProcess(process, ready.get(90, TimeUnit.SECONDS), log, reader);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("node did not start; log: " + log, e);
    }
  }

  public int port() {
    return port;
  }

  /** What the node has printed so far (stdout and stderr). */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Api api(String token) {
    return new Api("http://127.0.0.1:" + port, token);
  }

  /** SIGKILL: no shutdown hook, no flush, no goodbye. Returns once its last output is in the log. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    logWriter.join(TimeUnit.SECONDS.toMillis(10)); // no write into the data dir while a test deletes it
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
