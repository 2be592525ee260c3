package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.metrics.WharfMetrics;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.PenaltyRules;
import dev.wharf.engine.domain.OrderLifecycle;
import dev.wharf.engine.domain.OrderLifecycle.Action;
import dev.wharf.engine.domain.OrderState;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.domain.ReviewTally;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.CancelOrder;
import dev.wharf.proto.CaptureFee;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.CommitStock;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.OrderCancelled;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.ReleaseFee;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.IngestOrder;
import dev.wharf.proto.OrderIngestedForReview;
import dev.wharf.proto.OrderIngestedShort;
import dev.wharf.proto.Line;
import dev.wharf.proto.OrderAllocated;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderFrozen;
import dev.wharf.proto.OrderLinesMapped;
import dev.wharf.proto.OrderPacked;
import dev.wharf.proto.OrderReleased;
import dev.wharf.proto.OrderRouted;
import dev.wharf.proto.OrderUnpacked;
import dev.wharf.proto.OrderWarehouseChosen;
import dev.wharf.proto.Routing;
import dev.wharf.proto.UnpackOrder;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.OrderReviewFailed;
import dev.wharf.proto.OrderReviewStarted;
import dev.wharf.proto.OrderShipped;
import dev.wharf.proto.OrderSnapshot;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderStockSettled;
import dev.wharf.proto.OrderUnfrozen;
import dev.wharf.proto.OrderVoided;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.Rejection;
import dev.wharf.proto.ReleaseStock;
import dev.wharf.proto.ReserveStock;
import dev.wharf.proto.ReviewOrder;
import dev.wharf.proto.ShipOrder;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StockSaga;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One platform order. Review is a saga over the SkuStock entities of the order's warehouse: the
 * event that opens a step (review, void, ship) is persisted first, then every line's stock is
 * asked (idempotently, by order id); the event that closes the step is persisted once every
 * stock has answered. A restarted order whose step is open simply runs it again.
 */
public final class OrderEntity extends EventSourcedBehaviorWithEnforcedReplies<OrderEntity.Msg, Message, OrderState> {

