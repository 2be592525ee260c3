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
