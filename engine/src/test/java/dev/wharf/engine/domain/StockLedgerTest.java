package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wharf.engine.domain.StockLedger.ReserveDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StockLedgerTest {
  private static StockLedger withOnHand(long qty) {
    StockLedger ledger = new StockLedger();
    ledger.applyReceived("R1", qty);
    return ledger;
  }

  @Test
  void reservesWhatFitsAndRefusesWhatDoesNot() {
    StockLedger ledger = withOnHand(5);
    assertEquals(new ReserveDecision.Reserve(5), ledger.decideReserve("o1", 5));
    ledger.applyReserved("o1", 5);
    assertEquals(0, ledger.available());
    assertEquals(new ReserveDecision.Short(1, 0), ledger.decideReserve("o2", 1));
  }

  @Test
  void unitsPromisedToAPendingBatchAreNotAvailable() {
    StockLedger ledger = withOnHand(5);
    ledger.applyReserved("o1", 1);
    assertEquals(new ReserveDecision.Reserve(1), ledger.decideReserve("o2", 1, 3));
    assertEquals(new ReserveDecision.Short(2, 1), ledger.decideReserve("o3", 2, 3));
    assertEquals(new ReserveDecision.AlreadyReserved(1), ledger.decideReserve("o1", 1, 4));
  }

  @Test
  void aSecondReservationForTheSameOrderIsTheFirstOne() {
    StockLedger ledger = withOnHand(5);
    ledger.applyReserved("o1", 3);
    assertEquals(new ReserveDecision.AlreadyReserved(3), ledger.decideReserve("o1", 3));
    assertEquals(3, ledger.reserved());
  }

  @Test
  void releaseFreesOnlyWhatTheOrderHeldAndIsIdempotent() {
    StockLedger ledger = withOnHand(5);
    ledger.applyReserved("o1", 3);
    ledger.applyReserved("o2", 1);
    ledger.applyReleased("o1");
    ledger.applyReleased("o1");
    assertEquals(1, ledger.reserved());
    assertEquals(4, ledger.available());
    assertEquals(5, ledger.onHand());
  }

  @Test
  void commitTakesTheGoodsOutOfTheWarehouseOnce() {
    StockLedger ledger = withOnHand(5);
    ledger.applyReserved("o1", 2);
    ledger.applyCommitted("o1");
    ledger.applyCommitted("o1");
    assertEquals(3, ledger.onHand());
    assertEquals(0, ledger.reserved());
    assertEquals(2, ledger.shipped());
    assertEquals(3, ledger.available());
  }

  @Test
  void nonPositiveQuantitiesAreRefused() {
    StockLedger ledger = withOnHand(5);
    assertThrows(IllegalArgumentException.class, () -> ledger.decideReserve("o1", 0));
    assertThrows(IllegalArgumentException.class, () -> ledger.decideReserve("o1", -1));
  }

  @Test
  void restoreRebuildsTotals() {
    StockLedger ledger = StockLedger.restore(10, 4, Map.of("o1", 2L, "o2", 3L), List.of("R1"), List.of("o0"));
    assertEquals(5, ledger.reserved());
    assertEquals(5, ledger.available());
    assertEquals(true, ledger.hasReceipt("R1"));
    assertEquals(true, ledger.isCommitted("o0"));
    assertInstanceOf(ReserveDecision.Short.class, ledger.decideReserve("o3", 6));
  }
}
