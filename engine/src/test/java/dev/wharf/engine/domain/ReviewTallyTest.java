package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.proto.Line;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewTallyTest {
  private static final List<Line> LINES = List.of(
      Line.newBuilder().setSku("A").setQty(2).build(),
      Line.newBuilder().setSku("B").setQty(1).build(),
      Line.newBuilder().setSku("C").setQty(4).build());

  @Test
  void passesOnlyWhenEveryLineIsReserved() {
    ReviewTally tally = new ReviewTally(LINES);
    tally.reserved("A");
    tally.reserved("B");
    assertFalse(tally.allReserved());
    tally.reserved("C");
    assertTrue(tally.allReserved());
  }

  @Test
  void aFailureListsEveryShortSkuInLineOrderAndWhatToRelease() {
    ReviewTally tally = new ReviewTally(LINES);
    tally.refused("C", 4, 1);
    tally.reserved("B");
    tally.refused("A", 2, 0);
    assertTrue(tally.complete());
    assertFalse(tally.allReserved());
    var failure = tally.failure();
    assertEquals(ReviewTally.INSUFFICIENT_STOCK, failure.getCode());
    assertEquals(List.of("A", "C"), failure.getShortagesList().stream().map(s -> s.getSku()).toList());
    assertEquals(1, failure.getShortages(1).getAvailable());
    assertTrue(failure.getMessage().contains("C short by 3 (requested 4, available 1)"), failure.getMessage());
    assertEquals(List.of("B"), tally.reservedLines().stream().map(Line::getSku).toList());
  }
}
