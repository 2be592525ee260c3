package dev.wharf.engine.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;

/**
 * Samples the gauges nobody updates on a hot path: entities alive per type on this node (from
 * the shard regions' own counts) and cluster members by status, every few seconds.
 */
public final class ClusterGauges {
  /** Its own ticks and replies; nothing else sends to it. */
  public interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  /** A region that did not answer within the interval: its gauge keeps the last sample. */
  private enum SampleMissed implements Msg { INSTANCE }

  private record RegionStats(String entityType, ShardRegion.ShardRegionStats stats) implements Msg {}

  private static final List<String> STATUSES = List.of("Joining", "WeaklyUp", "Up", "Leaving", "Exiting", "Down", "Removed");

  private ClusterGauges() {}

  public static Behavior<Msg> create(List<EntityTypeKey<?>> types, Duration every) {
    return create(types, every, WharfMetrics::entitiesAlive);
  }

  /** {@code entitiesAlive} takes each type's count of entities alive on this node. */
  public static Behavior<Msg> create(List<EntityTypeKey<?>> types, Duration every, BiConsumer<String, Integer> entitiesAlive) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, every);
      var sharding = ClusterSharding.get(Adapter.toClassic(context.getSystem()));
      Cluster cluster = Cluster.get(context.getSystem());
      return Behaviors.receive(Msg.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            for (EntityTypeKey<?> type : types) {
              // the region's counts per shard, not its state: a shard answers its state with the
              // set of its entities' ids, which cost ~6% of the node's CPU at 100,000 live orders
              CompletionStage<Object> stats = Patterns.ask(sharding.shardRegion(type.name()),
                  ShardRegion.getRegionStatsInstance(), every);
              context.pipeToSelf(stats, (reply, failure) -> reply instanceof ShardRegion.ShardRegionStats s
                  ? new RegionStats(type.name(), s) : SampleMissed.INSTANCE);
            }
            Map<String, Integer> byStatus = new HashMap<>();
            STATUSES.forEach(s -> byStatus.put(s, 0));
            for (Member m : cluster.state().getMembers()) {
              byStatus.merge(statusName(m.status()), 1, Integer::sum);
            }
            byStatus.forEach(WharfMetrics::clusterMembers);
            return Behaviors.same();
          })
          .onMessageEquals(SampleMissed.INSTANCE, Behaviors::same)
          .onMessage(RegionStats.class, r -> {
            // Java view of a Scala Map[ShardId, Int]: the counts come boxed as Objects
            int alive = r.stats().getStats().values().stream().mapToInt(count -> (Integer) count).sum();
            entitiesAlive.accept(r.entityType(), alive);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static String statusName(MemberStatus status) {
    String s = status.toString();
    return s.isEmpty() ? "Unknown" : s;
  }
}
