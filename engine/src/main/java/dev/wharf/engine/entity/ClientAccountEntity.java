package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.AccountState;
import dev.wharf.engine.domain.AccountState.HoldDecision;
import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.AccountBillingSet;
import dev.wharf.proto.AccountView;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.ClientAccountSnapshot;
import dev.wharf.proto.CloseStatement;
import dev.wharf.proto.GetOrderSettlement;
import dev.wharf.proto.HeldFee;
import dev.wharf.proto.HoldFee;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.LedgerPosted;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.Rejection;
import dev.wharf.proto.Statement;
import dev.wharf.proto.StatementClosed;
import dev.wharf.proto.StatementPeriodEnded;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** A client's account: the only writer of its money, so concurrent holds never overdraw it. */
public final class ClientAccountEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ClientAccountEntity.Msg, Message, AccountState> {

  public static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "ClientAccount");

  public interface Msg {}

  public record Request(ClientAccountCommand command, ActorRef<ClientAccountReply> replyTo)
      implements Msg, EntityRequest<ClientAccountCommand, ClientAccountReply> {}

  /** Local only: persist the holds collected so far. */
  private enum Flush implements Msg { INSTANCE }

  /**
   * Sharding's stop message (passivation or hand-off): holds not yet written are written and
   * answered first, as a stopped account would drop them and their reviews wait for a timeout.
   */
  public enum Stop implements Msg { INSTANCE }

  /**
   * Holds decided but not yet persisted: every review of a client holds its fee here, so the
   * account collects the holds that arrive while a write is in flight and persists them in one
   * write, as a hot SKU does with its reservations. Each is answered once persisted; anything else
   * waits (stashed) until then, so it sees the holds in order.
   */
  private final PendingHolds pending = new PendingHolds();
  private final SnapshotPacing snapshots = new SnapshotPacing();
  private final ActorContext<Msg> context;
  private final String clientId;
  private final String defaultCurrency;
  private final Clock clock;
  private final int orderKeyWindow;

  public static Behavior<Msg> create(String clientId, String defaultCurrency, Clock clock) {
    return create(clientId, defaultCurrency, clock, AccountState.ORDER_KEY_WINDOW);
  }

  /** {@code orderKeyWindow}: how many order movements are remembered for retries (tests use a few). */
  public static Behavior<Msg> create(String clientId, String defaultCurrency, Clock clock, int orderKeyWindow) {
    return Behaviors.setup(ctx -> new ClientAccountEntity(ctx, clientId, defaultCurrency, clock, orderKeyWindow));
  }

  private ClientAccountEntity(ActorContext<Msg> context, String clientId, String defaultCurrency, Clock clock,
                              int orderKeyWindow) {
    super(persistenceId(clientId));
    this.context = context;
    this.clientId = clientId;
    this.defaultCurrency = defaultCurrency;
    this.clock = clock;
    this.orderKeyWindow = orderKeyWindow;
  }

  /** Where an account's events are: its ledger is read back from there (AccountBook). */
  public static PersistenceId persistenceId(String clientId) {
    return PersistenceId.of(TYPE_KEY.name(), clientId);
  }

  @Override
  public AccountState emptyState() {
    return new AccountState(orderKeyWindow);
  }

  @Override
  public CommandHandlerWithReply<Msg, Message, AccountState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(Flush.class, (state, flush) -> flush(state))
        // the flush unstashes when its write is done, so the stop comes back then
        .onCommand(Stop.class, (state, stop) -> pending.isEmpty() ? Effect().stop().thenNoReply() : Effect().stash())
        .build();
  }

  private ReplyEffect<Message, AccountState> onRequest(AccountState state, Request request) {
    ClientAccountCommand c = request.command();
    ActorRef<ClientAccountReply> replyTo = request.replyTo();
    if (c.getKindCase() == ClientAccountCommand.KindCase.HOLD) {
      return hold(state, c.getHold(), replyTo);
    }
    if (!pending.isEmpty()) {
      return Effect().stash(); // everything else waits for the pending holds, in order
    }
    return switch (c.getKindCase()) {
      case SET_BILLING -> {
        var limit = c.getSetBilling().getCreditLimit();
        if (limit.getAmount() < 0 || limit.getAmount() > Moneys.MAX_AMOUNT) {
          yield reject(replyTo, Rejections.of(Rejections.VALIDATION,
              "credit limit must be between 0 and " + Moneys.MAX_AMOUNT, "creditLimit.amount"));
        }
        if (state.entryCount() > 0 && !state.currency().equals(limit.getCurrency())) {
          yield reject(replyTo, Rejections.of(Rejections.CURRENCY_MISMATCH,
              "the account is in " + state.currency() + ", not " + limit.getCurrency(), "creditLimit.currency"));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), AccountBillingSet.newBuilder()
                .setGroupId(c.getSetBilling().getGroupId()).setCreditLimit(limit).build())
            .thenReply(replyTo, this::view);
      }
      case POST -> post(state, c.getPost(), replyTo);
      case HOLD -> throw new IllegalStateException("holds are decided above");
      case RELEASE -> {
        HeldFee fee = state.holdOf(c.getRelease().getOrderId());
        if (fee == null) {
          yield Effect().reply(replyTo, view(state));
        }
        yield persistEntry(state, state.nextEntry(clock.millis(), MovementKind.RELEASE, fee.getOrderId(), 0, -fee.getAmount())
            .setGroupId(fee.getGroupId()).setRuleVersion(fee.getRuleVersion()), replyTo);
      }
      case CAPTURE -> {
        String orderId = c.getCapture().getOrderId();
        HeldFee fee = state.holdOf(orderId);
        if (fee == null) {
          // captured before (a retry) or never held: the entry it wrote, while remembered
          yield Effect().reply(replyTo, view(state, state.entryOf(orderId, MovementKind.FEE_OUTBOUND)));
        }
        // the held fee becomes a charge: balance and held both go down by it
        yield persistEntry(state, state.nextEntry(clock.millis(), MovementKind.FEE_OUTBOUND, orderId,
                -fee.getAmount(), -fee.getAmount())
            .setGroupId(fee.getGroupId()).setRuleVersion(fee.getRuleVersion()).setNote("outbound fee"), replyTo);
      }
      case GET -> Effect().reply(replyTo, view(state));
      case LEDGER -> Effect().reply(replyTo,
          view(state).toBuilder().setRange(state.ledgerRange(c.getLedger().getFromMillis(), c.getLedger().getAfterEntryNo())).build());
      case STATEMENT_BASIS -> {
        long periodTo = c.getStatementBasis().getPeriodToMillis();
        if (periodTo > state.entryTime(clock.millis())) {
          yield reject(replyTo, periodNotEnded());
        }
        if (state.datesNextEntriesFrom(periodTo)) {
          yield Effect().reply(replyTo, view(state).toBuilder().setRange(state.openRange()).build());
        }
        // entries after the basis must be dated at or after the period end, or they would fall
        // outside both statements' periods: by this clock they are, but the account may move to a
        // node whose clock is behind before the statement closes, so the period end is written down
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(),
                StatementPeriodEnded.newBuilder().setPeriodToMillis(periodTo).build())
            .thenReply(replyTo, s -> view(s).toBuilder().setRange(s.openRange()).build());
      }
      case CLOSE_STATEMENT -> closeStatement(state, c.getCloseStatement(), replyTo);
      case LIST_STATEMENTS -> Effect().reply(replyTo, view(state).toBuilder().addAllStatements(state.statements()).build());
      case CANCELLATION_RATE -> Effect().reply(replyTo,
          view(state).toBuilder().setMonth(state.month(c.getCancellationRate().getMonth())).build());
      case ORDER_SETTLEMENT -> Effect().reply(replyTo, settlement(state, c.getOrderSettlement()));
      case KIND_NOT_SET -> reject(replyTo, Rejections.of(Rejections.VALIDATION, "empty command"));
    };
  }

  /**
   * A statement drawn from the journal (AccountBook) over the basis this account gave: numbered
   * and written if no other statement closed meanwhile. Entries written since the basis are not
   * in it and need not be: they are dated at or after the period end (AccountState#entryTime).
   */
  private ReplyEffect<Message, AccountState> closeStatement(AccountState state, CloseStatement close,
                                                           ActorRef<ClientAccountReply> replyTo) {
    Statement draft = close.getDraft();
    long lastSettled = state.openRange().getLastSettledEntryNo();
    if (!close.hasDraft() || draft.getLastEntryNo() < draft.getFirstEntryNo() || draft.getLastEntryNo() > state.entryCount()
        || draft.getFirstSequenceNr() >= nextSequenceNr()) {
      return reject(replyTo, Rejections.of(Rejections.VALIDATION, "a statement needs a draft of written entries"));
    }
    if (draft.getFirstEntryNo() != lastSettled + 1) {
      return reject(replyTo, Rejections.of(Rejections.CONFLICT,
          "another statement settled entries up to " + lastSettled + " meanwhile", "periodTo"));
    }
    if (draft.getPeriodToMillis() > state.entryTime(clock.millis())) {
      return reject(replyTo, periodNotEnded());
    }
    Statement statement = draft.toBuilder()
        .setStatementNo(state.nextStatementNo(clientId))
        .setPeriodFromMillis(state.openRange().getPeriodFromMillis())
        .setClosedAtMillis(clock.millis())
        .build();
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), StatementClosed.newBuilder()
            .setStatement(statement)
            .setSequenceNr(nextSequenceNr())
            .setNextOpenSequenceNr(close.getNextOpenSequenceNr())
            .build())
        // the order list goes back only in the journal: the caller has it, and replies stay small
        .thenReply(replyTo, s -> view(s).toBuilder().addStatements(statement.toBuilder().clearOrderIds()).build());
  }

  private static Rejection periodNotEnded() {
    return Rejections.of(Rejections.CONFLICT, "a statement can only close a period that has ended", "periodTo");
  }

  /** From the entry the order knows, or the one this account remembers; else only statements can tell. */
  private ClientAccountReply settlement(AccountState state, GetOrderSettlement q) {
    long entryNo = q.getEntryNo();
    if (entryNo == 0) {
      entryNo = Math.max(state.entryOf(q.getOrderId(), MovementKind.FEE_OUTBOUND),
          state.entryOf(q.getOrderId(), MovementKind.PENALTY));
    }
    ClientAccountReply.Builder reply = view(state).toBuilder();
    if (entryNo > 0 || state.statements().isEmpty()) {
      return reply.setSettlement(entryNo > 0 ? state.settlementOfEntry(entryNo) : AccountState.NO_BALANCE).build();
    }
    return reply.setSettlementUnknown(true).addAllStatements(state.statements()).build();
  }

  private long nextSequenceNr() {
    return lastSequenceNumber(context) + 1;
  }

  private ReplyEffect<Message, AccountState> post(AccountState state, PostMovement m, ActorRef<ClientAccountReply> replyTo) {
    if (m.getKind() == MovementKind.HOLD || m.getKind() == MovementKind.RELEASE
        || m.getKind() == MovementKind.MOVEMENT_KIND_UNSPECIFIED) {
      return reject(replyTo, Rejections.of(Rejections.VALIDATION, "holds move through hold/release/capture", "kind"));
    }
    if (state.applied(m.getSourceId(), m.getKind())) {
      return Effect().reply(replyTo, view(state, state.entryOf(m.getSourceId(), m.getKind())));
    }
    // the account's currency as shown (the default until billing or money fixes it): a first
    // movement in another one would otherwise turn the account over to that currency for good
    String currency = state.currencyOr(defaultCurrency);
    if (!currency.equals(m.getAmount().getCurrency())) {
      return reject(replyTo, currencyMismatch(currency, m.getAmount().getCurrency()));
    }
    if (!state.keepsBalanceWithinLimit(m.getAmount().getAmount())) {
      return reject(replyTo, Rejections.of(Rejections.AMOUNT_TOO_LARGE, "the balance would pass "
          + Moneys.MAX_BALANCE + " minor units either way", "amount.amount"));
    }
    return persistEntry(state, state.nextEntry(clock.millis(), m.getKind(), m.getSourceId(), m.getAmount().getAmount(), 0)
        .setGroupId(m.getGroupId()).setRuleVersion(m.getRuleVersion()).setNote(m.getNote())
        .setCurrency(m.getAmount().getCurrency()), replyTo);
  }

  /** Decided against the persisted state and the pending holds together, so a batch never overdraws. */
  private ReplyEffect<Message, AccountState> hold(AccountState state, HoldFee h, ActorRef<ClientAccountReply> replyTo) {
    String orderId = h.getOrderId();
    if (pending.answerWith(orderId, replyTo)) {
      return Effect().noReply(); // a copy of a pending hold: answered with it
    }
    String currency = pending.currencyOr(state.currency());
    if (h.getAmount().getAmount() > 0 && !currency.isEmpty() && !currency.equals(h.getAmount().getCurrency())) {
      return reject(replyTo, currencyMismatch(currency, h.getAmount().getCurrency()));
    }
    HoldDecision decision = state.decideHold(orderId, h.getAmount().getAmount(), pending.held());
    if (decision instanceof HoldDecision.Insufficient short_) {
      return Effect().reply(replyTo, view(state).toBuilder()
          .setInsufficientFunds(true).setRequired(short_.required()).setAvailable(short_.available()).build());
    }
    if (decision instanceof HoldDecision.Hold hold) {
      if (pending.isEmpty()) {
        context.getSelf().tell(Flush.INSTANCE);
      }
      LedgerEntry.Builder entry = state.nextEntry(clock.millis(), MovementKind.HOLD, orderId, 0, hold.amount())
          .setGroupId(h.getGroupId()).setRuleVersion(h.getRuleVersion())
          .setCurrency(state.currencyOr(h.getAmount().getCurrency().isEmpty() ? defaultCurrency : h.getAmount().getCurrency()))
          .setNote("outbound fee held at review");
      pending.add(entry, replyTo);
      return Effect().noReply();
    }
    HeldFee open = state.holdOf(orderId);
    return Effect().reply(replyTo, open == null ? view(state) : view(state).toBuilder().setOpenHold(open).build());
  }

  private ReplyEffect<Message, AccountState> flush(AccountState state) {
    if (pending.isEmpty()) {
      return Effect().noReply();
    }
    List<Message> events = pending.events(state, lastSequenceNumber(context));
    List<PendingHolds.Waiter> replies = pending.takeReplies();
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), events)
        .thenRun(s -> {
          ClientAccountReply reply = view(s);
          // each with its order's hold as written: a copy asked while the hold was pending may
          // have computed other fees since (new group fees), and the order must keep what is held
          replies.forEach(w -> {
            HeldFee held = s.holdOf(w.orderId());
            w.replyTo().tell(held == null ? reply : reply.toBuilder().setOpenHold(held).build());
          });
        })
        .thenNoReply()
        .thenUnstashAll();
  }

  private ReplyEffect<Message, AccountState> persistEntry(
      AccountState state, LedgerEntry.Builder entry, ActorRef<ClientAccountReply> replyTo) {
    String currency = state.currencyOr(entry.getCurrency().isEmpty() ? defaultCurrency : entry.getCurrency());
    LedgerPosted.Builder posted = LedgerPosted.newBuilder().setEntry(entry.setCurrency(currency))
        .setSequenceNr(nextSequenceNr());
    if (state.currency().isEmpty()) {
      posted.setCurrency(currency);
    }
    long entryNo = entry.getEntryNo();
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), posted.build()).thenReply(replyTo, s -> view(s, entryNo));
  }

  private Rejection currencyMismatch(AccountState state, String currency) {
    return currencyMismatch(state.currency(), currency);
  }

  private Rejection currencyMismatch(String accountCurrency, String currency) {
    return Rejections.of(Rejections.CURRENCY_MISMATCH,
        "the account of client " + clientId + " is in " + accountCurrency + ", not " + currency, "amount.currency");
  }

  private ReplyEffect<Message, AccountState> reject(ActorRef<ClientAccountReply> replyTo, Rejection r) {
    return Effect().reply(replyTo, ClientAccountReply.newBuilder().setRejection(r).build());
  }

  private ClientAccountReply view(AccountState state, long entryNo) {
    return view(state).toBuilder().setEntryNo(entryNo).build();
  }

  private ClientAccountReply view(AccountState state) {
    return ClientAccountReply.newBuilder()
        .setAccount(AccountView.newBuilder()
            .setClientId(clientId)
            .setCurrency(state.currencyOr(defaultCurrency))
            .setBalance(state.balance())
            .setCreditLimit(state.creditLimit())
            .setHeld(state.held())
            .setAvailable(state.available())
            .setGroupId(state.groupId()))
        .build();
  }

  @Override
  public EventHandler<AccountState, Message> eventHandler() {
    return (state, event) -> {
      snapshots.eventApplied();
      return state.apply(event);
    };
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // deletes snapshots only, the oldest beyond two spans: the events are the ledger and the
    // statements (decision 0020), never deleted
    return SnapshotPacing.retention();
  }

  @Override
  public boolean shouldSnapshot(AccountState state, Message event, long sequenceNr) {
    // up to 20,000 remembered order keys: paced by size, not every 500 events (decision 0023)
    return snapshots.due(state.snapshotEntries());
  }

  @Override
  public SnapshotAdapter<AccountState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(AccountState state) {
        return state.toSnapshot();
      }

      @Override
      public AccountState fromJournal(Object from) {
        return AccountState.fromSnapshot((ClientAccountSnapshot) from, orderKeyWindow);
      }
    };
  }
}
