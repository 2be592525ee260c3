package dev.wharf.engine.domain;

import com.google.protobuf.Message;
import dev.wharf.proto.AccountBillingSet;
import dev.wharf.proto.AppliedKey;
import dev.wharf.proto.ClientAccountSnapshot;
import dev.wharf.proto.HeldFee;
import dev.wharf.proto.JournalRange;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.LedgerPosted;
import dev.wharf.proto.MonthCount;
import dev.wharf.proto.MonthStart;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.Statement;
import dev.wharf.proto.StatementClosed;
import dev.wharf.proto.StatementPeriodEnded;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A client's money: balance, credit limit, fees held for reviewed orders, and where its ledger is.
 * available = balance + credit limit - held, and a hold never takes more than is available. Each
 * movement is applied at most once per (source id, kind), so a retried charge never doubles. The
 * ClientAccount entity is its only writer.
 *
 * <p>The ledger entries and the statements' order lists live in the account's journal only, not
 * here (decision 0020): this state stays the same size however many orders a client ships. It
 * keeps what the account decides with (totals, open holds, recent idempotency keys, penalties no
 * statement has settled yet, monthly counts) and where to start reading the journal (a month's
 * first entry, the first open entry).
 */
public final class AccountState {
  /** How many order movements (hold, release, fee, penalty) are remembered for retries. */
  public static final int ORDER_KEY_WINDOW = 20_000;

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

  private final int orderKeyWindow;
  private String currency = "";
  private long balance;
  private long held;
  private long creditLimit;
  private String groupId = "";
  private long entryCount;
  private long lastAtMillis;
  private final Map<String, HeldFee> holds = new HashMap<>();
  private final Map<String, Long> recentOrderKeys;
  // penalties have no open hold to guard their retries: their keys stay until a statement settles them
  private final Map<String, Long> unsettledPenalties = new LinkedHashMap<>();
  // recharges, refunds, adjustments, inbound fees: paced by people and receipts, remembered for good
  private final Set<String> otherKeys = new HashSet<>();
  private final List<Statement> statements = new ArrayList<>();
  private final Map<String, MonthCount> months = new LinkedHashMap<>();
  private final TreeMap<String, Long> monthStarts = new TreeMap<>();
  private long openFromSequenceNr = 1;

  public AccountState() {
    this(ORDER_KEY_WINDOW);
  }

