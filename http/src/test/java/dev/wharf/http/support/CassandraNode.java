package dev.wharf.http.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Cassandra, started and stopped by the project's own script
 * (deploy/bin/cassandra), on free loopback ports.
 */
public final class CassandraNode implements AutoCloseable {
  private final Path script;
  private final Path dataDir;
  private final int cqlPort;
  private final int storagePort;
  private final int jmxPort;

  private CassandraNode(Path script, Path dataDir) throws IOException {
    this.script = script;
    this.dataDir = dataDir;
    this.cqlPort = freePort();
    this.storagePort = freePort();
    this.jmxPort = freePort();
  }

  public static CassandraNode start(Path dataDir) throws Exception {
    // surefire runs in the module directory (http/); the script lives at the repository root
    Path script = Path.of("").toAbsolutePath().getParent().resolve("deploy/bin/cassandra");
    CassandraNode node = new CassandraNode(script, dataDir);
    node.run("start");
    return node;
  }

  public String contactPoint() {
    return "127.0.0.1:" + cqlPort;
  }

  /** Starts it again on the same data and ports (after {@link #stop()}). */
  public void restart() throws Exception {
    run("start");
  }

  /** SIGTERM, waiting until the process is gone. */
  public void stop() throws Exception {
    run("stop");
  }

  @Override
  public void close() throws Exception {
    run("kill");
  }

  private void run(String command) throws Exception {
    // in the test's temp dir, beside Cassandra's data, so that JUnit deletes it with the rest
    Path out = Files.createTempFile(dataDir.toAbsolutePath().getParent(), "cassandra-" + command, ".log");
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString(), command, dataDir.toString()))
        .redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("CASSANDRA_CQL_PORT", String.valueOf(cqlPort));
    pb.environment().put("CASSANDRA_STORAGE_PORT", String.valueOf(storagePort));
    pb.environment().put("CASSANDRA_JMX_PORT", String.valueOf(jmxPort));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("deploy/bin/cassandra " + command + " failed:\n"
          + Files.readString(out, StandardCharsets.UTF_8));
    }
  }

  private static final java.util.Random PORTS = new java.util.Random();
  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /**
   * A port free now, for a process started later. Taken below Linux's ephemeral range
   * (32768-60999): a port the OS handed out with bind(0) is also what it hands to the next outgoing
   * connection or port-0 listener, and the cluster test once lost a node that way.
   */
  public static synchronized int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + PORTS.nextInt(12_000);
      if (!HANDED_OUT.add(port)) {
        continue; // given to an earlier caller that may not have bound it yet
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }
}
