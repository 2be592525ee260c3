package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotPacingTest {
  /** The events (numbered from 1) after which a snapshot is taken, for a state of entries(event) entries. */
  private static List<Integer> snapshotsOver(int events, SnapshotPacing pacing, java.util.function.IntUnaryOperator entries) {
    List<Integer> taken = new ArrayList<>();
    for (int event = 1; event <= events; event++) {
      pacing.eventApplied();
      if (pacing.due(entries.applyAsInt(event))) {
        taken.add(event);
      }
    }
    return taken;
  }

  @Test
  void aSmallStateIsSnapshottedEveryMinimumNumberOfEvents() {
    assertEquals(List.of(500, 1000, 1500, 2000), snapshotsOver(2000, new SnapshotPacing(500), event -> 10));
  }

  @Test
  void aLargeStateWaitsHalfItsSizeInEvents() {
    // 3,000 entries: every 1,500 events, not every 500
    assertEquals(List.of(1500, 3000, 4500), snapshotsOver(5000, new SnapshotPacing(500), event -> 3000));
    SnapshotPacing pacing = new SnapshotPacing(500);
    for (int i = 0; i < 1499; i++) {
      pacing.eventApplied();
    }
    assertFalse(pacing.due(3000));
    pacing.eventApplied();
    assertTrue(pacing.due(3000));
    assertFalse(pacing.due(3000), "counting starts again after a snapshot");
  }

  @Test
  void aStateThatOnlyGrowsIsSnapshottedAtDoublingIntervals() {
    // one entry per event (reservations that are never released): O(1) entries written per event
    assertEquals(List.of(500, 1000, 2000, 4000, 8000), snapshotsOver(10_000, new SnapshotPacing(500), event -> event));
  }

  @Test
  void theMinimumMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new SnapshotPacing(0));
  }
}
