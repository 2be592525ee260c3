package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void commitsAndReceiptsAreRememberedForTheLatestWindowOnly() {
    StockLedger ledger = new StockLedger(3);
    for (int i = 1; i <= 5; i++) {
      ledger.applyReceived("R" + i, 10);
      ledger.applyReserved("o" + i, 1);
      ledger.applyCommitted("o" + i);
    }
    assertEquals(List.of("o3", "o4", "o5"), List.copyOf(ledger.committedOrders()));
    assertEquals(List.of("R3", "R4", "R5"), List.copyOf(ledger.receiptRefs()));
    assertTrue(ledger.isCommitted("o3"));
    assertFalse(ledger.isCommitted("o2"));
    assertFalse(ledger.hasReceipt("R1"));
    // forgetting changes no quantity
    assertEquals(45, ledger.onHand());
    assertEquals(5, ledger.shipped());
    assertEquals(0, ledger.reserved());
  }

  @Test
  void aRestoredLedgerForgetsInTheOrderTheOriginalWould() {
    StockLedger original = new StockLedger(3);
    original.applyReceived("R1", 10);
    for (int i = 1; i <= 4; i++) {
      original.applyReserved("o" + i, 1);
      original.applyCommitted("o" + i);
    }
    StockLedger restored = StockLedger.restore(3, original.onHand(), original.shipped(), original.reservations(),
        original.receiptRefs(), original.committedOrders());
    for (StockLedger ledger : List.of(original, restored)) {
      ledger.applyReserved("o5", 1);
      ledger.applyCommitted("o5");
    }
    assertEquals(List.of("o3", "o4", "o5"), List.copyOf(restored.committedOrders()));
    assertEquals(List.copyOf(original.committedOrders()), List.copyOf(restored.committedOrders()));
    assertEquals(original.available(), restored.available());
  }

  @Test
  void theDefaultWindowBoundsAHotSkusMemory() {
    StockLedger ledger = new StockLedger();
    ledger.applyReceived("R1", 1_000_000);
    int orders = StockLedger.IDEMPOTENCY_WINDOW * 3;
    for (int i = 0; i < orders; i++) {
      ledger.applyReserved("o" + i, 1);
      ledger.applyCommitted("o" + i);
    }
    assertEquals(StockLedger.IDEMPOTENCY_WINDOW, ledger.committedOrders().size());
    assertTrue(ledger.isCommitted("o" + (orders - 1)));
    assertEquals(orders, ledger.shipped());
  }
}
