package dev.wharf.engine.entity;

/**
 * Wakes an entity later, from outside it: one stopped by a failed write (EntityPersistence), which
 * may have closed a step or an operation. Its caller may have had its answer long ago (an
 * auto-review), the journal may be healthy (one write timed out), so neither a request nor the
 * scan after an outage would come; and the open step holds stock and fees until it ends. The
 * entity's recovery resumes what was open, and finds nothing to do otherwise.
 */
@FunctionalInterface
public interface Wakeups {
  Wakeups NONE = entityId -> {};

  void wakeLater(String entityId);
}
