package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.AccountState;
import dev.wharf.engine.domain.AccountState.HoldDecision;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.AccountBillingSet;
import dev.wharf.proto.AccountView;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.ClientAccountSnapshot;
import dev.wharf.proto.HeldFee;
import dev.wharf.proto.HoldFee;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.LedgerPosted;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.Rejection;
import dev.wharf.proto.Statement;
import dev.wharf.proto.StatementClosed;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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
    extends EventSourcedBehaviorWithEnforcedReplies<ClientAccountEntity.Request, Message, AccountState> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "ClientAccount");

  public record Request(ClientAccountCommand command, ActorRef<ClientAccountReply> replyTo)
      implements EntityRequest<ClientAccountCommand, ClientAccountReply> {}

  private final String clientId;
  private final String defaultCurrency;
  private final Clock clock;

  public static Behavior<Request> create(String clientId, String defaultCurrency, Clock clock) {
    return new ClientAccountEntity(clientId, defaultCurrency, clock);
  }

  private ClientAccountEntity(String clientId, String defaultCurrency, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), clientId));
    this.clientId = clientId;
    this.defaultCurrency = defaultCurrency;
    this.clock = clock;
  }

  @Override
  public AccountState emptyState() {
    return new AccountState();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, AccountState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, AccountState> onRequest(AccountState state, Request request) {
    ClientAccountCommand c = request.command();
    ActorRef<ClientAccountReply> replyTo = request.replyTo();
    return switch (c.getKindCase()) {
      case SET_BILLING -> {
        var limit = c.getSetBilling().getCreditLimit();
        if (limit.getAmount() < 0) {
          yield reject(replyTo, Rejections.of(Rejections.VALIDATION, "credit limit must not be negative", "creditLimit.amount"));
        }
        if (!state.entries().isEmpty() && !state.currency().equals(limit.getCurrency())) {
          yield reject(replyTo, Rejections.of(Rejections.CURRENCY_MISMATCH,
              "the account is in " + state.currency() + ", not " + limit.getCurrency(), "creditLimit.currency"));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), AccountBillingSet.newBuilder()
                .setGroupId(c.getSetBilling().getGroupId()).setCreditLimit(limit).build())
            .thenReply(replyTo, this::view);
      }
      case POST -> post(state, c.getPost(), replyTo);
      case HOLD -> hold(state, c.getHold(), replyTo);
      case RELEASE -> {
        HeldFee fee = state.holdOf(c.getRelease().getOrderId());
        if (fee == null) {
          yield Effect().reply(replyTo, view(state));
        }
        yield persistEntry(state, state.nextEntry(clock.millis(), MovementKind.RELEASE, fee.getOrderId(), 0, -fee.getAmount())
            .setGroupId(fee.getGroupId()).setRuleVersion(fee.getRuleVersion()), replyTo);
      }
      case CAPTURE -> {
        HeldFee fee = state.holdOf(c.getCapture().getOrderId());
        if (fee == null) {
          yield Effect().reply(replyTo, view(state));
        }
        // the held fee becomes a charge: balance and held both go down by it
        yield persistEntry(state, state.nextEntry(clock.millis(), MovementKind.FEE_OUTBOUND, fee.getOrderId(),
                -fee.getAmount(), -fee.getAmount())
            .setGroupId(fee.getGroupId()).setRuleVersion(fee.getRuleVersion()).setNote("outbound fee"), replyTo);
      }
      case GET -> Effect().reply(replyTo, view(state));
      case LEDGER -> {
        long from = c.getLedger().getFromMillis();
        long to = c.getLedger().getToMillis() == 0 ? Long.MAX_VALUE : c.getLedger().getToMillis();
        yield Effect().reply(replyTo, view(state).toBuilder()
            .addAllEntries(state.entries().stream().filter(e -> e.getAtMillis() >= from && e.getAtMillis() < to).toList())
            .build());
      }
      case CLOSE_STATEMENT -> {
        Statement statement = state.statementUpTo(clientId, c.getCloseStatement().getPeriodToMillis(), clock.millis());
        if (statement == null) {
          yield reject(replyTo, Rejections.of(Rejections.CONFLICT, "no unsettled movements before the period end", "periodTo"));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), StatementClosed.newBuilder().setStatement(statement).build())
            .thenReply(replyTo, s -> view(s).toBuilder().addStatements(statement).build());
      }
      case LIST_STATEMENTS -> Effect().reply(replyTo, view(state).toBuilder().addAllStatements(state.statements()).build());
      case CANCELLATION_RATE -> Effect().reply(replyTo,
          view(state).toBuilder().setMonth(state.month(c.getCancellationRate().getMonth())).build());
      case ORDER_SETTLEMENT -> Effect().reply(replyTo,
          view(state).toBuilder().setSettlement(state.settlementOf(c.getOrderSettlement().getOrderId())).build());
      case KIND_NOT_SET -> reject(replyTo, Rejections.of(Rejections.VALIDATION, "empty command"));
    };
  }

  private ReplyEffect<Message, AccountState> post(AccountState state, PostMovement m, ActorRef<ClientAccountReply> replyTo) {
    if (m.getKind() == MovementKind.HOLD || m.getKind() == MovementKind.RELEASE
        || m.getKind() == MovementKind.MOVEMENT_KIND_UNSPECIFIED) {
      return reject(replyTo, Rejections.of(Rejections.VALIDATION, "holds move through hold/release/capture", "kind"));
    }
    if (state.applied(m.getSourceId(), m.getKind())) {
      return Effect().reply(replyTo, view(state));
    }
    if (!state.acceptsCurrency(m.getAmount().getCurrency())) {
      return reject(replyTo, currencyMismatch(state, m.getAmount().getCurrency()));
    }
    return persistEntry(state, state.nextEntry(clock.millis(), m.getKind(), m.getSourceId(), m.getAmount().getAmount(), 0)
        .setGroupId(m.getGroupId()).setRuleVersion(m.getRuleVersion()).setNote(m.getNote())
        .setCurrency(m.getAmount().getCurrency()), replyTo);
  }

  private ReplyEffect<Message, AccountState> hold(AccountState state, HoldFee h, ActorRef<ClientAccountReply> replyTo) {
    if (h.getAmount().getAmount() > 0 && !state.acceptsCurrency(h.getAmount().getCurrency())) {
      return reject(replyTo, currencyMismatch(state, h.getAmount().getCurrency()));
    }
    HoldDecision decision = state.decideHold(h.getOrderId(), h.getAmount().getAmount());
    if (decision instanceof HoldDecision.Insufficient short_) {
      return Effect().reply(replyTo, view(state).toBuilder()
          .setInsufficientFunds(true).setRequired(short_.required()).setAvailable(short_.available()).build());
    }
    if (decision instanceof HoldDecision.Hold hold) {
      return persistEntry(state, state.nextEntry(clock.millis(), MovementKind.HOLD, h.getOrderId(), 0, hold.amount())
          .setGroupId(h.getGroupId()).setRuleVersion(h.getRuleVersion()).setCurrency(h.getAmount().getCurrency())
          .setNote("outbound fee held at review"), replyTo);
    }
    return Effect().reply(replyTo, view(state));
  }

  private ReplyEffect<Message, AccountState> persistEntry(
      AccountState state, LedgerEntry.Builder entry, ActorRef<ClientAccountReply> replyTo) {
    String currency = state.currencyOr(entry.getCurrency().isEmpty() ? defaultCurrency : entry.getCurrency());
    LedgerPosted.Builder posted = LedgerPosted.newBuilder().setEntry(entry.setCurrency(currency));
    if (state.currency().isEmpty()) {
      posted.setCurrency(currency);
    }
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), posted.build()).thenReply(replyTo, this::view);
  }

  private Rejection currencyMismatch(AccountState state, String currency) {
    return Rejections.of(Rejections.CURRENCY_MISMATCH,
        "the account of client " + clientId + " is in " + state.currency() + ", not " + currency, "amount.currency");
  }

  private ReplyEffect<Message, AccountState> reject(ActorRef<ClientAccountReply> replyTo, Rejection r) {
    return Effect().reply(replyTo, ClientAccountReply.newBuilder().setRejection(r).build());
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
    return AccountState::apply;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(500, 2);
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
        return AccountState.fromSnapshot((ClientAccountSnapshot) from);
      }
    };
  }
}
