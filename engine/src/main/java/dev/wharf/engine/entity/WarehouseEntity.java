package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseDefined;
import dev.wharf.proto.WarehouseReply;
import dev.wharf.proto.WarehouseSnapshot;
import dev.wharf.proto.WarehouseView;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/** A warehouse as master data. Its state is its own snapshot message (tiny and immutable). */
public final class WarehouseEntity
    extends EventSourcedBehaviorWithEnforcedReplies<WarehouseEntity.Request, Message, WarehouseSnapshot> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "Warehouse");

  public record Request(WarehouseCommand command, ActorRef<WarehouseReply> replyTo)
      implements EntityRequest<WarehouseCommand, WarehouseReply> {}

  private final String warehouseId;

  public static Behavior<Request> create(String warehouseId) {
    return new WarehouseEntity(warehouseId);
  }

  private WarehouseEntity(String warehouseId) {
    super(PersistenceId.of(TYPE_KEY.name(), warehouseId));
    this.warehouseId = warehouseId;
  }

  @Override
  public WarehouseSnapshot emptyState() {
    return WarehouseSnapshot.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, WarehouseSnapshot> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, WarehouseSnapshot> onRequest(WarehouseSnapshot state, Request request) {
    WarehouseCommand c = request.command();
    return switch (c.getKindCase()) {
      case DEFINE -> {
        WarehouseDefined event = WarehouseDefined.newBuilder()
            .setName(c.getDefine().getName())
            .setCountry(c.getDefine().getCountry())
            .addAllCoverage(c.getDefine().getCoverageList())
            .setPriority(c.getDefine().getPriority())
            .build();
        boolean created = !state.getDefined();
        if (!created && state.getName().equals(event.getName()) && state.getCountry().equals(event.getCountry())
            && state.getCoverageList().equals(event.getCoverageList()) && state.getPriority() == event.getPriority()) {
          yield Effect().reply(request.replyTo(), reply(state, false));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), event).thenReply(request.replyTo(), s -> reply(s, created));
      }
      case GET -> state.getDefined()
          ? Effect().reply(request.replyTo(), reply(state, false))
          : Effect().reply(request.replyTo(),
              WarehouseReply.newBuilder().setRejection(Rejections.notFound("warehouse " + warehouseId)).build());
      case KIND_NOT_SET -> Effect().reply(request.replyTo(),
          WarehouseReply.newBuilder().setRejection(Rejections.of(Rejections.VALIDATION, "empty command")).build());
    };
  }

  private WarehouseReply reply(WarehouseSnapshot state, boolean created) {
    return WarehouseReply.newBuilder()
        .setCreated(created)
        .setWarehouse(WarehouseView.newBuilder()
            .setWarehouseId(warehouseId)
            .setName(state.getName())
            .setCountry(state.getCountry())
            .addAllCoverage(state.getCoverageList())
            .setPriority(state.getPriority())
            .setRevision(state.getRevision()))
        .build();
  }

  @Override
  public EventHandler<WarehouseSnapshot, Message> eventHandler() {
    return (state, event) -> {
      WarehouseDefined e = (WarehouseDefined) event;
      return WarehouseSnapshot.newBuilder().setDefined(true).setName(e.getName()).setCountry(e.getCountry())
          .addAllCoverage(e.getCoverageList()).setPriority(e.getPriority()).setRevision(state.getRevision() + 1).build();
    };
  }
}
