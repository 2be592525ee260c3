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
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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
    extends EventSourcedBehaviorWithEnforcedReplies<SkuStockEntity.Request, Message, StockLedger> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "SkuStock");

  public record Request(SkuStockCommand command, ActorRef<SkuStockReply> replyTo)
      implements EntityRequest<SkuStockCommand, SkuStockReply> {}

  public static Behavior<Request> create(String entityId) {
    return new SkuStockEntity(PersistenceId.of(TYPE_KEY.name(), entityId));
  }

  private SkuStockEntity(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public StockLedger emptyState() {
    return new StockLedger();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, StockLedger> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Request.class, this::onRequest)
        .build();
  }

  private ReplyEffect<Message, StockLedger> onRequest(StockLedger ledger, Request request) {
    SkuStockCommand c = request.command();
    ActorRef<SkuStockReply> replyTo = request.replyTo();
    return switch (c.getKindCase()) {
      case RECEIVE -> {
        if (c.getReceive().getQty() <= 0) {
          yield Effect().reply(replyTo, rejected(Rejections.VALIDATION, "qty must be positive"));
        }
        if (ledger.hasReceipt(c.getReceive().getReceiptRef())) {
          yield Effect().reply(replyTo, accepted(ledger));
        }
        yield Effect()
            .persist(StockReceived.newBuilder()
                .setReceiptRef(c.getReceive().getReceiptRef())
                .setQty(c.getReceive().getQty())
                .build())
            .thenReply(replyTo, SkuStockEntity::accepted);
      }
      case RESERVE -> {
        String orderId = c.getReserve().getOrderId();
        if (c.getReserve().getQty() <= 0) {
          yield Effect().reply(replyTo, rejected(Rejections.VALIDATION, "qty must be positive"));
        }
        if (ledger.isCommitted(orderId)) {
          // a late retry after the order shipped: nothing to reserve any more
          yield Effect().reply(replyTo, accepted(ledger));
        }
        ReserveDecision decision = ledger.decideReserve(orderId, c.getReserve().getQty());
        if (decision instanceof ReserveDecision.Reserve r) {
          yield Effect()
              .persist(StockReserved.newBuilder().setOrderId(orderId).setQty(r.qty()).build())
              .thenReply(replyTo, SkuStockEntity::accepted);
        } else if (decision instanceof ReserveDecision.AlreadyReserved) {
          yield Effect().reply(replyTo, accepted(ledger));
        } else {
          yield Effect().reply(replyTo, SkuStockReply.newBuilder().setAccepted(false).setLevel(level(ledger)).build());
        }
      }
      case RELEASE -> {
        String orderId = c.getRelease().getOrderId();
        if (!ledger.holdsReservation(orderId)) {
          yield Effect().reply(replyTo, accepted(ledger));
        }
        yield Effect()
            .persist(StockReleased.newBuilder().setOrderId(orderId).build())
            .thenReply(replyTo, SkuStockEntity::accepted);
      }
      case COMMIT -> {
        String orderId = c.getCommit().getOrderId();
        if (ledger.isCommitted(orderId)) {
          yield Effect().reply(replyTo, accepted(ledger));
        }
        if (!ledger.holdsReservation(orderId)) {
          yield Effect().reply(replyTo, rejected(Rejections.CONFLICT, "order " + orderId + " holds no reservation"));
        }
        yield Effect()
            .persist(StockCommitted.newBuilder().setOrderId(orderId).build())
            .thenReply(replyTo, SkuStockEntity::accepted);
      }
      case GET -> Effect().reply(replyTo, accepted(ledger));
      case KIND_NOT_SET -> Effect().reply(replyTo, rejected(Rejections.VALIDATION, "empty command"));
    };
  }

  @Override
  public EventHandler<StockLedger, Message> eventHandler() {
    return (ledger, event) -> {
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
    return RetentionCriteria.snapshotEvery(500, 2);
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
        return StockLedger.restore(
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
