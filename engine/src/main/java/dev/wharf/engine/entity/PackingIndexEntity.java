package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.PackingIndexReply;
import dev.wharf.proto.PackingIndexSnapshot;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** Which merge groups a warehouse has, so a build can visit them. One per warehouse; one write per new group. */
public final class PackingIndexEntity
    extends EventSourcedBehaviorWithEnforcedReplies<PackingIndexEntity.Request, Message, PackingIndexSnapshot> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "PackingIndex");

  public record Request(PackingIndexCommand command, ActorRef<PackingIndexReply> replyTo)
      implements EntityRequest<PackingIndexCommand, PackingIndexReply> {}

  public static Behavior<Request> create(String warehouseId) {
    return new PackingIndexEntity(warehouseId);
  }

  private PackingIndexEntity(String warehouseId) {
    super(PersistenceId.of(TYPE_KEY.name(), warehouseId));
  }

  @Override
  public PackingIndexSnapshot emptyState() {
    return PackingIndexSnapshot.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, PackingIndexSnapshot> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, PackingIndexSnapshot> onRequest(PackingIndexSnapshot index, Request request) {
    PackingIndexCommand c = request.command();
    if (c.hasRegister()) {
      boolean known = index.getGroupsList().stream().anyMatch(g -> g.getGroupId().equals(c.getRegister().getGroupId()));
      if (known) {
        return Effect().reply(request.replyTo(), PackingIndexReply.getDefaultInstance());
      }
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), c.getRegister()).thenReply(request.replyTo(), s -> PackingIndexReply.getDefaultInstance());
    }
    String clientId = c.getList().getClientId();
    return Effect().reply(request.replyTo(), PackingIndexReply.newBuilder()
        .addAllGroups(index.getGroupsList().stream()
            .filter(g -> clientId.isEmpty() || g.getClientId().equals(clientId)).toList())
        .build());
  }

  @Override
  public EventHandler<PackingIndexSnapshot, Message> eventHandler() {
    return (index, event) -> index.toBuilder().addGroups((GroupRegistered) event).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(500, 2);
  }
}
