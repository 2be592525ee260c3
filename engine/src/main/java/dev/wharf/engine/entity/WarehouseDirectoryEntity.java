package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.WarehouseDirectoryCommand;
import dev.wharf.proto.WarehouseDirectoryReply;
import dev.wharf.proto.WarehouseDirectorySnapshot;
import dev.wharf.proto.WarehouseListed;
import dev.wharf.proto.WarehouseView;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/** Every warehouse's coverage and priority in one place, read by routing at every review. */
public final class WarehouseDirectoryEntity
    extends EventSourcedBehaviorWithEnforcedReplies<WarehouseDirectoryEntity.Request, Message, WarehouseDirectorySnapshot> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "WarehouseDirectory");
  public static final String ENTITY_ID = "directory";

  public record Request(WarehouseDirectoryCommand command, ActorRef<WarehouseDirectoryReply> replyTo)
      implements EntityRequest<WarehouseDirectoryCommand, WarehouseDirectoryReply> {}

  public static Behavior<Request> create(String entityId) {
    return new WarehouseDirectoryEntity(entityId);
  }

  private WarehouseDirectoryEntity(String entityId) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
  }

  @Override
  public WarehouseDirectorySnapshot emptyState() {
    return WarehouseDirectorySnapshot.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, WarehouseDirectorySnapshot> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, WarehouseDirectorySnapshot> onRequest(WarehouseDirectorySnapshot dir, Request request) {
    WarehouseDirectoryCommand c = request.command();
    WarehouseDirectoryReply all = WarehouseDirectoryReply.newBuilder().addAllWarehouses(dir.getWarehousesList()).build();
    if (c.hasUpsert()) {
      WarehouseView listed = dir.getWarehousesList().stream()
          .filter(w -> w.getWarehouseId().equals(c.getUpsert().getWarehouseId())).findFirst().orElse(null);
      // two PUTs of one warehouse at once send their upserts in either order: the older one,
      // arriving last, must not put the older coverage back
      if (c.getUpsert().equals(listed) || (listed != null && listed.getRevision() > c.getUpsert().getRevision())) {
        return Effect().reply(request.replyTo(), all);
      }
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), WarehouseListed.newBuilder().setWarehouse(c.getUpsert()).build())
          .thenReply(request.replyTo(), d -> WarehouseDirectoryReply.newBuilder().addAllWarehouses(d.getWarehousesList()).build());
    }
    return Effect().reply(request.replyTo(), all);
  }

  @Override
  public EventHandler<WarehouseDirectorySnapshot, Message> eventHandler() {
    return (dir, event) -> {
      WarehouseView w = ((WarehouseListed) event).getWarehouse();
      var b = WarehouseDirectorySnapshot.newBuilder();
      dir.getWarehousesList().stream().filter(x -> !x.getWarehouseId().equals(w.getWarehouseId())).forEach(b::addWarehouses);
      return b.addWarehouses(w).build();
    };
  }
}
