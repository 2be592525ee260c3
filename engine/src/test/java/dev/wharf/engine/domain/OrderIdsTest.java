package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class OrderIdsTest {
  @Test
  void theSamePlatformOrderAlwaysGetsTheSameId() {
    assertEquals(OrderIds.orderId("S1", "2012204TH7K8TW"), OrderIds.orderId("S1", "2012204TH7K8TW"));
    assertTrue(OrderIds.orderId("S1", "X").matches("o-[0-9a-f]{30}"));
  }

  @Test
  void idsAlreadyInJournalsNeverChange() {
    // the first 120 bits of SHA-256("S1" + NUL + "PO-1"), as `printf 'S1\0PO-1' | sha256sum` gives them
    assertEquals("o-cfa151ea7fef3bb60889a6b104bafb", OrderIds.orderId("S1", "PO-1"));
    // a merge group: the first 80 bits of SHA-256 of the recipient key
    assertEquals("W1~C1~0d0c99eaa4af9b22b717", Identifiers.mergeGroupId("W1", "C1", "alice|10 main st"));
  }

  @Test
  void storeAndOrderNoCannotBeShiftedIntoEachOther() {
    assertNotEquals(OrderIds.orderId("S1", "2X"), OrderIds.orderId("S12", "X"));
    assertNotEquals(OrderIds.orderId("S1", "X"), OrderIds.orderId("S2", "X"));
  }

  @Test
  void orderNumbersReadLikeTheWarehouseExpects() {
    assertEquals("HMKJ-210412-00005", OrderIds.orderNo("HMKJ", OrderIds.day(LocalDate.of(2021, 4, 12)), 5));
    assertEquals("HMKJ-210412-123456", OrderIds.orderNo("HMKJ", "210412", 123456));
  }
}
