package dev.wharf.engine.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Samples the gauges nobody updates on a hot path: entities alive per type on this node (from
 * the shard regions' own state) and cluster members by status, every few seconds.
 */
public final class ClusterGauges {
  /** Its own ticks and replies; nothing else sends to it. */
  public interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  /** A region that did not answer within the interval: its gauge keeps the last sample. */
  private enum SampleMissed implements Msg { INSTANCE }

  private record RegionState(String entityType, ShardRegion.CurrentShardRegionState state) implements Msg {}

  private static final List<String> STATUSES = List.of("Joining", "WeaklyUp", "Up", "Leaving", "Exiting", "Down", "Removed");

  private ClusterGauges() {}

  public static Behavior<Msg> create(List<EntityTypeKey<?>> types, Duration every) {
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, every);
      var sharding = ClusterSharding.get(context.getSystem());
      Cluster cluster = Cluster.get(context.getSystem());
      return Behaviors.receive(Msg.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            for (EntityTypeKey<?> type : types) {
              // an ask per type, not a messageAdapter: a context keeps one adapter per message
              // class, so adapters registered in a loop would label every reply with the last type
              context.ask(ShardRegion.CurrentShardRegionState.class, sharding.shardState(), every,
                  replyTo -> new GetShardRegionState(type, replyTo),
                  (state, failure) -> state == null ? SampleMissed.INSTANCE : new RegionState(type.name(), state));
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
          .onMessage(RegionState.class, r -> {
            int alive = r.state().getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
            WharfMetrics.entitiesAlive(r.entityType(), alive);
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
