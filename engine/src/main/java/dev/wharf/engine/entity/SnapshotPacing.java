package dev.wharf.engine.entity;

import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * When an entity whose snapshot grows with its state takes one: after {@code minEvents} events,
 * and for a large state only after at least half as many events as the snapshot holds entries. A
 * fixed interval writes O(n) per interval for a state of n entries (a hot SKU holding 13,000
 * reservations wrote them all every 500 events); this pace writes at most two entries per event
 * whatever the state's size, and a recovery replays at most {@code minEvents} events or half as
 * many as the state has entries, whichever is more (decision 0023).
 *
 * <p>One instance per entity incarnation, used on its actor's thread only: {@link #eventApplied}
 * from the event handler (replayed events count too, so an entity that is often passivated still
 * gets its snapshot) and {@link #due} from {@code shouldSnapshot}.
 */
final class SnapshotPacing {
  /** Snapshots come at least this many events apart. */
  static final int MIN_EVENTS = 500;

  /**
   * Goes with a paced entity's retention: at every multiple of this many events its snapshots older
   * than two such spans are deleted, so it keeps a bounded number of them (its events stay).
   */
  static RetentionCriteria retention() {
    return RetentionCriteria.snapshotEvery(20_000, 2);
  }

  private final int minEvents;
  private long eventsSinceSnapshot;

  SnapshotPacing() {
    this(MIN_EVENTS);
  }

  SnapshotPacing(int minEvents) {
    if (minEvents < 1) {
      throw new IllegalArgumentException("minEvents must be positive");
    }
    this.minEvents = minEvents;
  }

  void eventApplied() {
    eventsSinceSnapshot++;
  }

  /** True (and counting starts again) once enough events have passed for a snapshot of this many entries. */
  boolean due(long snapshotEntries) {
    if (eventsSinceSnapshot < minEvents || 2 * eventsSinceSnapshot < snapshotEntries) {
      return false;
    }
    eventsSinceSnapshot = 0;
    return true;
  }
}
