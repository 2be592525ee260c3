package dev.wharf.engine.domain;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One SKU's stock in one warehouse for one client: on hand, reservations per order, and which
 * receipts and commits have already been applied (so retries change nothing).
 *
 * <p>Invariant: available = onHand - reserved is never negative. Mutated only by the
 * SkuStock entity's event handler, which is its single writer.
 */
public final class StockLedger {
  /** What a reservation request would do. */
  public sealed interface ReserveDecision {
    record AlreadyReserved(long qty) implements ReserveDecision {}

    record Reserve(long qty) implements ReserveDecision {}

    record Short(long requested, long available) implements ReserveDecision {}
  }

  private long onHand;
  private long reserved;
  private long shipped;
  private final Map<String, Long> reservations = new HashMap<>();
  private final Set<String> receiptRefs = new HashSet<>();
  private final Set<String> committedOrders = new HashSet<>();

  public long onHand() {
    return onHand;
  }

  public long reserved() {
    return reserved;
  }

  public long available() {
    return onHand - reserved;
  }

  public long shipped() {
    return shipped;
  }

  public Map<String, Long> reservations() {
    return reservations;
  }

  public Set<String> receiptRefs() {
    return receiptRefs;
  }

  public Set<String> committedOrders() {
    return committedOrders;
  }

  public boolean hasReceipt(String ref) {
    return receiptRefs.contains(ref);
  }

  public boolean holdsReservation(String orderId) {
    return reservations.containsKey(orderId);
  }

  public boolean isCommitted(String orderId) {
    return committedOrders.contains(orderId);
  }

  /** A reservation is all or nothing for the line: it fits, or it is refused with what is available. */
  public ReserveDecision decideReserve(String orderId, long qty) {
    return decideReserve(orderId, qty, 0);
  }

  /**
   * The same, counting {@code pendingQty} units already promised to reservations that are accepted
   * but not yet persisted (a batch in flight), so a batch can never oversell.
   */
  public ReserveDecision decideReserve(String orderId, long qty, long pendingQty) {
    if (qty <= 0) {
      throw new IllegalArgumentException("qty must be positive");
    }
    Long existing = reservations.get(orderId);
    if (existing != null) {
      return new ReserveDecision.AlreadyReserved(existing);
    }
    long available = available() - pendingQty;
    if (qty > available) {
      return new ReserveDecision.Short(qty, available);
    }
    return new ReserveDecision.Reserve(qty);
  }

  public void applyReceived(String ref, long qty) {
    receiptRefs.add(ref);
    onHand += qty;
  }

  public void applyReserved(String orderId, long qty) {
    reservations.put(orderId, qty);
    reserved += qty;
  }

  public void applyReleased(String orderId) {
    Long qty = reservations.remove(orderId);
    if (qty != null) {
      reserved -= qty;
    }
  }

  /** Ship: the reserved goods leave the warehouse. */
  public void applyCommitted(String orderId) {
    Long qty = reservations.remove(orderId);
    if (qty != null) {
      reserved -= qty;
      onHand -= qty;
      shipped += qty;
    }
    committedOrders.add(orderId);
  }

  /** Rebuilds from a snapshot. */
  public static StockLedger restore(
      long onHand, long shipped, Map<String, Long> reservations, Iterable<String> receipts, Iterable<String> committed) {
    StockLedger ledger = new StockLedger();
    ledger.onHand = onHand;
    ledger.shipped = shipped;
    reservations.forEach(ledger::applyReserved);
    receipts.forEach(ledger.receiptRefs::add);
    committed.forEach(ledger.committedOrders::add);
    return ledger;
  }
}
