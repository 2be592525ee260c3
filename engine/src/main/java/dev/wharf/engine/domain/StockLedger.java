package dev.wharf.engine.domain;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One SKU's stock in one warehouse for one client: on hand, reservations per order, and which
 * receipts and commits have already been applied (so retries change nothing).
 *
 * <p>Applied receipts and commits are remembered for the last {@link #IDEMPOTENCY_WINDOW} of each,
 * not forever, so a best-selling SKU's state and snapshots stay bounded (decision 0018). A retry
 * comes seconds or minutes after the original, far inside that many later commits of one SKU.
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

  /** How many of the latest receipt references and committed order ids are remembered. */
  public static final int IDEMPOTENCY_WINDOW = 5_000;

  private long onHand;
  private long reserved;
  private long shipped;
  private final Map<String, Long> reservations = new HashMap<>();
  private final RecentIds receiptRefs;
  private final RecentIds committedOrders;

  public StockLedger() {
    this(IDEMPOTENCY_WINDOW);
  }

  /** A ledger remembering the last {@code idempotencyWindow} receipts and commits (tests use small ones). */
  public StockLedger(int idempotencyWindow) {
    receiptRefs = new RecentIds(idempotencyWindow);
    committedOrders = new RecentIds(idempotencyWindow);
  }

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

  /** The remembered receipt references, oldest first. */
  public Collection<String> receiptRefs() {
    return receiptRefs.oldestFirst();
  }

  /** The remembered committed order ids, oldest first. */
  public Collection<String> committedOrders() {
    return committedOrders.oldestFirst();
  }

  /** How many ids a snapshot of this ledger lists: its size, for pacing snapshots. */
  public int snapshotEntries() {
    return reservations.size() + receiptRefs.size() + committedOrders.size();
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

  /** Rebuilds from a snapshot; receipts and commits come oldest first. */
  public static StockLedger restore(
      long onHand, long shipped, Map<String, Long> reservations, Iterable<String> receipts, Iterable<String> committed) {
    return restore(IDEMPOTENCY_WINDOW, onHand, shipped, reservations, receipts, committed);
  }

  public static StockLedger restore(int idempotencyWindow,
      long onHand, long shipped, Map<String, Long> reservations, Iterable<String> receipts, Iterable<String> committed) {
    StockLedger ledger = new StockLedger(idempotencyWindow);
    ledger.onHand = onHand;
    ledger.shipped = shipped;
    reservations.forEach(ledger::applyReserved);
    receipts.forEach(ledger.receiptRefs::add);
    committed.forEach(ledger.committedOrders::add);
    return ledger;
  }
}
