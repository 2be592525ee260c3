package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.domain.StockLedger;
import dev.wharf.engine.domain.StockLedger.ReserveDecision;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.SkuStockSnapshot;
import dev.wharf.proto.StockCommitted;
import dev.wharf.proto.StockLevel;
import dev.wharf.proto.StockReceived;
import dev.wharf.proto.StockReleased;
import dev.wharf.proto.StockReserved;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.SnapshotAdapter;

/**
 * Stock of one SKU of one client in one warehouse: the single writer of its on-hand and
 * reservations, so concurrent reviews never oversell. Every command is idempotent per receipt
 * reference or order id.
 */
public final class SkuStockEntity
    extends EventSourcedBehaviorWithEnforcedReplies<SkuStockEntity.Msg, Message, StockLedger> {

  public static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "SkuStock");

  public interface Msg {}

  public record Request(SkuStockCommand command, ActorRef<SkuStockReply> replyTo)
      implements Msg, EntityRequest<SkuStockCommand, SkuStockReply> {}

  /** Local only: persist the reservations collected so far. */
  private enum Flush implements Msg { INSTANCE }

  /**
   * Sharding's stop message (passivation or hand-off): reservations not yet written are written
   * and answered first, as a stopped stock would drop them and their reviews wait for a timeout.
   */
  public enum Stop implements Msg { INSTANCE }

  /**
   * Reservations accepted but not yet persisted: a hot SKU collects the reserves that arrive while
   * a write is in flight and persists them in one write. Each is answered only once persisted.
   */
  private final Map<String, Long> batch = new LinkedHashMap<>();
  private final List<ActorRef<SkuStockReply>> batchReplies = new ArrayList<>();
  private long batchQty;
  private final ActorContext<Msg> context;
  private final int idempotencyWindow;
  // a hot SKU's ledger holds thousands of reservations: snapshots paced by its size (decision 0023)
  private final SnapshotPacing snapshots = new SnapshotPacing();

  public static Behavior<Msg> create(String entityId) {
    return create(entityId, StockLedger.IDEMPOTENCY_WINDOW);
  }

  /** A stock remembering its last {@code idempotencyWindow} commits and receipts (tests use small ones). */
  public static Behavior<Msg> create(String entityId, int idempotencyWindow) {
    return Behaviors.setup(ctx -> new SkuStockEntity(PersistenceId.of(TYPE_KEY.name(), entityId), ctx, idempotencyWindow));
  }

  private SkuStockEntity(PersistenceId persistenceId, ActorContext<Msg> context, int idempotencyWindow) {
    super(persistenceId);
    this.context = context;
    this.idempotencyWindow = idempotencyWindow;
  }

  @Override
  public StockLedger emptyState() {
    return new StockLedger(idempotencyWindow);
  }

  @Override
  public CommandHandlerWithReply<Msg, Message, StockLedger> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(Flush.class, (ledger, flush) -> flush())
        // the flush unstashes when its write is done, so the stop comes back then
        .onCommand(Stop.class, (ledger, stop) -> batch.isEmpty() ? Effect().stop().thenNoReply() : Effect().stash())
        .build();
  }

  private ReplyEffect<Message, StockLedger> onRequest(StockLedger ledger, Request request) {
    SkuStockCommand c = request.command();
    ActorRef<SkuStockReply> replyTo = request.replyTo();
    if (c.getKindCase() == SkuStockCommand.KindCase.RESERVE) {
      return reserve(ledger, c.getReserve().getOrderId(), c.getReserve().getQty(), replyTo);
    }
    if (!batch.isEmpty()) {
      return Effect().stash(); // everything else waits for the pending reservations, in order
    }
    return switch (c.getKindCase()) {
      case RECEIVE -> {
        if (c.getReceive().getQty() <= 0) {
          yield Effect().reply(replyTo, rejected(Rejections.VALIDATION, "qty must be positive"));
        }
        if (ledger.hasReceipt(c.getReceive().getReceiptRef())) {
          yield Effect().reply(replyTo, accepted(ledger));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), StockReceived.newBuilder()
                .setReceiptRef(c.getReceive().getReceiptRef())
                .setQty(c.getReceive().getQty())
                .build())
            .thenReply(replyTo, SkuStockEntity::accepted);
      }
      case RELEASE -> {
        String orderId = c.getRelease().getOrderId();
        if (!ledger.holdsReservation(orderId)) {
          yield Effect().reply(replyTo, accepted(ledger));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), StockReleased.newBuilder().setOrderId(orderId).build())
            .thenReply(replyTo, SkuStockEntity::accepted);
      }
      case COMMIT -> {
        String orderId = c.getCommit().getOrderId();
        if (ledger.isCommitted(orderId)) {
          yield Effect().reply(replyTo, accepted(ledger));
        }
        if (!ledger.holdsReservation(orderId)) {
          // also a commit retried after more than IDEMPOTENCY_WINDOW later commits: the saga logs it and moves on
          yield Effect().reply(replyTo, rejected(Rejections.CONFLICT, "order " + orderId + " holds no reservation"
              + " (never reserved, released, or committed before the last " + idempotencyWindow + " commits)"));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), StockCommitted.newBuilder().setOrderId(orderId).build())
            .thenReply(replyTo, SkuStockEntity::accepted);
      }
      case GET -> Effect().reply(replyTo, accepted(ledger));
      default -> Effect().reply(replyTo, rejected(Rejections.VALIDATION, "empty command"));
    };
  }

  /** Decides against the persisted ledger and the pending batch together, so a batch never oversells. */
  private ReplyEffect<Message, StockLedger> reserve(StockLedger ledger, String orderId, long qty, ActorRef<SkuStockReply> replyTo) {
    if (qty <= 0) {
      return Effect().reply(replyTo, rejected(Rejections.VALIDATION, "qty must be positive"));
    }
    if (batch.containsKey(orderId)) {
      batchReplies.add(replyTo); // a retry of a pending reservation: answered with it
      return Effect().noReply();
    }
    if (ledger.isCommitted(orderId)) {
      // a late retry after the order shipped: nothing to reserve any more
      return Effect().reply(replyTo, accepted(ledger));
    }
    ReserveDecision decision = ledger.decideReserve(orderId, qty, batchQty);
    if (decision instanceof ReserveDecision.AlreadyReserved) {
      return Effect().reply(replyTo, accepted(ledger));
    }
    if (decision instanceof ReserveDecision.Short shortage) {
      StockLevel level = level(ledger).toBuilder()
          .setReserved(ledger.reserved() + batchQty).setAvailable(shortage.available()).build();
      return Effect().reply(replyTo, SkuStockReply.newBuilder().setAccepted(false).setLevel(level).build());
    }
    if (batch.isEmpty()) {
      context.getSelf().tell(Flush.INSTANCE);
    }
    batch.put(orderId, qty);
    batchQty += qty;
    batchReplies.add(replyTo);
    return Effect().noReply();
  }

  private ReplyEffect<Message, StockLedger> flush() {
    if (batch.isEmpty()) {
      return Effect().noReply();
    }
    List<Message> events = new ArrayList<>(batch.size());
    batch.forEach((orderId, qty) -> events.add(StockReserved.newBuilder().setOrderId(orderId).setQty(qty).build()));
    List<ActorRef<SkuStockReply>> replies = List.copyOf(batchReplies);
    batch.clear();
    batchReplies.clear();
    batchQty = 0;
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), events)
        .thenRun(ledger -> {
          SkuStockReply reply = accepted(ledger);
          replies.forEach(r -> r.tell(reply));
        })
        .thenNoReply()
        .thenUnstashAll();
  }

  @Override
  public EventHandler<StockLedger, Message> eventHandler() {
    return (ledger, event) -> {
      snapshots.eventApplied();
      if (event instanceof StockReserved e) {
        ledger.applyReserved(e.getOrderId(), e.getQty());
      } else if (event instanceof StockReleased e) {
        ledger.applyReleased(e.getOrderId());
      } else if (event instanceof StockCommitted e) {
        ledger.applyCommitted(e.getOrderId());
      } else if (event instanceof StockReceived e) {
        ledger.applyReceived(e.getReceiptRef(), e.getQty());
      } else {
        throw new IllegalArgumentException("not a stock event: " + event.getClass());
      }
      return ledger;
    };
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return SnapshotPacing.retention();
  }

  @Override
  public boolean shouldSnapshot(StockLedger ledger, Message event, long sequenceNr) {
    return snapshots.due(ledger.snapshotEntries());
  }

  @Override
  public SnapshotAdapter<StockLedger> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(StockLedger ledger) {
        return SkuStockSnapshot.newBuilder()
            .setOnHand(ledger.onHand())
            .setShipped(ledger.shipped())
            .putAllReservations(ledger.reservations())
            .addAllReceiptRefs(ledger.receiptRefs())
            .addAllCommittedOrders(ledger.committedOrders())
            .build();
      }

      @Override
      public StockLedger fromJournal(Object from) {
        SkuStockSnapshot s = (SkuStockSnapshot) from;
        return StockLedger.restore(idempotencyWindow,
            s.getOnHand(), s.getShipped(), s.getReservationsMap(), s.getReceiptRefsList(), s.getCommittedOrdersList());
      }
    };
  }

  public static StockLevel level(StockLedger ledger) {
    return StockLevel.newBuilder()
        .setOnHand(ledger.onHand())
        .setReserved(ledger.reserved())
        .setAvailable(ledger.available())
        .setShipped(ledger.shipped())
        .build();
  }

  private static SkuStockReply accepted(StockLedger ledger) {
    return SkuStockReply.newBuilder().setAccepted(true).setLevel(level(ledger)).build();
  }

  private static SkuStockReply rejected(String code, String message) {
    return SkuStockReply.newBuilder().setRejection(Rejections.of(code, message)).build();
  }
}