  public static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "Order");
  /** Tag on events that open or close a stock saga step (read by the recovery driver). */
  public static final String SAGA_TAG = "order-saga";

  public interface Msg {}

  public record Request(OrderCommand command, ActorRef<OrderReply> replyTo)
      implements Msg, EntityRequest<OrderCommand, OrderReply> {}

  /**
   * Local only: the answer (or the failure to get one) to one operation of saga run {@code runId};
   * {@code key} is a line's SKU, {@link #FUNDS} or {@link #PENALTY}.
   */
  record StepAnswered(int runId, String key, Object reply, Throwable failure) implements Msg {}

  /** Local only: send an operation again after a failed attempt. */
  record RetryStep(int runId, String key) implements Msg {}

  /**
   * Sharding's stop message (passivation: idle, or the node's active-entity limit reached; or a
   * shard handing off). An order with a saga step in flight finishes the step first: stopped
   * mid-step, nothing would wake it until its next request. Sharding holds the order's requests
   * meanwhile and delivers them to its next incarnation.
   */
  public enum Stop implements Msg { INSTANCE }

  /** The client account's part of a step: hold the fee (review), capture it (ship), release it (void, cancel). */
  static final String FUNDS = "#funds";
  /** The cancellation penalty, charged once per order. */
  static final String PENALTY = "#penalty";
  /** A released order's place in its merge group. */
  static final String GROUP = "#group";

  /**
   * {@code tagSagaEvents}: tag the events that open and close saga steps, for journals where the
   * recovery driver finds open steps by tag. The H2 journal is scanned by event type instead, which
   * keeps its inserts batched (the jdbc plugin inserts tagged rows one by one).
   */
  public record Settings(Duration retryAfter, PenaltyRules penalties, Clock clock, boolean tagSagaEvents,
                         OrderViewCache views, Wakeups wakeups) {
    public Settings(Duration retryAfter, PenaltyRules penalties, Clock clock, boolean tagSagaEvents, OrderViewCache views) {
      this(retryAfter, penalties, clock, tagSagaEvents, views, Wakeups.NONE);
    }

    public Settings(Duration retryAfter, PenaltyRules penalties, Clock clock) {
      this(retryAfter, penalties, clock, true, OrderViewCache.DISABLED);
    }
  }

  /** The step in flight: which operations still owe an answer. Lives in memory only. */
  private static final class SagaRun {
    final int id;
    final StockSaga step;
    final Set<String> pending = new LinkedHashSet<>();
    final long startedNanos = System.nanoTime();
    ReviewTally tally;
    long chargeEntryNo;
    boolean releasingAfterRefusal;
    BillingGateway.FeeHold fee;
    ReviewFailure fundsFailure;

    SagaRun(int id, StockSaga step) {
      this.id = id;
      this.step = step;
    }
  }

  private final String orderId;
  private final ActorContext<Msg> context;
  private final TimerScheduler<Msg> timers;
  private final StockGateway stock;
  private final BillingGateway billing;
  private final PackingGateway packing;
  private final Settings settings;
  private final List<ActorRef<OrderReply>> waiters = new ArrayList<>();
  private int lastRunId;
  private SagaRun run;
  /** Sharding asked this order to stop while a step was in flight: stop once none is. */
  private boolean stopWhenIdle;
  /** The view of the current state; cleared by every applied event. */
  private OrderView cachedView;

  public static Behavior<Msg> create(String orderId, StockGateway stock, BillingGateway billing, PackingGateway packing,
                                     Settings settings) {
    return Behaviors.withTimers(timers ->
        Behaviors.setup(context -> new OrderEntity(orderId, context, timers, stock, billing, packing, settings)));
  }

  private OrderEntity(String orderId, ActorContext<Msg> context, TimerScheduler<Msg> timers,
                      StockGateway stock, BillingGateway billing, PackingGateway packing, Settings settings) {
    super(PersistenceId.of(TYPE_KEY.name(), orderId));
    this.orderId = orderId;
    this.context = context;
    this.timers = timers;
    this.stock = stock;
    this.billing = billing;
    this.packing = packing;
    this.settings = settings;
  }

  @Override
  public OrderState emptyState() {
    return new OrderState();
  }

  @Override
  public CommandHandlerWithReply<Msg, Message, OrderState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(StepAnswered.class, this::onStepAnswered)
        .onCommand(RetryStep.class, this::onRetryStep)
        .onCommand(Stop.class, this::onStop)
        .build();
  }

  // ---------------------------------------------------------------- requests

  private ReplyEffect<Message, OrderState> onRequest(OrderState state, Request request) {
    OrderCommand c = request.command();
    ActorRef<OrderReply> replyTo = request.replyTo();
    if (c.getKindCase() == OrderCommand.KindCase.INGEST) {
      return ingest(state, c.getIngest(), replyTo);
    }
    if (!state.exists()) {
      return Effect().reply(replyTo, rejection(Rejections.notFound("order " + orderId)));
    }
    return switch (c.getKindCase()) {
      case REVIEW -> review(state, c.getReview(), replyTo);
      case FREEZE -> simpleTransition(state, Action.FREEZE, OrderFrozen.getDefaultInstance(), replyTo);
      case UNFREEZE -> simpleTransition(state, Action.UNFREEZE, OrderUnfrozen.getDefaultInstance(), replyTo);
      case VOID -> voidOrder(state, replyTo);
      case CANCEL -> cancel(state, c.getCancel(), replyTo);
      case CHOOSE_WAREHOUSE -> simpleTransition(state, Action.CHOOSE_WAREHOUSE,
          OrderWarehouseChosen.newBuilder().setWarehouseId(c.getChooseWarehouse().getWarehouseId()).build(), replyTo);
      case RELEASE -> switch (OrderLifecycle.decide(state.status(), Action.RELEASE)) {
        case PROCEED -> {
          // answer once the order waits in its merge group, so a build right after the answer sees it
          waiters.add(replyTo);
          yield persist(OrderReleased.getDefaultInstance()).thenRun(this::ensureSagaRunning).thenNoReply();
        }
        case ALREADY -> awaitOpenSaga(state, replyTo);
        case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, Action.RELEASE));
      };
      case PACK -> pack(state, c.getPack().getPackageId(), replyTo);
      case UNPACK -> unpack(state, c.getUnpack(), replyTo);
      case SHIP -> ship(state, c.getShip(), replyTo);
      case GET -> {
        // a read that missed the view cache puts the view back (here, in order with this order's writes)
        publishView(state);
        yield Effect().reply(replyTo, reply(state, false));
      }
      case RESUME -> {
        if (state.needsClosingEvent()) {
          // woken by saga recovery with no step open: every scan would wake it again
          yield persist(OrderStockSettled.getDefaultInstance()).thenReply(replyTo, s -> reply(s, false));
        }
        ensureSagaRunning(state);
        yield Effect().reply(replyTo, reply(state, false));
      }
      default -> Effect().reply(replyTo, rejection(Rejections.of(Rejections.VALIDATION, "empty command")));
    };
  }

  private ReplyEffect<Message, OrderState> ingest(OrderState state, IngestOrder cmd, ActorRef<OrderReply> replyTo) {
    if (state.exists()) {
      // a re-sent platform order: same entity, nothing changes
      return Effect().reply(replyTo, reply(state, false));
    }
    if (!cmd.getOrder().getOrderId().equals(orderId)) {
      return Effect().reply(replyTo, rejection(Rejections.of(Rejections.VALIDATION, "order id mismatch")));
    }
    boolean review = cmd.getAutoReview() && cmd.getOrder().getUnmappedSkusCount() == 0;
    boolean routed = review && cmd.hasRouting() && !cmd.getRouting().getWarehouseId().isEmpty();
    List<Message> events;
    if (routed && cmd.hasShortAtRouting()) {
      // nothing to reserve: the review fails in the ingest's own row, no saga (decision 0013)
      events = List.of(OrderIngestedShort.newBuilder().setIngested(cmd.getOrder()).setRouting(cmd.getRouting())
          .setFailure(cmd.getShortAtRouting()).build());
    } else if (routed) {
      // the common case in one journal row (decision 0013)
      events = List.of(OrderIngestedForReview.newBuilder().setIngested(cmd.getOrder()).setRouting(cmd.getRouting())
          .setAutoRelease(cmd.getAutoRelease()).build());
    } else {
      events = new ArrayList<>(3);
      events.add(cmd.getOrder());
      if (review) {
        events.addAll(reviewEvents(cmd.hasRouting() ? cmd.getRouting() : null, cmd.getAutoRelease()));
      }
    }
    // a review that failed at ingest (short at routing, or no warehouse) is counted like any other
    Message last = events.get(events.size() - 1);
    boolean failedAtOnce = last instanceof OrderIngestedShort || last instanceof OrderReviewFailed;
    return persist(events)
        .thenRun(s -> {
          WharfMetrics.orderIngested();
          if (failedAtOnce) {
            WharfMetrics.reviewed("REVIEW_FAILED", -1);
          }
        })
        .thenRun(this::ensureSagaRunning)
        .thenReply(replyTo, s -> reply(s, true));
  }

  private ReplyEffect<Message, OrderState> review(OrderState state, ReviewOrder cmd, ActorRef<OrderReply> replyTo) {
    switch (OrderLifecycle.decide(state.status(), Action.REVIEW)) {
      case FORBIDDEN:
        return Effect().reply(replyTo, forbidden(state, Action.REVIEW));
      case ALREADY:
        if (state.status() == OrderStatus.REVIEWING) {
          waiters.add(replyTo);
          ensureSagaRunning(state);
          return Effect().noReply();
        }
        return Effect().reply(replyTo, reply(state, false));
      default:
        break;
    }
    if (cmd.getAnswerOnly()) {
      return Effect().reply(replyTo, rejection(Rejections.of(Rejections.CONFLICT,
          "the order became " + state.status() + " while its review was prepared; review it again")));
    }
    if (cmd.getPreparedAtSequenceNr() != 0 && cmd.getPreparedAtSequenceNr() != lastSequenceNumber(context)) {
      // its routing was worked out for the order as it was (a warehouse since chosen by hand, lines
      // since mapped by another review): it would not be this order's
      return Effect().reply(replyTo, rejection(Rejections.of(Rejections.CONFLICT,
          "the order changed while its review was prepared; review it again")));
    }
    List<Message> events = new ArrayList<>(2);
    if (!state.unmappedSkus().isEmpty()) {
      if (!cmd.getRemapped() || cmd.getRemappedLinesCount() == 0) {
        return Effect().reply(replyTo, rejection(Rejections.of(Rejections.UNMAPPED_SKU,
            "no SKU mapping for platform SKU " + String.join(", ", state.unmappedSkus()), "lines")));
      }
      events.add(OrderLinesMapped.newBuilder().addAllLines(cmd.getRemappedLinesList()).build());
    }
    events.addAll(reviewEvents(cmd.hasRouting() ? cmd.getRouting() : null, cmd.getAutoRelease()));
    if (events.get(events.size() - 1) instanceof OrderReviewFailed) {
      // failed before any stock was asked (no warehouse, say): counted, but no saga to time
      return persist(events)
          .thenRun(s -> WharfMetrics.reviewed("REVIEW_FAILED", -1))
          .thenReply(replyTo, s -> reply(s, false));
    }
    waiters.add(replyTo);
    return persist(events).thenRun(this::ensureSagaRunning).thenNoReply();
  }

  /** The warehouse decision, then the review, or at once a failure when no warehouse serves the order. */
  private static List<Message> reviewEvents(Routing routing, boolean autoRelease) {
    List<Message> events = new ArrayList<>(2);
    if (routing != null) {
      events.add(OrderRouted.newBuilder().setRouting(routing).build());
      if (routing.getWarehouseId().isEmpty()) {
        events.add(OrderReviewFailed.newBuilder().setFailure(ReviewFailure.newBuilder()
            .setCode(NO_WAREHOUSE)
            .setMessage("no warehouse serves this order: " + String.join("; ", routing.getReasonsList()))).build());
        return events;
      }
    }
    events.add(OrderReviewStarted.newBuilder().setAutoRelease(autoRelease).build());
    return events;
  }

  public static final String NO_WAREHOUSE = "NO_WAREHOUSE";

  private ReplyEffect<Message, OrderState> pack(OrderState state, String packageId, ActorRef<OrderReply> replyTo) {
    return switch (OrderLifecycle.decide(state.status(), Action.PACK)) {
      case PROCEED -> persist(OrderPacked.newBuilder().setPackageId(packageId).build())
          .thenReply(replyTo, s -> reply(s, false));
      case ALREADY -> state.packageId().equals(packageId) ? Effect().reply(replyTo, reply(state, false))
          : Effect().reply(replyTo, rejection(Rejections.invalidState(state.status().name(),
              "order is already in package " + state.packageId())));
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, Action.PACK));
    };
  }

  private ReplyEffect<Message, OrderState> unpack(OrderState state, UnpackOrder cmd, ActorRef<OrderReply> replyTo) {
    return switch (OrderLifecycle.decide(state.status(), Action.UNPACK)) {
      case PROCEED -> state.packageId().equals(cmd.getPackageId())
          ? persist(OrderUnpacked.newBuilder().setPackageId(cmd.getPackageId()).setReason(cmd.getReason()).build())
              .thenRun(this::ensureSagaRunning) // joins its group again: see OrderState
              .thenReply(replyTo, s -> reply(s, false))
          : Effect().reply(replyTo, rejection(Rejections.invalidState(state.status().name(),
              "order is in package " + state.packageId() + ", not " + cmd.getPackageId())));
      case ALREADY -> Effect().reply(replyTo, reply(state, false));
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, Action.UNPACK));
    };
  }

  private ReplyEffect<Message, OrderState> simpleTransition(
      OrderState state, Action action, Message event, ActorRef<OrderReply> replyTo) {
    return switch (OrderLifecycle.decide(state.status(), action)) {
      // an unfreeze back to RELEASED rejoins the merge group
      case PROCEED -> persist(event).thenRun(this::ensureSagaRunning).thenReply(replyTo, s -> reply(s, false));
      case ALREADY -> Effect().reply(replyTo, reply(state, false));
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, action));
    };
  }

  private ReplyEffect<Message, OrderState> voidOrder(OrderState state, ActorRef<OrderReply> replyTo) {
    return switch (OrderLifecycle.decide(state.status(), Action.VOID)) {
      case PROCEED -> {
        if (!state.holdsReservations()) {
          yield persist(OrderVoided.getDefaultInstance()).thenReply(replyTo, s -> reply(s, false));
        }
        // answer once the reservations are released, so a 2xx means the stock is free again
        waiters.add(replyTo);
        yield persist(OrderVoided.getDefaultInstance()).thenRun(this::ensureSagaRunning).thenNoReply();
      }
      case ALREADY -> awaitOpenSaga(state, replyTo);
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, Action.VOID));
    };
  }

  private ReplyEffect<Message, OrderState> cancel(OrderState state, CancelOrder cmd, ActorRef<OrderReply> replyTo) {
    PenaltyRules.CancelledBy by;
    try {
      by = PenaltyRules.CancelledBy.valueOf(cmd.getBy());
    } catch (IllegalArgumentException e) {
      return Effect().reply(replyTo, rejection(Rejections.of(Rejections.VALIDATION, "by must be SELLER or BACK_OFFICE", "by")));
    }
    return switch (OrderLifecycle.decide(state.status(), Action.CANCEL)) {
      case PROCEED -> {
        long now = settings.clock().millis();
        Duration age = Duration.ofMillis(now - state.ingested().getIngestedAtMillis());
        OrderCancelled event = OrderCancelled.newBuilder()
            .setReason(cmd.getReason())
            .setBy(by.name())
            .setPenalty(settings.penalties().penalty(by, age, 1, cmd.getAccountCurrency()))
            .setAtMillis(now)
            .build();
        // answer once stock, fee and penalty are settled, so a 2xx means all of it happened
        waiters.add(replyTo);
        yield persist(event).thenRun(this::answerIfSettled).thenNoReply();
      }
      case ALREADY -> awaitOpenSaga(state, replyTo);
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, Action.CANCEL));
    };
  }

  private void answerIfSettled(OrderState state) {
    if (state.saga() == StockSaga.STOCK_SAGA_NONE) {
      answerWaiters(state);
    } else {
      ensureSagaRunning(state);
    }
  }

  private ReplyEffect<Message, OrderState> ship(OrderState state, ShipOrder cmd, ActorRef<OrderReply> replyTo) {
    if (cmd.getCarrier().isBlank() || cmd.getTrackingNo().isBlank()) {
      return Effect().reply(replyTo, rejection(Rejections.of(Rejections.VALIDATION,
          "carrier and trackingNo are required", cmd.getCarrier().isBlank() ? "carrier" : "trackingNo")));
    }
    if (state.status() == OrderStatus.PACKED && !state.packageId().equals(cmd.getPackageId())) {
      return Effect().reply(replyTo, rejection(Rejections.invalidState(state.status().name(),
          "the order ships with its package " + state.packageId())));
    }
    return switch (OrderLifecycle.decide(state.status(), Action.SHIP)) {
      case PROCEED -> {
        waiters.add(replyTo);
        yield persist(OrderShipped.newBuilder().setCarrier(cmd.getCarrier()).setTrackingNo(cmd.getTrackingNo()).build())
            .thenRun(this::ensureSagaRunning)
            .thenNoReply();
      }
      case ALREADY -> {
        if (!state.trackingNo().equals(cmd.getTrackingNo()) || !state.carrier().equals(cmd.getCarrier())) {
          yield Effect().reply(replyTo, rejection(Rejection.newBuilder()
              .setCode(Rejections.INVALID_STATE)
              .setCurrentState(state.status().name())
              .setMessage("order already shipped by " + state.carrier() + " with tracking no. " + state.trackingNo())
              .build()));
        }
        yield awaitOpenSaga(state, replyTo);
      }
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, Action.SHIP));
    };
  }

  /** A retried void or ship: answer now, or when the step it started has finished. */
  private ReplyEffect<Message, OrderState> awaitOpenSaga(OrderState state, ActorRef<OrderReply> replyTo) {
    if (state.saga() == StockSaga.STOCK_SAGA_NONE) {
      return Effect().reply(replyTo, reply(state, false));
    }
    waiters.add(replyTo);
    ensureSagaRunning(state);
    return Effect().noReply();
  }

  // ---------------------------------------------------------------- the saga

  private void ensureSagaRunning(OrderState state) {
    if (state.saga() == StockSaga.STOCK_SAGA_NONE || (run != null && run.step == state.saga())) {
      return;
    }
    run = new SagaRun(++lastRunId, state.saga());
    if (run.step == StockSaga.STOCK_SAGA_RESERVE) {
      run.tally = new ReviewTally(state.lines());
    }
    if (run.step == StockSaga.STOCK_SAGA_JOIN) {
      run.pending.add(GROUP);
    } else if (state.holdsReservations()) {
      state.lines().forEach(line -> run.pending.add(line.getSku()));
    }
    boolean movesMoney = run.step == StockSaga.STOCK_SAGA_RELEASE || run.step == StockSaga.STOCK_SAGA_COMMIT;
    if (movesMoney && state.outboundFeeAmount() > 0) {
      run.pending.add(FUNDS);
    }
    if (run.step == StockSaga.STOCK_SAGA_RELEASE && state.cancellation() != null
        && state.cancellation().getPenalty().getAmount() > 0) {
      run.pending.add(PENALTY);
    }
    if (run.pending.isEmpty()) {
      // nothing to ask: close the step at once through the same path as a last answer
      context.getSelf().tell(new StepAnswered(run.id, "", null, null));
      return;
    }
    List.copyOf(run.pending).forEach(key -> send(state, key));
  }

  /** Sends (or re-sends) one operation of the running step; every one is idempotent per order. */
  private void send(OrderState state, String key) {
    int runId = run.id;
    CompletionStage<?> answer;
    if (key.equals(FUNDS)) {
      answer = switch (run.step) {
        case STOCK_SAGA_RESERVE -> billing.holdOutboundFee(state.clientId(), orderId, totalUnits(state));
        case STOCK_SAGA_COMMIT -> billing.account(state.clientId(), ClientAccountCommand.newBuilder()
            .setCapture(CaptureFee.newBuilder().setOrderId(orderId)).build());
        default -> billing.account(state.clientId(), ClientAccountCommand.newBuilder()
            .setRelease(ReleaseFee.newBuilder().setOrderId(orderId)).build());
      };
    } else if (key.equals(GROUP)) {
      answer = packing.join(orderId, state.warehouseId(), state.clientId(), state.ingested().getRecipient());
    } else if (key.equals(PENALTY)) {
      OrderCancelled c = state.cancellation();
      answer = billing.account(state.clientId(), ClientAccountCommand.newBuilder().setPost(PostMovement.newBuilder()
          .setKind(MovementKind.PENALTY)
          .setSourceId(orderId)
          .setAmount(Moneys.of(-c.getPenalty().getAmount(), c.getPenalty().getCurrency())) // a debit
          .setOrderId(orderId)
          .setNote("cancelled by " + c.getBy() + ": " + c.getReason())).build());
    } else {
      SkuStockCommand.Builder cmd = SkuStockCommand.newBuilder();
      StockSaga step = run.releasingAfterRefusal ? StockSaga.STOCK_SAGA_RELEASE : run.step;
      switch (step) {
        case STOCK_SAGA_RESERVE -> cmd.setReserve(ReserveStock.newBuilder().setOrderId(orderId).setQty(lineOf(state, key).getQty()));
        case STOCK_SAGA_RELEASE -> cmd.setRelease(ReleaseStock.newBuilder().setOrderId(orderId));
        case STOCK_SAGA_COMMIT -> cmd.setCommit(CommitStock.newBuilder().setOrderId(orderId));
        default -> throw new IllegalStateException("no saga step " + step);
      }
      answer = stock.ask(Identifiers.stockEntityId(state.warehouseId(), state.clientId(), key), cmd.build());
    }
    context.pipeToSelf(answer, (reply, failure) -> new StepAnswered(runId, key, reply, failure));
  }

  private static long totalUnits(OrderState state) {
    return state.lines().stream().mapToLong(Line::getQty).sum();
  }

  private static Line lineOf(OrderState state, String sku) {
    return state.lines().stream().filter(l -> l.getSku().equals(sku)).findFirst().orElseThrow();
  }

  private ReplyEffect<Message, OrderState> onStop(OrderState state, Stop stop) {
    if (run == null) {
      return Effect().stop().thenNoReply();
    }
    stopWhenIdle = true;
    return Effect().noReply();
  }

  private ReplyEffect<Message, OrderState> onRetryStep(OrderState state, RetryStep retry) {
    if (run != null && run.id == retry.runId() && run.pending.contains(retry.key())) {
      send(state, retry.key());
    }
    return Effect().noReply();
  }

  private ReplyEffect<Message, OrderState> onStepAnswered(OrderState state, StepAnswered answer) {
    if (run == null || run.id != answer.runId()) {
      return Effect().noReply(); // an answer to a step that has been restarted or finished
    }
    if (answer.failure() != null) {
      context.getLog().warn("order {}: {} did not answer ({}); retrying", orderId, answer.key(), answer.failure().toString());
      timers.startSingleTimer(new RetryStep(run.id, answer.key()), settings.retryAfter());
      return Effect().noReply();
    }
    if (run.pending.remove(answer.key())) {
      recordAnswer(state, answer.key(), answer.reply());
    }
    if (!run.pending.isEmpty()) {
      return Effect().noReply();
    }
    return finishStep(state);
  }

  private void recordAnswer(OrderState state, String key, Object reply) {
    if (key.equals(FUNDS) && run.step == StockSaga.STOCK_SAGA_RESERVE) {
      BillingGateway.FeeHold fee = (BillingGateway.FeeHold) reply;
      if (fee.accepted()) {
        run.fee = fee;
      } else {
        run.fundsFailure = fundsFailure(fee);
      }
      return;
    }
    if (reply instanceof ClientAccountReply account) {
      if (account.hasRejection()) {
        context.getLog().error("order {}: account refused {}: {}", orderId, key, account.getRejection().getMessage());
      } else if (key.equals(PENALTY) || run.step == StockSaga.STOCK_SAGA_COMMIT) {
        // the fee captured at ship or the penalty: the order keeps its ledger entry, which tells
        // its settlement later without the account remembering every order
        run.chargeEntryNo = account.getEntryNo();
      }
      return;
    }
    if (!(reply instanceof SkuStockReply stockReply)) {
      return;
    }
    if (stockReply.hasRejection()) {
      // not retryable (e.g. a commit with nothing reserved): record it and move on
      context.getLog().error("order {}: stock {} refused {}: {}", orderId, key, run.step, stockReply.getRejection().getMessage());
    }
    if (run.step == StockSaga.STOCK_SAGA_RESERVE && !run.releasingAfterRefusal) {
      if (stockReply.getAccepted()) {
        run.tally.reserved(key);
      } else {
        run.tally.refused(key, lineOf(state, key).getQty(), stockReply.getLevel().getAvailable());
      }
    }
  }

  private static ReviewFailure fundsFailure(BillingGateway.FeeHold fee) {
    if (fee.rejection() != null) {
      return ReviewFailure.newBuilder().setCode(fee.rejection().getCode()).setMessage(fee.rejection().getMessage()).build();
    }
    String currency = fee.fee().getCurrency();
    return ReviewFailure.newBuilder()
        .setCode(Rejections.INSUFFICIENT_FUNDS)
        .setMessage("insufficient funds: the outbound fee needs " + fee.required() + " " + currency
            + " (minor units), " + fee.available() + " available")
        .setRequired(Moneys.of(fee.required(), currency))
        .setAvailable(Moneys.of(fee.available(), currency))
        .build();
  }

  private ReplyEffect<Message, OrderState> finishStep(OrderState state) {
    if (run.step != StockSaga.STOCK_SAGA_RESERVE) {
      return closeStep(OrderStockSettled.newBuilder().setChargeEntryNo(run.chargeEntryNo).build());
    }
    if (!run.releasingAfterRefusal) {
      if (run.tally.allReserved() && run.fee == null && run.fundsFailure == null) {
        // every line is reserved: now the fee must fit the client's funds
        run.pending.add(FUNDS);
        send(state, FUNDS);
        return Effect().noReply();
      }
      if (run.tally.allReserved() && run.fee != null) {
        OrderAllocated.Builder allocated = OrderAllocated.newBuilder();
        if (run.fee.fee().getAmount() > 0) {
          allocated.setOutboundFee(run.fee.fee()).setFeeGroupId(run.fee.groupId()).setFeeRuleVersion(run.fee.ruleVersion());
        }
        // the store's autoRelease hands the order to its warehouse in the same write
        return state.autoRelease()
            ? closeStep(allocated.build(), OrderReleased.getDefaultInstance())
            : closeStep(allocated.build());
      }
      // all or nothing: give back what was reserved before failing the review
      run.releasingAfterRefusal = true;
      run.tally.reservedLines().forEach(l -> run.pending.add(l.getSku()));
      if (!run.pending.isEmpty()) {
        List.copyOf(run.pending).forEach(key -> send(state, key));
        return Effect().noReply();
      }
    }
    ReviewFailure failure = run.fundsFailure != null ? run.fundsFailure : run.tally.failure();
    return closeStep(OrderReviewFailed.newBuilder().setFailure(failure).build());
  }

  private ReplyEffect<Message, OrderState> closeStep(Message... events) {
    String reviewOutcome = run.step == StockSaga.STOCK_SAGA_RESERVE ? reviewOutcome(events[0]) : null;
    long sagaNanos = System.nanoTime() - run.startedNanos;
    run = null;
    return persist(List.of(events))
        .thenRun(state -> {
          if (reviewOutcome != null) {
            WharfMetrics.reviewed(reviewOutcome, sagaNanos);
          }
        })
        .thenRun(this::answerWaiters)
        .thenNoReply();
  }

  /** ALLOCATED, or why the review failed (INSUFFICIENT_FUNDS is told apart from missing stock). */
  private static String reviewOutcome(Message closing) {
    if (closing instanceof OrderReviewFailed failed) {
      return failed.getFailure().getCode().equals(Rejections.INSUFFICIENT_FUNDS) ? Rejections.INSUFFICIENT_FUNDS : "REVIEW_FAILED";
    }
    return "ALLOCATED";
  }

  /** Every write of an order: timed, and its new view published before anyone is answered. */
  private EffectBuilder<Message, OrderState> persist(Message event) {
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), event).thenRun(this::publishView);
  }

  private EffectBuilder<Message, OrderState> persist(List<Message> events) {
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), events).thenRun(this::publishView);
  }

  private void publishView(OrderState state) {
    if (state.exists()) {
      settings.views().publish(orderId, view(state));
    }
  }

  private void answerWaiters(OrderState state) {
    OrderReply r = reply(state, false);
    waiters.forEach(w -> w.tell(r));
    waiters.clear();
    ensureSagaRunning(state);
    if (stopWhenIdle && run == null) {
      context.getSelf().tell(Stop.INSTANCE);
    }
  }

  // ---------------------------------------------------------------- replies

  private OrderReply reply(OrderState state, boolean created) {
    return OrderReply.newBuilder().setCreated(created).setOrder(view(state)).setSequenceNr(lastSequenceNumber(context)).build();
  }

  private static OrderReply rejection(Rejection r) {
    return OrderReply.newBuilder().setRejection(r).build();
  }

  private static OrderReply forbidden(OrderState state, Action action) {
    String message = OrderLifecycle.hint(state.status(), action)
        .orElse("cannot " + action.name().toLowerCase() + " an order in state " + state.status().name());
    return rejection(Rejections.invalidState(state.status().name(), message));
  }

  // ---------------------------------------------------------------- persistence

  @Override
  public EventHandler<OrderState, Message> eventHandler() {
    return (state, event) -> {
      cachedView = null;
      return state.apply(event);
    };
  }

  /** The state's view, built once per change: a write publishes it and answers with the same one. */
  private OrderView view(OrderState state) {
    if (cachedView == null) {
      cachedView = state.view();
    }
    return cachedView;
  }

  @Override
  public SignalHandler<OrderState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          publishView(state);
          ensureSagaRunning(state);
        })
        // a write that failed stops the order (EntityPersistence): whether it happened is not known,
        // so reads must reach the order again instead of the cache showing the state before it for
        // ever, and the order is woken from outside to finish any step in flight
        .onSignal(JournalPersistFailed.class, (state, failed) -> stoppedByFailedWrite())
        .onSignal(JournalPersistRejected.class, (state, rejected) -> stoppedByFailedWrite())
        .build();
  }

  /**
   * Whether the failed write closed a step cannot be read here (the state already shows the events
   * that failed), so any failed write asks for a wake-up: the order's recovery resumes a step left
   * open, and finds nothing to do otherwise.
   */
  private void stoppedByFailedWrite() {
    settings.views().drop(orderId);
    settings.wakeups().wakeLater(orderId);
  }

  @Override
  public Set<String> tagsFor(Message event) {
    return settings.tagSagaEvents() && (OrderState.opensSaga(event) || OrderState.closesSaga(event))
        ? Set.of(SAGA_TAG) : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }

  @Override
  public SnapshotAdapter<OrderState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(OrderState state) {
        return state.toSnapshot();
      }

      @Override
      public OrderState fromJournal(Object from) {
        return OrderState.fromSnapshot((OrderSnapshot) from);
      }
    };
  }
}
