package dev.wharf.engine.domain;

import com.google.protobuf.Message;
import dev.wharf.proto.AccountBillingSet;
import dev.wharf.proto.ClientAccountSnapshot;
import dev.wharf.proto.HeldFee;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.LedgerPosted;
import dev.wharf.proto.MonthCount;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.Statement;
import dev.wharf.proto.StatementClosed;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's money: balance, credit limit, fees held for reviewed orders, and the ledger of
 * every movement. available = balance + credit limit - held, and a hold never takes more than is
 * available. Each movement is applied at most once per (source id, kind), so a retried charge
 * never doubles. The ClientAccount entity is its only writer.
 */
public final class AccountState {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

  private String currency = "";
  private long balance;
  private long held;
  private long creditLimit;
  private String groupId = "";
  private final Map<String, HeldFee> holds = new HashMap<>();
  private final Set<String> appliedKeys = new HashSet<>();
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final List<Statement> statements = new ArrayList<>();
  private final Map<String, MonthCount> months = new LinkedHashMap<>();
  private final Map<String, String> orderStatements = new HashMap<>();

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

  public String groupId() {
    return groupId;
  }

  public List<LedgerEntry> entries() {
    return entries;
  }

  public List<Statement> statements() {
    return statements;
  }

  public static String key(String sourceId, MovementKind kind) {
    return sourceId + "|" + kind.name();
  }

  public boolean applied(String sourceId, MovementKind kind) {
    return appliedKeys.contains(key(sourceId, kind));
  }

  public HeldFee holdOf(String orderId) {
    return holds.get(orderId);
  }

  /** Whether money in this currency may move on this account (the first movement fixes it). */
  public boolean acceptsCurrency(String c) {
    return currency.isEmpty() || currency.equals(c);
  }

  public HoldDecision decideHold(String orderId, long amount) {
    if (applied(orderId, MovementKind.HOLD)) {
      return new HoldDecision.Already();
    }
    if (amount == 0) {
      return new HoldDecision.NothingToHold();
    }
    if (amount > available()) {
      return new HoldDecision.Insufficient(amount, available());
    }
    return new HoldDecision.Hold(amount);
  }

  /** A new ledger entry continuing the running totals. */
  public LedgerEntry.Builder nextEntry(long atMillis, MovementKind kind, String sourceId, long balanceDelta, long heldDelta) {
    return LedgerEntry.newBuilder()
        .setEntryNo(entries.size() + 1L)
        .setAtMillis(atMillis)
        .setKind(kind)
        .setSourceId(sourceId)
        .setBalanceDelta(balanceDelta)
        .setHeldDelta(heldDelta)
        .setBalanceAfter(Math.addExact(balance, balanceDelta))
        .setHeldAfter(Math.addExact(held, heldDelta));
  }

  /** Closes everything not yet settled up to {@code periodTo} into a numbered statement, or null. */
  public Statement statementUpTo(String clientId, long periodToMillis, long nowMillis) {
    long lastSettled = statements.isEmpty() ? 0 : statements.get(statements.size() - 1).getLastEntryNo();
    long periodFrom = statements.isEmpty() ? 0 : statements.get(statements.size() - 1).getPeriodToMillis();
    List<LedgerEntry> open = entries.stream()
        .filter(e -> e.getEntryNo() > lastSettled && e.getAtMillis() < periodToMillis)
        .toList();
    if (open.isEmpty()) {
      return null;
    }
    long credits = 0;
    long debits = 0;
    Set<String> orders = new LinkedHashSet<>();
    for (LedgerEntry e : open) {
      if (e.getBalanceDelta() > 0) {
        credits += e.getBalanceDelta();
      } else {
        debits -= e.getBalanceDelta();
      }
      if (e.getKind() == MovementKind.FEE_OUTBOUND || e.getKind() == MovementKind.PENALTY) {
        orders.add(e.getSourceId());
      }
    }
    LedgerEntry first = open.get(0);
    LedgerEntry last = open.get(open.size() - 1);
    return Statement.newBuilder()
        .setStatementNo(String.format("ST-%s-%04d", clientId, statements.size() + 1))
        .setPeriodFromMillis(periodFrom)
        .setPeriodToMillis(periodToMillis)
        .setFirstEntryNo(first.getEntryNo())
        .setLastEntryNo(last.getEntryNo())
        .setOpeningBalance(first.getBalanceAfter() - first.getBalanceDelta())
        .setClosingBalance(last.getBalanceAfter())
        .setTotalCredits(credits)
        .setTotalDebits(debits)
        .setCurrency(currency)
        .addAllOrderIds(orders)
        .setClosedAtMillis(nowMillis)
        .build();
  }

