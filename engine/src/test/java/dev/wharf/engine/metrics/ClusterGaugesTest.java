package dev.wharf.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live-entity gauge on a one-node cluster with real sharding. */
class ClusterGaugesTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("gauges", ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.loglevel = WARNING
        """).withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** An entity that lives until told to stop. */
  private enum Stop { INSTANCE }

  @Test
  void countsTheEntitiesAliveOfEachTypeAsTheyStartAndStop() {
    EntityTypeKey<Object> parcels = EntityTypeKey.create(Object.class, "Parcel");
    EntityTypeKey<Object> crates = EntityTypeKey.create(Object.class, "Crate");
    ClusterSharding sharding = ClusterSharding.get(testKit.system());
    for (EntityTypeKey<Object> type : List.of(parcels, crates)) {
      sharding.init(Entity.of(type, ctx -> Behaviors.receive(Object.class)
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .build()));
    }
    Map<String, Integer> alive = new ConcurrentHashMap<>();
    testKit.spawn(ClusterGauges.create(List.of(parcels, crates), Duration.ofMillis(100), alive::put));

    for (int i = 0; i < 250; i++) {
      sharding.entityRefFor(parcels, "p-" + i).tell("wake");
    }
    for (int i = 0; i < 3; i++) {
      sharding.entityRefFor(crates, "c-" + i).tell("wake");
    }
    var probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      assertEquals(Map.of("Parcel", 250, "Crate", 3), Map.copyOf(alive));
      return null;
    });

    for (int i = 0; i < 100; i++) {
      sharding.entityRefFor(parcels, "p-" + i).tell(Stop.INSTANCE);
    }
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      assertEquals(Map.of("Parcel", 150, "Crate", 3), Map.copyOf(alive));
      return null;
    });
  }
}
