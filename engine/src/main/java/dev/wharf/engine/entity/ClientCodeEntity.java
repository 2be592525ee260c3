package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.ClientCodeClaimed;
import dev.wharf.proto.ClientCodeCommand;
import dev.wharf.proto.ClientCodeReply;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A client code and the client holding it, for good: order numbers start with the code, so a
 * code that changed hands (or was shared) would repeat numbers. A client that moves to another
 * code keeps the old one too.
 */
public final class ClientCodeEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ClientCodeEntity.Request, Message, ClientCodeClaimed> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "ClientCode");

  public record Request(ClientCodeCommand command, ActorRef<ClientCodeReply> replyTo)
      implements EntityRequest<ClientCodeCommand, ClientCodeReply> {}

  private final String code;

  public static Behavior<Request> create(String code) {
    return new ClientCodeEntity(code);
  }

  private ClientCodeEntity(String code) {
    super(PersistenceId.of(TYPE_KEY.name(), code));
    this.code = code;
  }

  @Override
  public ClientCodeClaimed emptyState() {
    return ClientCodeClaimed.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, ClientCodeClaimed> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, ClientCodeClaimed> onRequest(ClientCodeClaimed holder, Request request) {
    ActorRef<ClientCodeReply> replyTo = request.replyTo();
    if (request.command().hasGet()) {
      return Effect().reply(replyTo, ClientCodeReply.newBuilder().setClientId(holder.getClientId()).build());
    }
    if (!request.command().hasClaim()) {
      return Effect().reply(replyTo, ClientCodeReply.newBuilder()
          .setRejection(Rejections.of(Rejections.VALIDATION, "empty command")).build());
    }
    String clientId = request.command().getClaim().getClientId();
    if (holder.getClientId().isEmpty()) {
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), request.command().getClaim())
          .thenReply(replyTo, h -> ClientCodeReply.newBuilder().setClientId(h.getClientId()).build());
    }
    if (!holder.getClientId().equals(clientId)) {
      return Effect().reply(replyTo, ClientCodeReply.newBuilder().setClientId(holder.getClientId())
          .setRejection(Rejections.of(Rejections.CONFLICT, "code " + code + " belongs to client " + holder.getClientId()
              + " (order numbers start with it)", "code")).build());
    }
    return Effect().reply(replyTo, ClientCodeReply.newBuilder().setClientId(clientId).build());
  }

  @Override
  public EventHandler<ClientCodeClaimed, Message> eventHandler() {
    return (holder, event) -> (ClientCodeClaimed) event;
  }
}
