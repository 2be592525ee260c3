package dev.wharf.engine.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work a node does once after it starts, entity by entity (claiming earlier clients' codes,
 * syncing the warehouse directory). A pass that cannot run at all (the journal down at start) or
 * leaves entities that did not answer is run again, each time twice as late, up to a minute. The
 * node waits for the first complete pass before it is ready (one where some entity answered, if
 * any was tried), not for the stragglers: one entity that cannot recover must not keep a node, or
 * a cluster, out of traffic.
 */
public final class StartupTask {
  private static final Logger log = LoggerFactory.getLogger(StartupTask.class);
  private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

  /** One pass: the entities it looked at, and those that did not answer (tried again by the next pass). */
  public record Pass(List<String> tried, List<String> failed) {
    public static final Pass NOTHING = new Pass(List.of(), List.of());
  }

  private StartupTask() {}

  /**
   * One pass over entities: {@code work} for each id (its persistence id without {@code prefix}),
   * {@code parallelism} at a time; an entity whose work fails is logged and listed as failed.
   */
  public static CompletionStage<Pass> forEach(ActorSystem<?> system, List<String> persistenceIds, String prefix,
                                              int parallelism, Function<String, CompletionStage<?>> work) {
    return Source.from(persistenceIds)
        .map(pid -> pid.substring(prefix.length()))
        .mapAsyncUnordered(parallelism, id -> work.apply(id).handle((done, failure) -> {
          if (failure != null) {
            log.warn("start-up work on {}{} failed: {}", prefix, id, failure.toString());
          }
          return Map.entry(id, failure == null);
        }))
        .runWith(Sink.seq(), system)
        .thenApply(results -> new Pass(results.stream().map(Map.Entry::getKey).toList(),
            results.stream().filter(r -> !r.getValue()).map(Map.Entry::getKey).toList()));
  }

  /** Runs {@code pass} until one leaves no failures; completes {@code everyEntityTried} after the first that ran. */
  public static void runUntilDone(ActorSystem<?> system, String what, Supplier<CompletionStage<Pass>> pass,
                                  Duration retryAfter, CompletableFuture<Void> everyEntityTried) {
    if (system.whenTerminated().isCompleted()) {
      return;
    }
    CompletionStage<Pass> run;
    try {
      run = pass.get();
    } catch (RuntimeException e) {
      run = CompletableFuture.failedFuture(e);
    }
    run.whenComplete((done, failure) -> {
      // a pass where every entity failed failed for one shared reason (sharding not up yet), not
      // for a broken entity: the node is not ready after it
      if (failure == null && (done.failed().isEmpty() || done.failed().size() < done.tried().size())) {
        everyEntityTried.complete(null);
      }
      if (failure == null && done.failed().isEmpty()) {
        return;
      }
      if (failure != null) {
        log.warn("{} failed, again in {}: {}", what, retryAfter, failure.toString());
      } else {
        log.warn("{}: {} did not answer ({}), again in {}", what, done.failed().size(),
            String.join(", ", done.failed().subList(0, Math.min(10, done.failed().size()))), retryAfter);
      }
      Duration next = retryAfter.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : retryAfter.multipliedBy(2);
      system.scheduler().scheduleOnce(retryAfter,
          () -> runUntilDone(system, what, pass, next, everyEntityTried), system.executionContext());
    });
  }
}
