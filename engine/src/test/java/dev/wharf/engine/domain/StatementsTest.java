package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wharf.proto.JournalRange;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementsTest {
  private static LedgerEntry entry(long no, long at, MovementKind kind, String source, long delta, long balanceAfter) {
    return LedgerEntry.newBuilder().setEntryNo(no).setAtMillis(at).setKind(kind).setSourceId(source)
        .setBalanceDelta(delta).setBalanceAfter(balanceAfter).setCurrency("USD").build();
  }

  private static final JournalRange AFTER_TWO = JournalRange.newBuilder()
      .setLastSettledEntryNo(2).setLastEntryNo(6).setPeriodFromMillis(100).build();

  private static final List<LedgerEntry> OPEN = List.of(
      entry(3, 150, MovementKind.RECHARGE, "RC-2", 500, 1500),
      entry(4, 160, MovementKind.FEE_OUTBOUND, "o1", -200, 1300),
      entry(5, 170, MovementKind.PENALTY, "o2", -100, 1200),
      entry(6, 300, MovementKind.FEE_OUTBOUND, "o3", -200, 1000));

  @Test
  void aStatementSettlesTheOpenEntriesBeforeThePeriodEnd() {
    Statement s = Statements.draft(AFTER_TWO, OPEN, 200);
    assertEquals(3, s.getFirstEntryNo());
    assertEquals(5, s.getLastEntryNo());
    assertEquals(1000, s.getOpeningBalance());
    assertEquals(1200, s.getClosingBalance());
    assertEquals(500, s.getTotalCredits());
    assertEquals(300, s.getTotalDebits());
    assertEquals(List.of("o1", "o2"), s.getOrderIdsList());
    assertEquals(100, s.getPeriodFromMillis());
    assertEquals(200, s.getPeriodToMillis());
  }

  @Test
  void entriesWrittenAfterTheBasisAreLeftOut() {
    JournalRange upToFour = AFTER_TWO.toBuilder().setLastEntryNo(4).build();
    assertEquals(4, Statements.draft(upToFour, OPEN, 1_000).getLastEntryNo());
  }

  @Test
  void nothingOpenBeforeThePeriodEndIsNoStatement() {
    assertNull(Statements.draft(AFTER_TWO, OPEN, 150));
    assertNull(Statements.draft(AFTER_TWO, List.of(), 1_000));
  }

  @Test
  void aGapInTheEntriesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Statements.draft(AFTER_TWO, OPEN.subList(1, 4), 1_000));
  }
}
