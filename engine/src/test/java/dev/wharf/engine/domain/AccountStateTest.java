package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.proto.ClientAccountSnapshot;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.LedgerPosted;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.Statement;
import dev.wharf.proto.StatementClosed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountStateTest {
  private static final long NOV = Instant.parse("2026-11-02T08:00:00Z").toEpochMilli();
  private static final long DEC = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  /** Posts an entry the way the entity does, as journal event {@code seq}. */
  private static LedgerEntry post(AccountState a, long seq, long at, MovementKind kind, String source, long balance, long held) {
    LedgerEntry e = a.nextEntry(at, kind, source, balance, held).setCurrency("USD").build();
    a.apply(LedgerPosted.newBuilder().setEntry(e).setSequenceNr(seq).build());
    return e;
  }

  @Test
  void theStateStaysTheSameSizeHoweverManyOrdersShip() {
    AccountState a = new AccountState(100);
    long seq = 0;
    post(a, ++seq, NOV, MovementKind.RECHARGE, "RC-1", 10_000_000, 0);
    int sizeAt1000 = 0;
    for (int i = 0; i < 3000; i++) {
      String order = String.format("o%05d", i); // ids of one length: sizes compare
      post(a, ++seq, NOV + i, MovementKind.HOLD, order, 0, 100);
      post(a, ++seq, NOV + i, MovementKind.FEE_OUTBOUND, order, -100, -100);
      if (i == 999) {
        sizeAt1000 = a.toSnapshot().getSerializedSize();
      }
    }
    ClientAccountSnapshot s = a.toSnapshot();
    assertEquals(100, s.getRecentOrderKeysCount());
    assertEquals(6001, s.getEntryCount());
    assertTrue(s.getSerializedSize() <= sizeAt1000 + 16, s.getSerializedSize() + " vs " + sizeAt1000);
    assertEquals(10_000_000 - 300_000, a.balance());
    assertEquals(3000, a.month("2026-11").getOrders());
  }

  /** A reader going on after an entry starts at the statement holding the next one, not at the first entry. */
  @Test
  void readingOnAfterAnEntryStartsAtTheStatementThatHoldsTheNextOne() {
    AccountState a = new AccountState(4);
    post(a, 1, NOV, MovementKind.RECHARGE, "RC-1", 1000, 0);
    post(a, 2, NOV, MovementKind.ADJUSTMENT, "A-1", 5, 0);
    a.apply(StatementClosed.newBuilder().setSequenceNr(3).setStatement(Statement.newBuilder()
        .setStatementNo("ST-C-0001").setFirstEntryNo(1).setLastEntryNo(2).setFirstSequenceNr(1).setPeriodToMillis(NOV + 1)).build());
    post(a, 4, NOV + 2, MovementKind.ADJUSTMENT, "A-2", 5, 0);
    post(a, 5, NOV + 2, MovementKind.ADJUSTMENT, "A-3", 5, 0);
    a.apply(StatementClosed.newBuilder().setSequenceNr(6).setStatement(Statement.newBuilder()
        .setStatementNo("ST-C-0002").setFirstEntryNo(3).setLastEntryNo(4).setFirstSequenceNr(4).setPeriodToMillis(NOV + 3)).build());
    post(a, 7, NOV + 4, MovementKind.ADJUSTMENT, "A-4", 5, 0);

    assertEquals(1, a.ledgerRange(0, 0).getFromSequenceNr());
    assertEquals(1, a.ledgerRange(0, 1).getFromSequenceNr());
    assertEquals(4, a.ledgerRange(0, 2).getFromSequenceNr(), "entry 3 opens the second statement");
    assertEquals(4, a.ledgerRange(0, 4).getFromSequenceNr(), "entry 5 is in no statement yet: after the last one's start");
    assertEquals(4, a.ledgerRange(0, 99).getFromSequenceNr());
    assertEquals(5, a.ledgerRange(0, 2).getLastEntryNo());
  }

  @Test
  void aRestoredStateForgetsTheSameKeysNextAndKnowsWhereMonthsStart() {
    AccountState a = new AccountState(4);
    post(a, 1, NOV, MovementKind.RECHARGE, "RC-1", 1000, 0);
    post(a, 2, NOV, MovementKind.HOLD, "o1", 0, 10);
    post(a, 3, NOV, MovementKind.HOLD, "o2", 0, 10);
    a.apply(StatementClosed.newBuilder().setSequenceNr(4).setNextOpenSequenceNr(0)
        .setStatement(Statement.newBuilder().setStatementNo("ST-C-0001").setFirstEntryNo(1).setLastEntryNo(3)
            .setPeriodToMillis(NOV + 1).addOrderIds("o1")).build());
    post(a, 5, DEC, MovementKind.HOLD, "o3", 0, 10);
    post(a, 6, DEC, MovementKind.HOLD, "o4", 0, 10);
    AccountState b = AccountState.fromSnapshot(a.toSnapshot(), 4);
    assertEquals(a.toSnapshot(), b.toSnapshot());
    assertEquals(0, b.statements().get(0).getOrderIdsCount(), "order lists stay in the journal");
    assertEquals(4, b.statements().get(0).getSequenceNr());
    assertEquals(5, b.openRange().getFromSequenceNr());
    assertEquals(3, b.openRange().getLastSettledEntryNo());
    assertEquals(5, b.ledgerRange(DEC + 5).getFromSequenceNr());
    assertEquals(1, b.ledgerRange(NOV).getFromSequenceNr());
    assertEquals(1, b.ledgerRange(NOV, 3).getFromSequenceNr(), "a statement that does not know its place narrows nothing");
    for (AccountState s : List.of(a, b)) {
      post(s, 7, DEC, MovementKind.HOLD, "o5", 0, 10);
      assertFalse(s.applied("o1", MovementKind.HOLD), "the oldest is forgotten first");
      assertTrue(s.applied("o2", MovementKind.HOLD));
      assertTrue(s.applied("RC-1", MovementKind.RECHARGE), "recharges are remembered for good");
    }
    assertEquals("ST-C-0001", b.settlementOfEntry(3));
    assertEquals(AccountState.NO_BALANCE, b.settlementOfEntry(4));
  }

  @Test
  void aPenaltySaysItselfWhetherItsOrderWasCountedAtHold() {
    AccountState a = new AccountState(2);
    post(a, 1, NOV, MovementKind.RECHARGE, "RC-1", 1000, 0);
    post(a, 2, NOV, MovementKind.HOLD, "o1", 0, 10);
    LedgerEntry penalty = a.nextEntry(NOV, MovementKind.PENALTY, "o1", -100, 0).setCurrency("USD").build();
    assertTrue(penalty.getOrderCountedAtHold());
    // the hold is forgotten before the penalty is applied (replayed with a smaller window)
    post(a, 3, NOV, MovementKind.HOLD, "o2", 0, 10);
    post(a, 4, NOV, MovementKind.HOLD, "o3", 0, 10);
    assertFalse(a.applied("o1", MovementKind.HOLD));
    a.apply(LedgerPosted.newBuilder().setEntry(penalty.toBuilder().setEntryNo(5)).setSequenceNr(5).build());
    assertEquals(3, a.month("2026-11").getOrders(), "counted once, at its hold");
    assertEquals(1, a.month("2026-11").getCancelled());
    post(a, 6, NOV, MovementKind.PENALTY, "never-held", -100, 0);
    assertEquals(4, a.month("2026-11").getOrders(), "an order cancelled before any hold counts at its penalty");
    assertEquals(2, a.month("2026-11").getCancelled());
  }

  /**
   * A busy account forgets old hold keys: an order held long ago and cancelled now was counted at
   * its hold all the same, which its open hold (or a release still remembered) tells.
   */
  @Test
  void aPenaltyForAnOrderHeldBeyondTheWindowCountsItOnce() {
    AccountState a = new AccountState(2);
    post(a, 1, NOV, MovementKind.RECHARGE, "RC-1", 1000, 0);
    post(a, 2, NOV, MovementKind.HOLD, "old", 0, 10);
    post(a, 3, NOV, MovementKind.HOLD, "o2", 0, 10);
    post(a, 4, NOV, MovementKind.HOLD, "o3", 0, 10);
    assertFalse(a.applied("old", MovementKind.HOLD), "beyond the window");
    assertTrue(a.nextEntry(NOV, MovementKind.PENALTY, "old", -100, 0).getOrderCountedAtHold(), "its hold is still open");
    post(a, 5, NOV, MovementKind.RELEASE, "old", 0, -10);
    assertTrue(a.nextEntry(NOV, MovementKind.PENALTY, "old", -100, 0).getOrderCountedAtHold(), "its release is remembered");
    post(a, 6, NOV, MovementKind.PENALTY, "old", -100, 0);
    assertEquals(3, a.month("2026-11").getOrders(), "counted once, at its hold");
    assertEquals(1, a.month("2026-11").getCancelled());
  }

  @Test
  void theBalanceLimitHoldsEitherWayForAnyDelta() {
    AccountState a = new AccountState();
    assertTrue(a.keepsBalanceWithinLimit(Moneys.MAX_BALANCE));
    assertTrue(a.keepsBalanceWithinLimit(-Moneys.MAX_BALANCE));
    assertFalse(a.keepsBalanceWithinLimit(Moneys.MAX_BALANCE + 1));
    assertFalse(a.keepsBalanceWithinLimit(Long.MAX_VALUE));
    assertFalse(a.keepsBalanceWithinLimit(Long.MIN_VALUE));
    post(a, 1, NOV, MovementKind.ADJUSTMENT, "ADJ-1", -Moneys.MAX_BALANCE, 0);
    assertFalse(a.keepsBalanceWithinLimit(-1));
    assertFalse(a.keepsBalanceWithinLimit(-Moneys.UNPAYABLE));
    assertTrue(a.keepsBalanceWithinLimit(Moneys.UNPAYABLE), "from the lowest balance to the highest");
  }

  @Test
  void entriesAreDatedInTimeOrderWhenTheClockStepsBack() {
    AccountState a = new AccountState();
    post(a, 1, NOV + 5_000, MovementKind.RECHARGE, "RC-1", 1000, 0);
    LedgerEntry earlier = post(a, 2, NOV, MovementKind.RECHARGE, "RC-2", 1000, 0);
    assertEquals(NOV + 5_000, earlier.getAtMillis());
  }

  /**
   * Copies of a hold can wait in the account's queue behind thousands of other movements (reviews
   * retried while the account is the bottleneck): seen with the load generator's --fees, where
   * forgotten keys let late copies hold again. An open hold, or its capture or release, answers them.
   */
  @Test
  void aHoldRetriedBehindManyMovementsIsNotHeldAgain() {
    AccountState a = new AccountState(4);
    post(a, 0, NOV, MovementKind.RECHARGE, "RC-1", 10_000, 0);
    post(a, 1, NOV, MovementKind.HOLD, "o1", 0, 100);
    for (int i = 2; i <= 11; i++) {
      post(a, i, NOV, MovementKind.HOLD, "x" + i, 0, 100);
    }
    assertFalse(a.applied("o1", MovementKind.HOLD), "its key is forgotten");
    assertEquals(new AccountState.HoldDecision.Already(), a.decideHold("o1", 100), "its hold is open");
    post(a, 12, NOV, MovementKind.FEE_OUTBOUND, "o1", -100, -100);
    assertEquals(new AccountState.HoldDecision.Already(), a.decideHold("o1", 100), "its hold was captured");
    post(a, 13, NOV, MovementKind.RELEASE, "x2", 0, -100);
    assertEquals(new AccountState.HoldDecision.Already(), a.decideHold("x2", 100), "its hold was released");
    assertEquals(new AccountState.HoldDecision.Hold(100), a.decideHold("new", 100));
  }

  @Test
  void aPenaltyIsRememberedUntilAStatementSettlesIt() {
    AccountState a = new AccountState(2);
    post(a, 1, NOV, MovementKind.RECHARGE, "RC-1", 1000, 0);
    post(a, 2, NOV, MovementKind.PENALTY, "o1", -100, 0);
    for (int i = 3; i <= 8; i++) {
      post(a, i, NOV, MovementKind.HOLD, "x" + i, 0, 10);
    }
    assertTrue(a.applied("o1", MovementKind.PENALTY), "beyond the window, not yet settled");
    AccountState restored = AccountState.fromSnapshot(a.toSnapshot(), 2);
    assertTrue(restored.applied("o1", MovementKind.PENALTY));
    for (AccountState s : List.of(a, restored)) {
      s.apply(StatementClosed.newBuilder().setSequenceNr(9)
          .setStatement(Statement.newBuilder().setStatementNo("ST-C-0001").setFirstEntryNo(1).setLastEntryNo(8)
              .setPeriodToMillis(NOV + 1)).build());
      assertFalse(s.applied("o1", MovementKind.PENALTY), "settled: its retries are long over");
    }
  }

  /** A snapshot from before decision 0020 held the whole ledger; what the state needs is taken from it. */
  @Test
  void aSnapshotThatHeldTheWholeLedgerIsRead() {
    List<LedgerEntry> entries = new ArrayList<>();
    AccountState old = new AccountState();
    entries.add(post(old, 0, NOV, MovementKind.RECHARGE, "RC-1", 1000, 0));
    entries.add(post(old, 0, NOV, MovementKind.HOLD, "o1", 0, 300));
    entries.add(post(old, 0, NOV + Duration.ofDays(40).toMillis(), MovementKind.FEE_OUTBOUND, "o1", -300, -300));
    ClientAccountSnapshot legacy = ClientAccountSnapshot.newBuilder()
        .setCurrency("USD").setBalance(700).setHeld(0)
        .addAllAppliedKeys(List.of("RC-1|RECHARGE", "o1|HOLD", "o1|FEE_OUTBOUND"))
        .addAllEntries(entries)
        .addStatements(Statement.newBuilder().setStatementNo("ST-C-0001").setFirstEntryNo(1).setLastEntryNo(2)
            .addOrderIds("o1"))
        .putOrderStatements("o1", "ST-C-0001")
        .build();
    AccountState a = AccountState.fromSnapshot(legacy);
    assertEquals(3, a.entryCount());
    assertEquals(3, a.entryOf("o1", MovementKind.FEE_OUTBOUND));
    assertTrue(a.applied("RC-1", MovementKind.RECHARGE));
    assertEquals(700, a.balance());
    assertEquals(1, a.openRange().getFromSequenceNr(), "where old entries are is not known: read from the start");
    assertEquals(1, a.ledgerRange(NOV + Duration.ofDays(40).toMillis()).getFromSequenceNr());
    assertEquals(0, a.statements().get(0).getOrderIdsCount());
    LedgerEntry next = a.nextEntry(NOV, MovementKind.RECHARGE, "RC-2", 5, 0).build();
    assertEquals(4, next.getEntryNo());
    assertEquals(NOV + Duration.ofDays(40).toMillis(), next.getAtMillis(), "never dated before the latest entry");
  }
}
