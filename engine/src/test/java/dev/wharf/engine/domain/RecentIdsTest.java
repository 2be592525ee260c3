package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecentIdsTest {
  @Test
  void forgetsTheOldestBeyondCapacity() {
    RecentIds ids = new RecentIds(3);
    List.of("a", "b", "c", "d").forEach(ids::add);
    assertFalse(ids.contains("a"));
    assertTrue(ids.contains("b") && ids.contains("d"));
    assertEquals(List.of("b", "c", "d"), List.copyOf(ids.oldestFirst()));
  }

  @Test
  void anIdAddedAgainKeepsItsPlaceAndTakesNoRoom() {
    RecentIds ids = new RecentIds(3);
    List.of("a", "b", "a", "c", "a").forEach(ids::add);
    assertEquals(List.of("a", "b", "c"), List.copyOf(ids.oldestFirst()));
    ids.add("d");
    assertFalse(ids.contains("a")); // still the oldest, however often it was seen again
    assertEquals(3, ids.size());
  }

  @Test
  void theViewCannotChangeTheMemory() {
    RecentIds ids = new RecentIds(2);
    ids.add("a");
    assertThrows(UnsupportedOperationException.class, () -> ids.oldestFirst().clear());
    assertThrows(IllegalArgumentException.class, () -> new RecentIds(0));
  }
}