  public AccountState(int orderKeyWindow) {
    if (orderKeyWindow <= 0) {
      throw new IllegalArgumentException("the order key window must be positive");
    }
    this.orderKeyWindow = orderKeyWindow;
    this.recentOrderKeys = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > AccountState.this.orderKeyWindow;
      }
    };
  }

  /** What a hold request would do. */
  public sealed interface HoldDecision {
    record Already() implements HoldDecision {}

    record NothingToHold() implements HoldDecision {}

    record Hold(long amount) implements HoldDecision {}

    record Insufficient(long required, long available) implements HoldDecision {}
  }

  public String currency() {
    return currency;
  }

  /** The account's currency, or the given default while no money has moved yet. */
  public String currencyOr(String defaultCurrency) {
    return currency.isEmpty() ? defaultCurrency : currency;
  }

  public long balance() {
    return balance;
  }

  public long held() {
    return held;
  }

  public long creditLimit() {
    return creditLimit;
  }

  public long available() {
    return balance + creditLimit - held;
  }

  /** Whether a movement of {@code balanceDelta} keeps the balance within {@link Moneys#MAX_BALANCE} either way. */
  public boolean keepsBalanceWithinLimit(long balanceDelta) {
    return Moneys.balanceStaysWithinLimit(balance, balanceDelta);
  }

  public String groupId() {
    return groupId;
  }

  /** The number of the latest ledger entry (entries are numbered from 1 without gaps). */
  public long entryCount() {
    return entryCount;
  }

  /** Statements closed so far, without their order lists (those are in the journal). */
  public List<Statement> statements() {
    return statements;
  }

  public static String key(String sourceId, MovementKind kind) {
    return sourceId + "|" + kind.name();
  }

  /** Movements made per order: remembered in a window, the others for good. */
  static boolean isOrderMovement(MovementKind kind) {
    return kind == MovementKind.HOLD || kind == MovementKind.RELEASE || kind == MovementKind.FEE_OUTBOUND
        || kind == MovementKind.PENALTY;
  }

  public boolean applied(String sourceId, MovementKind kind) {
    return entryOf(sourceId, kind) > 0 || (!isOrderMovement(kind) && otherKeys.contains(key(sourceId, kind)));
  }

  /** The entry an order movement wrote, if it is still remembered; 0 otherwise. */
  public long entryOf(String sourceId, MovementKind kind) {
    Long entryNo = recentOrderKeys.get(key(sourceId, kind));
    if (entryNo == null && kind == MovementKind.PENALTY) {
      entryNo = unsettledPenalties.get(sourceId);
    }
    return entryNo == null ? 0 : entryNo;
  }

  public HeldFee holdOf(String orderId) {
    return holds.get(orderId);
  }

  /**
   * A retried hold can wait in the account's queue behind many other movements, so the key window
   * alone does not decide: a hold still open, or a hold already captured or released, is
   * "already"; those keys are newer than the hold's. Copies of a hold are sent before the review
   * ends and a capture or release only after, so a copy never arrives after both are forgotten.
   */
  public HoldDecision decideHold(String orderId, long amount) {
    return decideHold(orderId, amount, 0);
  }

  /** The same, with {@code pendingHeld} already promised to holds not yet written. */
  public HoldDecision decideHold(String orderId, long amount, long pendingHeld) {
    if (holds.containsKey(orderId) || applied(orderId, MovementKind.HOLD)
        || applied(orderId, MovementKind.FEE_OUTBOUND) || applied(orderId, MovementKind.RELEASE)) {
      return new HoldDecision.Already();
    }
    if (amount == 0) {
      return new HoldDecision.NothingToHold();
    }
    long available = available() - pendingHeld;
    if (amount > available) {
      return new HoldDecision.Insufficient(amount, available);
    }
    return new HoldDecision.Hold(amount);
  }

  /**
   * The time of a new entry: the clock, but never before the latest entry nor a period end a
   * statement basis was given for, so entries stay in time order and a period end cuts the ledger
   * in one place (statements and ledger reads rely on it).
   */
  public long entryTime(long clockMillis) {
    return Math.max(clockMillis, lastAtMillis);
  }

  /** Whether every entry written from now on is dated at or after {@code millis}, whatever the clock says. */
  public boolean datesNextEntriesFrom(long millis) {
    return lastAtMillis >= millis;
  }

  /** A new ledger entry continuing the running totals. */
  public LedgerEntry.Builder nextEntry(long clockMillis, MovementKind kind, String sourceId, long balanceDelta, long heldDelta) {
    LedgerEntry.Builder entry = LedgerEntry.newBuilder()
        .setEntryNo(entryCount + 1)
        .setAtMillis(entryTime(clockMillis))
        .setKind(kind)
        .setSourceId(sourceId)
        .setBalanceDelta(balanceDelta)
        .setHeldDelta(heldDelta)
        .setBalanceAfter(Math.addExact(balance, balanceDelta))
        .setHeldAfter(Math.addExact(held, heldDelta));
    if (kind == MovementKind.PENALTY) {
      // the hold's own key may be beyond the window by now; an open hold or a remembered release
      // (both newer, and a cancel releases the fee while it posts the penalty) count as well
      entry.setOrderCountedAtHold(applied(sourceId, MovementKind.HOLD) || holds.containsKey(sourceId)
          || applied(sourceId, MovementKind.RELEASE));
    }
    return entry;
  }

  /** Where the ledger's entries from {@code fromMillis} on start in the journal, and where they end now. */
  public JournalRange ledgerRange(long fromMillis) {
    Map.Entry<String, Long> start = monthStarts.floorEntry(monthOf(Math.max(0, fromMillis)));
    long from = start == null || start.getValue() == 0 ? 1 : start.getValue();
    return range(from);
  }

  /**
   * The same for the entries after entry {@code afterEntryNo} too: they start no earlier than the
   * first entry of the last statement that begins at or before the next one (statements closed
   * before decision 0020 do not know their place and narrow nothing).
   */
  public JournalRange ledgerRange(long fromMillis, long afterEntryNo) {
    long from = ledgerRange(fromMillis).getFromSequenceNr();
    for (Statement closed : statements) {
      if (closed.getFirstEntryNo() <= afterEntryNo + 1) {
        from = Math.max(from, closed.getFirstSequenceNr());
      }
    }
    return range(from);
  }

  /** Where the entries no statement has settled yet start in the journal. */
  public JournalRange openRange() {
    return range(openFromSequenceNr);
  }

  private JournalRange range(long fromSequenceNr) {
    Statement last = statements.isEmpty() ? null : statements.get(statements.size() - 1);
    return JournalRange.newBuilder()
        .setFromSequenceNr(fromSequenceNr)
        .setLastEntryNo(entryCount)
        .setLastSettledEntryNo(last == null ? 0 : last.getLastEntryNo())
        .setPeriodFromMillis(last == null ? 0 : last.getPeriodToMillis())
        .build();
  }

  /** The number the next statement gets. */
  public String nextStatementNo(String clientId) {
    return String.format("ST-%s-%04d", clientId, statements.size() + 1);
  }

  /** An order's settlement before any statement has listed it. */
  public static final String NO_BALANCE = "NoBalance";

  /** The statement that settled ledger entry {@code entryNo}, or "NoBalance" while none has. */
  public String settlementOfEntry(long entryNo) {
    // statements cover entries 1..n without gaps, in order
    for (Statement s : statements) {
      if (entryNo <= s.getLastEntryNo()) {
        return s.getStatementNo();
      }
    }
    return NO_BALANCE;
  }

  /**
   * A statement lists an order only for its outbound fee, charged when it ships, or its
   * cancellation penalty (see {@link Statements#draft}); any other order is "NoBalance" without
   * asking its account.
   */
  public static boolean mayBeOnStatement(OrderView order) {
    return (order.getStatus() == OrderStatus.SHIPPED && order.getOutboundFee().getAmount() > 0)
        || (order.getStatus() == OrderStatus.CANCELLED && order.getCancellation().getPenalty().getAmount() > 0);
  }

  public MonthCount month(String month) {
    return months.getOrDefault(month, MonthCount.newBuilder().setMonth(month).build());
  }

  public static String monthOf(long atMillis) {
    return MONTH.format(Instant.ofEpochMilli(atMillis));
  }

  public AccountState apply(Message event) {
    if (event instanceof LedgerPosted e) {
      applyEntry(e);
    } else if (event instanceof AccountBillingSet e) {
      groupId = e.getGroupId();
      creditLimit = e.getCreditLimit().getAmount();
      // until money has moved, the billing settings decide the account's currency
      if (entryCount == 0 && !e.getCreditLimit().getCurrency().isEmpty()) {
        currency = e.getCreditLimit().getCurrency();
      }
    } else if (event instanceof StatementPeriodEnded e) {
      lastAtMillis = Math.max(lastAtMillis, e.getPeriodToMillis());
    } else if (event instanceof StatementClosed e) {
      statements.add(e.getStatement().toBuilder().clearOrderIds().setSequenceNr(e.getSequenceNr()).build());
      unsettledPenalties.values().removeIf(entryNo -> entryNo <= e.getStatement().getLastEntryNo());
      if (e.getNextOpenSequenceNr() > 0) {
        openFromSequenceNr = e.getNextOpenSequenceNr();
      } else if (e.getSequenceNr() > 0) {
        openFromSequenceNr = e.getSequenceNr() + 1;
      } // else written before decision 0020: keep reading from where we did, which is safe
    } else {
      throw new IllegalArgumentException("not an account event: " + event.getClass());
    }
    return this;
  }

  private void applyEntry(LedgerPosted posted) {
    LedgerEntry e = posted.getEntry();
    if (currency.isEmpty()) {
      currency = e.getCurrency();
    }
    entryCount = e.getEntryNo();
    lastAtMillis = Math.max(lastAtMillis, e.getAtMillis());
    balance = e.getBalanceAfter();
    held = e.getHeldAfter();
    String month = monthOf(e.getAtMillis());
    monthStarts.putIfAbsent(month, posted.getSequenceNr());
    boolean heldBefore = applied(e.getSourceId(), MovementKind.HOLD);
    remember(e.getSourceId(), e.getKind(), e.getEntryNo());
    switch (e.getKind()) {
      case HOLD -> {
        holds.put(e.getSourceId(), HeldFee.newBuilder().setOrderId(e.getSourceId()).setAmount(e.getHeldDelta())
            .setGroupId(e.getGroupId()).setRuleVersion(e.getRuleVersion()).build());
        count(month, 1, 0);
      }
      case RELEASE, FEE_OUTBOUND -> holds.remove(e.getSourceId());
      case PENALTY -> {
        boolean counted = e.hasOrderCountedAtHold() ? e.getOrderCountedAtHold() : heldBefore;
        count(month, counted ? 0 : 1, 1);
      }
      default -> { }
    }
  }

  private void remember(String sourceId, MovementKind kind, long entryNo) {
    if (isOrderMovement(kind)) {
      recentOrderKeys.put(key(sourceId, kind), entryNo);
      if (kind == MovementKind.PENALTY) {
        unsettledPenalties.put(sourceId, entryNo);
      }
    } else {
      otherKeys.add(key(sourceId, kind));
    }
  }

  private void count(String month, long orders, long cancelled) {
    MonthCount m = month(month);
    months.put(month, m.toBuilder().setOrders(m.getOrders() + orders).setCancelled(m.getCancelled() + cancelled).build());
  }

  /** How many entries a snapshot of this state lists (holds, remembered keys, statements...): its size, for pacing snapshots. */
  public int snapshotEntries() {
    return holds.size() + recentOrderKeys.size() + unsettledPenalties.size() + otherKeys.size()
        + statements.size() + months.size() + monthStarts.size();
  }

  public ClientAccountSnapshot toSnapshot() {
    ClientAccountSnapshot.Builder s = ClientAccountSnapshot.newBuilder()
        .setLedgerInJournal(true)
        .setCurrency(currency)
        .setBalance(balance)
        .setHeld(held)
        .setCreditLimit(creditLimit)
        .setGroupId(groupId)
        .setEntryCount(entryCount)
        .setLastAtMillis(lastAtMillis)
        .addAllHolds(holds.values())
        .addAllAppliedKeys(otherKeys)
        .addAllStatements(statements)
        .addAllMonths(months.values())
        .setOpenFromSequenceNr(openFromSequenceNr);
    // oldest first, so a restored state forgets the same keys next
    recentOrderKeys.forEach((key, entryNo) -> s.addRecentOrderKeys(AppliedKey.newBuilder().setKey(key).setEntryNo(entryNo)));
    monthStarts.forEach((month, seq) -> s.addMonthStarts(MonthStart.newBuilder().setMonth(month).setSequenceNr(seq)));
    unsettledPenalties.forEach((orderId, entryNo) ->
        s.addUnsettledPenalties(AppliedKey.newBuilder().setKey(orderId).setEntryNo(entryNo)));
    return s.build();
  }

  public static AccountState fromSnapshot(ClientAccountSnapshot s) {
    return fromSnapshot(s, ORDER_KEY_WINDOW);
  }

  public static AccountState fromSnapshot(ClientAccountSnapshot s, int orderKeyWindow) {
    AccountState a = new AccountState(orderKeyWindow);
    a.currency = s.getCurrency();
    a.balance = s.getBalance();
    a.held = s.getHeld();
    a.creditLimit = s.getCreditLimit();
    a.groupId = s.getGroupId();
    s.getHoldsList().forEach(h -> a.holds.put(h.getOrderId(), h));
    s.getMonthsList().forEach(m -> a.months.put(m.getMonth(), m));
    s.getStatementsList().forEach(st -> a.statements.add(st.toBuilder().clearOrderIds().build()));
    if (s.getLedgerInJournal()) {
      a.entryCount = s.getEntryCount();
      a.lastAtMillis = s.getLastAtMillis();
      a.otherKeys.addAll(s.getAppliedKeysList());
      s.getRecentOrderKeysList().forEach(k -> a.recentOrderKeys.put(k.getKey(), k.getEntryNo()));
      s.getMonthStartsList().forEach(m -> a.monthStarts.put(m.getMonth(), m.getSequenceNr()));
      s.getUnsettledPenaltiesList().forEach(k -> a.unsettledPenalties.put(k.getKey(), k.getEntryNo()));
      a.openFromSequenceNr = Math.max(1, s.getOpenFromSequenceNr());
    } else {
      // written when the state held the whole ledger: keep what the state needs now; the
      // entries' places in the journal are not known, so their months are read from the start
      for (LedgerEntry e : s.getEntriesList()) {
        a.entryCount = e.getEntryNo();
        a.lastAtMillis = Math.max(a.lastAtMillis, e.getAtMillis());
        a.monthStarts.putIfAbsent(monthOf(e.getAtMillis()), 0L);
        a.remember(e.getSourceId(), e.getKind(), e.getEntryNo());
      }
      long settled = a.statements.isEmpty() ? 0 : a.statements.get(a.statements.size() - 1).getLastEntryNo();
      a.unsettledPenalties.values().removeIf(entryNo -> entryNo <= settled);
    }
    return a;
  }
}
