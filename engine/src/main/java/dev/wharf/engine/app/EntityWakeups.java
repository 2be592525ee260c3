package dev.wharf.engine.app;

import dev.wharf.engine.entity.Wakeups;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes entities stopped by a failed write ({@link Wakeups}): after a pause (the entity has
 * stopped, a busy journal has caught its breath), through sharding, and again, each time twice as
 * late up to {@code maxPause}, until the entity answers. Its recovery then finishes what was open,
 * as it would after a crash. One chain per entity at a time, and the pause keeps growing for an
 * entity that keeps failing (a journal that reads but cannot write), instead of a replay every
 * first pause for as long as that lasts.
 */
public final class EntityWakeups implements Wakeups {
  private static final Logger log = LoggerFactory.getLogger(EntityWakeups.class);

  private final ActorSystem<?> system;
  private final String kind;
  private final Function<String, CompletionStage<?>> resume;
  private final Duration firstPause;
  private final Duration maxPause;

  /** {@code resume}: asks entity {@code id} of this {@code kind} to resume (answered once it has recovered). */
  public EntityWakeups(ActorSystem<?> system, String kind, Function<String, CompletionStage<?>> resume,
                       Duration firstPause, Duration maxPause) {
    this.system = system;
    this.kind = kind;
    this.resume = resume;
    this.firstPause = firstPause;
    this.maxPause = maxPause;
  }

  /**
   * The entities with a wake-up scheduled, and the pause the next one waits: one chain per entity,
   * however many failed writes ask; an entry outlives its chain by {@code maxPause}, so an entity
   * that fails again soon after it answered waits longer each time instead of from the start.
   */
  private final Map<String, Chain> chains = new ConcurrentHashMap<>();

  private static final class Chain {
    Duration pause;
    boolean scheduled;
    // the resume has been sent and not answered yet
    boolean inFlight;
    // a failure reported while a resume was in flight: the entity may have stopped again after it answered
    boolean failedAgain;
    long generation;

    Chain(Duration pause) {
      this.pause = pause;
    }
  }

  @Override
  public void wakeLater(String entityId) {
    while (true) {
      Chain chain = chains.computeIfAbsent(entityId, id -> new Chain(firstPause));
      synchronized (chain) {
        if (chains.get(entityId) != chain) {
          continue; // forgotten meanwhile: take the new one
        }
        if (chain.scheduled) {
          // a resume still to come covers this failure; one in flight may have been answered before it
          chain.failedAgain |= chain.inFlight;
          return;
        }
        chain.scheduled = true;
        chain.generation++;
        log.warn("{} {} stopped by a failed write; resuming it in {}", kind, entityId, chain.pause);
        schedule(entityId, chain);
        return;
      }
    }
  }

  /** Under the chain's lock. */
  private void schedule(String entityId, Chain chain) {
    if (system.whenTerminated().isCompleted()) {
      return;
    }
    Duration pause = chain.pause;
    chain.pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
    chain.failedAgain = false;
    system.scheduler().scheduleOnce(pause, () -> {
      synchronized (chain) {
        chain.inFlight = true;
      }
      resumeNow(entityId).whenComplete((reply, failure) -> answered(entityId, chain, failure));
    }, system.executionContext());
  }

  private void answered(String entityId, Chain chain, Throwable failure) {
    synchronized (chain) {
      chain.inFlight = false;
      if (failure != null || chain.failedAgain) {
        if (failure != null) {
          log.warn("{} {} did not answer its wake-up ({}); again in {}", kind, entityId, failure.toString(), chain.pause);
        }
        schedule(entityId, chain);
        return;
      }
      chain.scheduled = false;
      long answeredAt = chain.generation;
      // forgotten once it has not failed again for a while: its next failure starts from firstPause
      system.scheduler().scheduleOnce(maxPause, () -> {
        synchronized (chain) {
          if (!chain.scheduled && chain.generation == answeredAt) {
            chains.remove(entityId, chain);
          }
        }
      }, system.executionContext());
    }
  }

  /** A resume that throws (the system shutting down) is a failure like any other, not the chain's end. */
  private CompletionStage<?> resumeNow(String entityId) {
    try {
      return resume.apply(entityId);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
