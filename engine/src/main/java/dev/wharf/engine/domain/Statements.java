package dev.wharf.engine.domain;

import dev.wharf.proto.JournalRange;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Statements: what closing a period settles, drawn from the entries no statement has settled yet. */
public final class Statements {
  private Statements() {}

  /** An order's fee or penalty: the entries that put the order on the statement that settles them. */
  public static boolean chargesAnOrder(LedgerEntry e) {
    return e.getKind() == MovementKind.FEE_OUTBOUND || e.getKind() == MovementKind.PENALTY;
  }

  /**
   * The statement that settles the open entries written before {@code periodToMillis}, without its
   * number and closing time (the account gives those), or null when there are none. {@code open}
   * are the entries after {@code basis.lastSettledEntryNo}, in order. A statement covers a run of
   * entries without gaps, so it stops at the first entry at or after the period end; entries are
   * written in time order (AccountState#entryTime), so that is every entry before it.
   */
  public static Statement draft(JournalRange basis, List<LedgerEntry> open, long periodToMillis) {
    long credits = 0;
    long debits = 0;
    Set<String> orders = new LinkedHashSet<>();
    LedgerEntry first = null;
    LedgerEntry last = null;
    long expectedNo = basis.getLastSettledEntryNo() + 1;
    for (LedgerEntry e : open) {
      if (e.getEntryNo() != expectedNo) {
        throw new IllegalArgumentException("entry " + expectedNo + " expected, " + e.getEntryNo() + " given");
      }
      if (e.getEntryNo() > basis.getLastEntryNo() || e.getAtMillis() >= periodToMillis) {
        break;
      }
      expectedNo++;
      first = first == null ? e : first;
      last = e;
      if (e.getBalanceDelta() > 0) {
        credits += e.getBalanceDelta();
      } else {
        debits -= e.getBalanceDelta();
      }
      if (chargesAnOrder(e)) {
        orders.add(e.getSourceId());
      }
    }
    if (first == null) {
      return null;
    }
    return Statement.newBuilder()
        .setPeriodFromMillis(basis.getPeriodFromMillis())
        .setPeriodToMillis(periodToMillis)
        .setFirstEntryNo(first.getEntryNo())
        .setLastEntryNo(last.getEntryNo())
        .setOpeningBalance(first.getBalanceAfter() - first.getBalanceDelta())
        .setClosingBalance(last.getBalanceAfter())
        .setTotalCredits(credits)
        .setTotalDebits(debits)
        .setCurrency(first.getCurrency())
        .addAllOrderIds(orders)
        .build();
  }
}
