package dev.wharf.engine.entity;

import dev.wharf.engine.metrics.WharfMetrics;
import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/** What every entity does the same way around its journal. */
final class EntityPersistence {
  // No onPersistFailure backoff here, on purpose: Pekko keeps the emptyState() instance it got
  // at construction and replays into it again after a restart, and Wharf's states are mutable,
  // so a restart would apply every event twice (seen in ClusterModeTest: a stock's on-hand
  // doubled). An entity whose write fails stops; sharding starts a fresh one on its next message.

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
