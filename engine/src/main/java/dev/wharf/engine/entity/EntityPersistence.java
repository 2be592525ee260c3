package dev.wharf.engine.entity;

import dev.wharf.engine.metrics.WharfMetrics;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/** What every entity does the same way around its journal. */
final class EntityPersistence {
  /**
   * When the journal fails a write or a replay (Cassandra down, say), restart the entity with
   * backoff instead of stopping it: it replays once the journal is back, and an order caught
   * mid-saga resumes its step without waiting for a request (messages are stashed meanwhile).
   */
  static final BackoffSupervisorStrategy ON_JOURNAL_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);

  private EntityPersistence() {}

  /** persist(event), timing the journal's confirmation for wharf_persist_seconds. */
  static <E, S> EffectBuilder<E, S> persist(EffectFactories<E, S> effects, String entityType, E event) {
    long start = System.nanoTime();
    return effects.persist(event).thenRun(state -> WharfMetrics.persisted(entityType, System.nanoTime() - start));
  }

  static <E, S> EffectBuilder<E, S> persist(EffectFactories<E, S> effects, String entityType, List<E> events) {
    long start = System.nanoTime();
    return effects.persist(events).thenRun(state -> WharfMetrics.persisted(entityType, System.nanoTime() - start));
  }
}
