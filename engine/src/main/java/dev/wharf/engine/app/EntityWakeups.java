package dev.wharf.engine.app;

import dev.wharf.engine.entity.Wakeups;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes entities stopped by a failed write ({@link Wakeups}): after a pause (the entity has
 * stopped, a busy journal has caught its breath), through sharding, and again, each time twice as
 * late up to {@code maxPause}, until the entity answers. Its recovery then finishes what was open,
 * as it would after a crash.
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

  @Override
  public void wakeLater(String entityId) {
    log.warn("{} {} stopped by a failed write; resuming it in {}", kind, entityId, firstPause);
    wakeAfter(entityId, firstPause);
  }

  private void wakeAfter(String entityId, Duration pause) {
    if (system.whenTerminated().isCompleted()) {
      return;
    }
    system.scheduler().scheduleOnce(pause, () -> resume.apply(entityId).whenComplete((reply, failure) -> {
      if (failure != null) {
        Duration next = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
        log.warn("{} {} did not answer its wake-up ({}); again in {}", kind, entityId, failure.toString(), next);
        wakeAfter(entityId, next);
      }
    }), system.executionContext());
  }
}
