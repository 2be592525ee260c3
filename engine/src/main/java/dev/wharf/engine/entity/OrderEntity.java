package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.OrderLifecycle;
import dev.wharf.engine.domain.OrderLifecycle.Action;
import dev.wharf.engine.domain.OrderState;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.domain.ReviewTally;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.CommitStock;
import dev.wharf.proto.IngestOrder;
import dev.wharf.proto.Line;
import dev.wharf.proto.OrderAllocated;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderFrozen;
import dev.wharf.proto.OrderLinesMapped;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.OrderReviewFailed;
import dev.wharf.proto.OrderReviewStarted;
import dev.wharf.proto.OrderShipped;
import dev.wharf.proto.OrderSnapshot;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderStockSettled;
import dev.wharf.proto.OrderUnfrozen;
import dev.wharf.proto.OrderVoided;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
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

  /** Local only: a SkuStock's answer (or the failure to get one) within saga run {@code runId}. */
  record StockAnswered(int runId, String sku, SkuStockReply reply, Throwable failure) implements Msg {}

  /** Local only: ask a line's stock again after a failed attempt. */
  record RetryLine(int runId, String sku) implements Msg {}

  public record Settings(Duration retryAfter) {}

  /** The step in flight: which lines still owe an answer. Lives in memory only. */
  private static final class SagaRun {
    final int id;
    final StockSaga step;
    final Map<String, Line> pending = new LinkedHashMap<>();
    ReviewTally tally;
    boolean releasingAfterRefusal;

    SagaRun(int id, StockSaga step) {
      this.id = id;
      this.step = step;
    }
  }

  private final String orderId;
  private final ActorContext<Msg> context;
  private final TimerScheduler<Msg> timers;
  private final StockGateway stock;
  private final Settings settings;
  private final List<ActorRef<OrderReply>> waiters = new ArrayList<>();
  private int lastRunId;
  private SagaRun run;

  public static Behavior<Msg> create(String orderId, StockGateway stock, Settings settings) {
    return Behaviors.withTimers(timers ->
        Behaviors.setup(context -> new OrderEntity(orderId, context, timers, stock, settings)));
  }

  private OrderEntity(String orderId, ActorContext<Msg> context, TimerScheduler<Msg> timers,
                      StockGateway stock, Settings settings) {
    super(PersistenceId.of(TYPE_KEY.name(), orderId));
    this.orderId = orderId;
    this.context = context;
    this.timers = timers;
    this.stock = stock;
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
        .onCommand(StockAnswered.class, this::onStockAnswered)
        .onCommand(RetryLine.class, this::onRetryLine)
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
      case SHIP -> ship(state, c.getShip(), replyTo);
      case GET -> Effect().reply(replyTo, reply(state, false));
      case RESUME -> {
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
    List<Message> events = new ArrayList<>(2);
    events.add(cmd.getOrder());
    boolean review = cmd.getAutoReview() && cmd.getOrder().getUnmappedSkusCount() == 0;
    if (review) {
      events.add(OrderReviewStarted.getDefaultInstance());
    }
    return Effect().persist(events)
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
    List<Message> events = new ArrayList<>(2);
    if (!state.unmappedSkus().isEmpty()) {
      if (!cmd.getRemapped() || cmd.getRemappedLinesCount() == 0) {
        return Effect().reply(replyTo, rejection(Rejections.of(Rejections.UNMAPPED_SKU,
            "no SKU mapping for platform SKU " + String.join(", ", state.unmappedSkus()), "lines")));
      }
      events.add(OrderLinesMapped.newBuilder().addAllLines(cmd.getRemappedLinesList()).build());
    }
    events.add(OrderReviewStarted.getDefaultInstance());
    waiters.add(replyTo);
    return Effect().persist(events).thenRun(this::ensureSagaRunning).thenNoReply();
  }

  private ReplyEffect<Message, OrderState> simpleTransition(
      OrderState state, Action action, Message event, ActorRef<OrderReply> replyTo) {
    return switch (OrderLifecycle.decide(state.status(), action)) {
      case PROCEED -> Effect().persist(event).thenReply(replyTo, s -> reply(s, false));
      case ALREADY -> Effect().reply(replyTo, reply(state, false));
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, action));
    };
  }

  private ReplyEffect<Message, OrderState> voidOrder(OrderState state, ActorRef<OrderReply> replyTo) {
    return switch (OrderLifecycle.decide(state.status(), Action.VOID)) {
      case PROCEED -> {
        if (!state.holdsReservations()) {
          yield Effect().persist(OrderVoided.getDefaultInstance()).thenReply(replyTo, s -> reply(s, false));
        }
        // answer once the reservations are released, so a 2xx means the stock is free again
        waiters.add(replyTo);
        yield Effect().persist(OrderVoided.getDefaultInstance()).thenRun(this::ensureSagaRunning).thenNoReply();
      }
      case ALREADY -> awaitOpenSaga(state, replyTo);
      case FORBIDDEN -> Effect().reply(replyTo, forbidden(state, Action.VOID));
    };
  }

  private ReplyEffect<Message, OrderState> ship(OrderState state, ShipOrder cmd, ActorRef<OrderReply> replyTo) {
    if (cmd.getCarrier().isBlank() || cmd.getTrackingNo().isBlank()) {
      return Effect().reply(replyTo, rejection(Rejections.of(Rejections.VALIDATION,
          "carrier and trackingNo are required", cmd.getCarrier().isBlank() ? "carrier" : "trackingNo")));
    }
    return switch (OrderLifecycle.decide(state.status(), Action.SHIP)) {
      case PROCEED -> {
        waiters.add(replyTo);
        yield Effect()
            .persist(OrderShipped.newBuilder().setCarrier(cmd.getCarrier()).setTrackingNo(cmd.getTrackingNo()).build())
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
    state.lines().forEach(line -> run.pending.put(line.getSku(), line));
    if (run.pending.isEmpty()) {
      // nothing to ask: close the step at once through the same path as a last answer
      context.getSelf().tell(new StockAnswered(run.id, "", null, null));
      return;
    }
    run.pending.values().forEach(line -> askStock(state, line));
  }

  private void askStock(OrderState state, Line line) {
    SkuStockCommand.Builder cmd = SkuStockCommand.newBuilder();
    StockSaga step = run.releasingAfterRefusal ? StockSaga.STOCK_SAGA_RELEASE : run.step;
    switch (step) {
      case STOCK_SAGA_RESERVE -> cmd.setReserve(ReserveStock.newBuilder().setOrderId(orderId).setQty(line.getQty()));
      case STOCK_SAGA_RELEASE -> cmd.setRelease(ReleaseStock.newBuilder().setOrderId(orderId));
      case STOCK_SAGA_COMMIT -> cmd.setCommit(CommitStock.newBuilder().setOrderId(orderId));
      default -> throw new IllegalStateException("no saga step " + step);
    }
    int runId = run.id;
    String sku = line.getSku();
    context.pipeToSelf(
        stock.ask(Identifiers.stockEntityId(state.warehouseId(), state.clientId(), sku), cmd.build()),
        (reply, failure) -> new StockAnswered(runId, sku, reply, failure));
  }

  private ReplyEffect<Message, OrderState> onRetryLine(OrderState state, RetryLine retry) {
    if (run != null && run.id == retry.runId() && run.pending.containsKey(retry.sku())) {
      askStock(state, run.pending.get(retry.sku()));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Message, OrderState> onStockAnswered(OrderState state, StockAnswered answer) {
    if (run == null || run.id != answer.runId()) {
      return Effect().noReply(); // an answer to a step that has been restarted or finished
    }
    if (answer.failure() != null) {
      context.getLog().warn("order {}: stock {} did not answer ({}); retrying", orderId, answer.sku(),
          answer.failure().toString());
      timers.startSingleTimer(new RetryLine(run.id, answer.sku()), settings.retryAfter());
      return Effect().noReply();
    }
    Line line = run.pending.remove(answer.sku());
    if (line != null) {
      recordAnswer(line, answer.reply());
    }
    if (!run.pending.isEmpty()) {
      return Effect().noReply();
    }
    return finishStep(state);
  }

  private void recordAnswer(Line line, SkuStockReply reply) {
    if (reply.hasRejection()) {
      // not retryable (e.g. a commit with nothing reserved): record it and move on
      context.getLog().error("order {}: stock {} refused {}: {}", orderId, line.getSku(),
          run.step, reply.getRejection().getMessage());
    }
    if (run.step == StockSaga.STOCK_SAGA_RESERVE && !run.releasingAfterRefusal) {
      if (reply.getAccepted()) {
        run.tally.reserved(line.getSku());
      } else {
        run.tally.refused(line.getSku(), line.getQty(), reply.getLevel().getAvailable());
      }
    }
  }

  private ReplyEffect<Message, OrderState> finishStep(OrderState state) {
    if (run.step == StockSaga.STOCK_SAGA_RESERVE) {
      if (run.tally.allReserved()) {
        return closeStep(OrderAllocated.getDefaultInstance());
      }
      if (!run.releasingAfterRefusal) {
        // all or nothing: give back what was reserved before failing the review
        run.releasingAfterRefusal = true;
        run.tally.reservedLines().forEach(l -> run.pending.put(l.getSku(), l));
        if (!run.pending.isEmpty()) {
          run.pending.values().forEach(l -> askStock(state, l));
          return Effect().noReply();
        }
      }
      return closeStep(OrderReviewFailed.newBuilder().setFailure(run.tally.failure()).build());
    }
    return closeStep(OrderStockSettled.getDefaultInstance());
  }

  private ReplyEffect<Message, OrderState> closeStep(Message event) {
    run = null;
    return Effect().persist(event).thenRun(this::answerWaiters).thenNoReply();
  }

  private void answerWaiters(OrderState state) {
    OrderReply r = reply(state, false);
    waiters.forEach(w -> w.tell(r));
    waiters.clear();
    ensureSagaRunning(state);
  }

  // ---------------------------------------------------------------- replies

  private OrderReply reply(OrderState state, boolean created) {
    return OrderReply.newBuilder().setCreated(created).setOrder(state.view()).build();
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
    return OrderState::apply;
  }

  @Override
  public SignalHandler<OrderState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::ensureSagaRunning)
        .build();
  }

  @Override
  public Set<String> tagsFor(Message event) {
    return OrderState.opensSaga(event) || OrderState.closesSaga(event) ? Set.of(SAGA_TAG) : Set.of();
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
