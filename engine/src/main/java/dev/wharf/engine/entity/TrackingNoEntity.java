package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.TrackingNoClaimed;
import dev.wharf.proto.TrackingNoCommand;
import dev.wharf.proto.TrackingNoReleased;
import dev.wharf.proto.TrackingNoReply;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One carrier's tracking number and the package (or lone order) shipped under it: a second
 * holder is refused, so no number carries more orders than one package may hold. A holder whose
 * ship was refused after it claimed releases the number; nobody else can.
 */
public final class TrackingNoEntity
    extends EventSourcedBehaviorWithEnforcedReplies<TrackingNoEntity.Request, Message, TrackingNoClaimed> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "TrackingNo");

  public record Request(TrackingNoCommand command, ActorRef<TrackingNoReply> replyTo)
      implements EntityRequest<TrackingNoCommand, TrackingNoReply> {}

  public static Behavior<Request> create(String entityId) {
    return new TrackingNoEntity(entityId);
  }

  private TrackingNoEntity(String entityId) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
  }

  @Override
  public TrackingNoClaimed emptyState() {
    return TrackingNoClaimed.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, TrackingNoClaimed> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, TrackingNoClaimed> onRequest(TrackingNoClaimed held, Request request) {
    ActorRef<TrackingNoReply> replyTo = request.replyTo();
    TrackingNoCommand c = request.command();
    String holder = held.getHolder();
    if (c.hasClaim()) {
      String claimant = c.getClaim().getHolder();
      if (holder.isEmpty()) {
        return EntityPersistence.persist(Effect(), TYPE_KEY.name(), c.getClaim())
            .thenReply(replyTo, h -> TrackingNoReply.newBuilder().setHolder(h.getHolder()).build());
      }
      if (!holder.equals(claimant)) {
        return Effect().reply(replyTo, TrackingNoReply.newBuilder().setHolder(holder)
            .setRejection(Rejections.of(Rejections.TRACKING_NO_IN_USE, "this carrier's tracking no. is already used by "
                + holder.replace(':', ' '), "trackingNo")).build());
      }
      return Effect().reply(replyTo, TrackingNoReply.newBuilder().setHolder(holder).build());
    }
    if (c.hasRelease() && !holder.isEmpty() && holder.equals(c.getRelease().getHolder())) {
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), c.getRelease())
          .thenReply(replyTo, h -> TrackingNoReply.newBuilder().setHolder(h.getHolder()).build());
    }
    // a release by someone else, or of a free number: nothing to do
    return Effect().reply(replyTo, TrackingNoReply.newBuilder().setHolder(holder).build());
  }

  @Override
  public EventHandler<TrackingNoClaimed, Message> eventHandler() {
    return (held, event) -> event instanceof TrackingNoClaimed claimed ? claimed : TrackingNoClaimed.getDefaultInstance();
  }
}
