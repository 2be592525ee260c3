package dev.wharf.engine.saga;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per cluster (a singleton): wakes the orders whose saga step was left open when it starts,
 * and again each time a member is removed, since the removed node may have died with reviews in
 * flight. A woken order lives on whichever node now owns its shard and resumes its step there.
 * Scans never overlap; a removal during a scan asks for one more scan after it.
 * See docs/decisions/0010-cluster-saga-takeover.md.
 */
public final class SagaWatchdog {
  private static final Logger log = LoggerFactory.getLogger(SagaWatchdog.class);

  /** Local messages only: the singleton receives nothing from other nodes. */
  private interface Msg {}

  private record MemberRemoved(String address) implements Msg {}

  private record ScanFinished(int resumed, Throwable failure) implements Msg {}

  private enum Rescan implements Msg { INSTANCE }

  private SagaWatchdog() {}

  /** Starts the singleton on this node's side (each node calls this; one instance runs). */
  public static void start(org.apache.pekko.actor.typed.ActorSystem<?> system,
                           Supplier<CompletionStage<List<String>>> scan, Duration delayAfterRemoval) {
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(behavior(scan, delayAfterRemoval)).onFailure(SupervisorStrategy.restart()),
        "saga-watchdog"));
  }

  static Behavior<Msg> behavior(Supplier<CompletionStage<List<String>>> scan, Duration delayAfterRemoval) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
          context.messageAdapter(ClusterEvent.MemberRemoved.class,
              e -> new MemberRemoved(e.member().address().toString())),
          ClusterEvent.MemberRemoved.class));
      var state = new Object() {
        boolean scanning;
        boolean again;
      };
      Runnable startScan = () -> {
        state.scanning = true;
        state.again = false;
        context.pipeToSelf(scan.get(), (ids, failure) -> new ScanFinished(ids == null ? 0 : ids.size(), failure));
      };
      startScan.run();
      return Behaviors.receive(Msg.class)
          .onMessage(MemberRemoved.class, m -> {
            log.info("member {} removed: looking for order sagas it left open", m.address());
            timers.startSingleTimer(Rescan.INSTANCE, delayAfterRemoval);
            return Behaviors.same();
          })
          .onMessageEquals(Rescan.INSTANCE, () -> {
            if (state.scanning) {
              state.again = true;
            } else {
              startScan.run();
            }
            return Behaviors.same();
          })
          .onMessage(ScanFinished.class, done -> {
            state.scanning = false;
            if (done.failure() != null) {
              log.warn("saga scan failed, retrying: {}", done.failure().toString());
              timers.startSingleTimer(Rescan.INSTANCE, delayAfterRemoval);
            } else {
              log.info("saga scan done: woke {} order(s) with an open saga step", done.resumed());
            }
            if (state.again) {
              startScan.run();
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
