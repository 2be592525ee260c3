package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.ReceiptLines;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.ReceiptBooked;
import dev.wharf.proto.ReceiptCommand;
import dev.wharf.proto.ReceiptCompleted;
import dev.wharf.proto.ReceiptFeeDecided;
import dev.wharf.proto.ReceiptReply;
import dev.wharf.proto.Rejection;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One stock receipt: the lines its reference stands for, and whether they are all in stock and
 * the fee charged. Each SKU's stock applies a reference once, but only sees its own line: without
 * this record a reused reference with other lines was applied to the SKUs new to it and skipped
 * for the others, and a receipt retried after 5,000 later receipts of a SKU was applied again.
 */
public final class ReceiptEntity extends EventSourcedBehaviorWithEnforcedReplies<ReceiptEntity.Request, Message, ReceiptReply> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "Receipt");

  public record Request(ReceiptCommand command, ActorRef<ReceiptReply> replyTo)
      implements EntityRequest<ReceiptCommand, ReceiptReply> {}

  public static Behavior<Request> create(String entityId) {
    return new ReceiptEntity(entityId);
  }

  private ReceiptEntity(String entityId) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
  }

  @Override
  public ReceiptReply emptyState() {
    return ReceiptReply.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, ReceiptReply> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, ReceiptReply> onRequest(ReceiptReply state, Request request) {
    ReceiptCommand c = request.command();
    ActorRef<ReceiptReply> replyTo = request.replyTo();
    return switch (c.getKindCase()) {
      case BOOK -> {
        ReceiptBooked book = c.getBook();
        if (!state.hasReceipt()) {
          yield EntityPersistence.persist(Effect(), TYPE_KEY.name(),
                  book.toBuilder().clearLines().addAllLines(ReceiptLines.merged(book.getLinesList())).build())
              .thenReply(replyTo, s -> s);
        }
        if (!ReceiptLines.same(state.getReceipt().getLinesList(), book.getLinesList())) {
          yield reject(replyTo, Rejections.of(Rejections.CONFLICT, "receipt " + book.getReference()
              + " was booked with other lines; a corrected receipt needs a new reference", "reference"));
        }
        yield Effect().reply(replyTo, state);
      }
      case DECIDE_FEE -> {
        if (!state.hasReceipt()) {
          yield reject(replyTo, Rejections.notFound("receipt"));
        }
        // the first decision stands (its fee may be charged already), unless it could not be charged
        yield state.hasFee() && !c.getDecideFee().getReplaces() ? Effect().reply(replyTo, state)
            : EntityPersistence.persist(Effect(), TYPE_KEY.name(), c.getDecideFee()).thenReply(replyTo, s -> s);
      }
      case COMPLETE -> {
        if (!state.hasReceipt()) {
          yield reject(replyTo, Rejections.notFound("receipt"));
        }
        yield state.getCompleted() ? Effect().reply(replyTo, state)
            : EntityPersistence.persist(Effect(), TYPE_KEY.name(), c.getComplete()).thenReply(replyTo, s -> s);
      }
      case GET -> Effect().reply(replyTo, state);
      case KIND_NOT_SET -> reject(replyTo, Rejections.of(Rejections.VALIDATION, "empty command"));
    };
  }

  private ReplyEffect<Message, ReceiptReply> reject(ActorRef<ReceiptReply> replyTo, Rejection rejection) {
    return Effect().reply(replyTo, ReceiptReply.newBuilder().setRejection(rejection).build());
  }

  @Override
  public EventHandler<ReceiptReply, Message> eventHandler() {
    return (state, event) -> {
      if (event instanceof ReceiptBooked e) {
        return state.toBuilder().setReceipt(e).build();
      } else if (event instanceof ReceiptFeeDecided e) {
        return state.toBuilder().setFee(e).build();
      } else if (event instanceof ReceiptCompleted e) {
        return state.toBuilder().setCompleted(true).setInboundFee(e.getInboundFee()).build();
      }
      throw new IllegalArgumentException("not a receipt event: " + event.getClass());
    };
  }
}
