package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.PackingIndex;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.PackingIndexReply;
import dev.wharf.proto.PackingIndexSnapshot;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** Which merge groups a warehouse has, so a build can visit them. One per warehouse; one write per new group. */
public final class PackingIndexEntity
    extends EventSourcedBehaviorWithEnforcedReplies<PackingIndexEntity.Request, Message, PackingIndex> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "PackingIndex");

  public record Request(PackingIndexCommand command, ActorRef<PackingIndexReply> replyTo)
      implements EntityRequest<PackingIndexCommand, PackingIndexReply> {}

  // one entry per merge group the warehouse ever opened: snapshots paced by its size (decision 0023)
  private final SnapshotPacing snapshots = new SnapshotPacing();

  public static Behavior<Request> create(String warehouseId) {
    return Behaviors.setup(ctx -> new PackingIndexEntity(warehouseId));
  }

  private PackingIndexEntity(String warehouseId) {
    super(PersistenceId.of(TYPE_KEY.name(), warehouseId));
  }

  @Override
  public PackingIndex emptyState() {
    return new PackingIndex();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, PackingIndex> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, PackingIndex> onRequest(PackingIndex index, Request request) {
    PackingIndexCommand c = request.command();
    if (c.hasRegister()) {
      if (index.knows(c.getRegister().getGroupId())) {
        return Effect().reply(request.replyTo(), PackingIndexReply.getDefaultInstance());
      }
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), c.getRegister()).thenReply(request.replyTo(), s -> PackingIndexReply.getDefaultInstance());
    }
    return Effect().reply(request.replyTo(), PackingIndexReply.newBuilder()
        .addAllGroups(index.groups(c.getList().getClientId()))
        .build());
  }

  @Override
  public EventHandler<PackingIndex, Message> eventHandler() {
    return (index, event) -> {
      snapshots.eventApplied();
      index.apply((GroupRegistered) event);
      return index;
    };
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return SnapshotPacing.retention();
  }

  @Override
  public boolean shouldSnapshot(PackingIndex index, Message event, long sequenceNr) {
    return snapshots.due(index.size());
  }

  @Override
  public SnapshotAdapter<PackingIndex> snapshotAdapter() {
    // the snapshot's bytes are the same PackingIndexSnapshot as when it was the state itself
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(PackingIndex index) {
        return index.toSnapshot();
      }

      @Override
      public PackingIndex fromJournal(Object from) {
        return PackingIndex.fromSnapshot((PackingIndexSnapshot) from);
      }
    };
  }
}