  /** An order's settlement before any statement has listed it. */
  public static final String NO_BALANCE = "NoBalance";

  /** "NoBalance" until a statement has settled the order's charges, then that statement's number. */
  public String settlementOf(String orderId) {
    return orderStatements.getOrDefault(orderId, NO_BALANCE);
  }

  /**
   * A statement lists an order only for its outbound fee or its cancellation penalty (see
   * {@link #statementUpTo}); an order with neither is "NoBalance" without asking its account.
   */
  public static boolean mayBeOnStatement(OrderView order) {
    return order.getOutboundFee().getAmount() > 0 || order.getCancellation().getPenalty().getAmount() > 0;
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
      if (entries.isEmpty() && !e.getCreditLimit().getCurrency().isEmpty()) {
        currency = e.getCreditLimit().getCurrency();
      }
    } else if (event instanceof StatementClosed e) {
      statements.add(e.getStatement());
      e.getStatement().getOrderIdsList().forEach(id -> orderStatements.put(id, e.getStatement().getStatementNo()));
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
    entries.add(e);
    balance = e.getBalanceAfter();
    held = e.getHeldAfter();
    appliedKeys.add(key(e.getSourceId(), e.getKind()));
    String month = monthOf(e.getAtMillis());
    switch (e.getKind()) {
      case HOLD -> {
        holds.put(e.getSourceId(), HeldFee.newBuilder().setOrderId(e.getSourceId()).setAmount(e.getHeldDelta())
            .setGroupId(e.getGroupId()).setRuleVersion(e.getRuleVersion()).build());
        count(month, 1, 0);
      }
      case RELEASE, FEE_OUTBOUND -> holds.remove(e.getSourceId());
      case PENALTY -> count(month, appliedKeys.contains(key(e.getSourceId(), MovementKind.HOLD)) ? 0 : 1, 1);
      default -> { }
    }
  }

  private void count(String month, long orders, long cancelled) {
    MonthCount m = month(month);
    months.put(month, m.toBuilder().setOrders(m.getOrders() + orders).setCancelled(m.getCancelled() + cancelled).build());
  }

  public ClientAccountSnapshot toSnapshot() {
    return ClientAccountSnapshot.newBuilder()
        .setCurrency(currency)
        .setBalance(balance)
        .setHeld(held)
        .setCreditLimit(creditLimit)
        .setGroupId(groupId)
        .addAllHolds(holds.values())
        .addAllAppliedKeys(appliedKeys)
        .addAllEntries(entries)
        .addAllStatements(statements)
        .addAllMonths(months.values())
        .putAllOrderStatements(orderStatements)
        .build();
  }

  public static AccountState fromSnapshot(ClientAccountSnapshot s) {
    AccountState a = new AccountState();
    a.currency = s.getCurrency();
    a.balance = s.getBalance();
    a.held = s.getHeld();
    a.creditLimit = s.getCreditLimit();
    a.groupId = s.getGroupId();
    s.getHoldsList().forEach(h -> a.holds.put(h.getOrderId(), h));
    a.appliedKeys.addAll(s.getAppliedKeysList());
    a.entries.addAll(s.getEntriesList());
    a.statements.addAll(s.getStatementsList());
    s.getMonthsList().forEach(m -> a.months.put(m.getMonth(), m));
    a.orderStatements.putAll(s.getOrderStatementsMap());
    return a;
  }
}
