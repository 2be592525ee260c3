package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.CarrierCommand;
import dev.wharf.proto.CarrierDefined;
import dev.wharf.proto.CarrierReply;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/** A carrier and how many orders one of its packages (one tracking number) may hold. */
public final class CarrierEntity extends EventSourcedBehaviorWithEnforcedReplies<CarrierEntity.Request, Message, CarrierDefined> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "Carrier");

  public record Request(CarrierCommand command, ActorRef<CarrierReply> replyTo)
      implements EntityRequest<CarrierCommand, CarrierReply> {}

  private final String code;

  public static Behavior<Request> create(String code) {
    return new CarrierEntity(code);
  }

  private CarrierEntity(String code) {
    super(PersistenceId.of(TYPE_KEY.name(), code));
    this.code = code;
  }

  @Override
  public CarrierDefined emptyState() {
    return CarrierDefined.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, CarrierDefined> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, CarrierDefined> onRequest(CarrierDefined state, Request request) {
    boolean defined = state.getMaxOrdersPerPackage() > 0;
    if (request.command().hasDefine()) {
      CarrierDefined d = request.command().getDefine();
      if (d.getMaxOrdersPerPackage() < 1) {
        return Effect().reply(request.replyTo(), CarrierReply.newBuilder()
            .setRejection(Rejections.of(Rejections.VALIDATION, "maxOrdersPerPackage must be at least 1", "maxOrdersPerPackage"))
            .build());
      }
      if (d.equals(state)) {
        return Effect().reply(request.replyTo(), reply(state, false));
      }
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), d).thenReply(request.replyTo(), s -> reply(s, !defined));
    }
    return defined ? Effect().reply(request.replyTo(), reply(state, false))
        : Effect().reply(request.replyTo(), CarrierReply.newBuilder().setRejection(Rejections.notFound("carrier " + code)).build());
  }

  private CarrierReply reply(CarrierDefined state, boolean created) {
    return CarrierReply.newBuilder().setCarrierCode(code).setCarrier(state).setCreated(created).build();
  }

  @Override
  public EventHandler<CarrierDefined, Message> eventHandler() {
    return (state, event) -> (CarrierDefined) event;
  }
}
