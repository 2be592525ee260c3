package dev.wharf.http.support;

import dev.wharf.http.WharfNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** A real node in this JVM: H2 file journal in the given dir (a test's JUnit @TempDir), HTTP on a free port. */
public final class TestNode implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  private final WharfNode node;
  private final Path dataDir;

  private TestNode(WharfNode node, Path dataDir) {
    this.node = node;
    this.dataDir = dataDir;
  }

  public static TestNode start(Path dataDir) throws Exception {
    return start(dataDir, Map.of());
  }

  /** With settings of the test's own on top of the test defaults. */
  public static TestNode start(Path dataDir, Map<String, Object> settings) throws Exception {
    var overrides = new java.util.HashMap<String, Object>(Map.of(
        "wharf.data-dir", dataDir.toString(),
        "wharf.http.port", 0,
        "pekko.coordinated-shutdown.exit-jvm", "off",
        "pekko.loglevel", "WARNING"));
    overrides.putAll(settings);
    WharfNode node = WharfNode.start(WharfNode.loadConfig("single", overrides), ADMIN_TOKEN);
    try {
      // what a test does next meets a node whose start-up work is done (one ask on a journal that did it before)
      node.startupWorkDone().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw e;
    }
    return new TestNode(node, dataDir);
  }

  public org.apache.pekko.actor.typed.ActorSystem<Void> system() {
    return node.system();
  }

  public Api api() {
    return new Api("http://127.0.0.1:" + node.port(), ADMIN_TOKEN);
  }

  /** The ids of this node's live entities of one type, as its shard region reports them. */
  public Set<String> liveEntityIds(EntityTypeKey<?> type) {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(system());
    ClusterSharding.get(system()).shardState().tell(new GetShardRegionState(type, probe.getRef()));
    Set<String> ids = new HashSet<>();
    probe.receiveMessage(Duration.ofSeconds(10)).getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
    return ids;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() throws Exception {
    node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
