package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.PackingIndex;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.GetWaiting;
import dev.wharf.proto.GroupDropped;
import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.MergeGroupReply;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.PackingIndexReply;
import dev.wharf.proto.PackingIndexSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Which merge groups of a warehouse may have orders waiting, so a build visits those only. One per
 * warehouse; one write when a group joins, and one per batch of groups dropped (decision 0024).
 *
 * <p>A group is registered by every order that joins it, carrying the group's journal position
 * after the join. After a build visited a group, a check asks the group itself how many orders wait
 * and where its journal stands; it is dropped only if none wait and no register from a later
 * position arrived while the check was out. A register and a check answer travel different paths,
 * so that comparison is what keeps a group with a new order from being dropped.
 */
public final class PackingIndexEntity
    extends EventSourcedBehaviorWithEnforcedReplies<PackingIndexEntity.Msg, Message, PackingIndex> {

  public static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "PackingIndex");

  public interface Msg {}

  public record Request(PackingIndexCommand command, ActorRef<PackingIndexReply> replyTo)
      implements Msg, EntityRequest<PackingIndexCommand, PackingIndexReply> {}

  /** Local only: a group's answer to a drop check. */
  record GroupAnswered(String groupId, MergeGroupReply reply, Throwable failure) implements Msg {}

  /** Local only: write the drops decided so far. */
  private enum FlushDrops implements Msg { INSTANCE }

  /** How the index reaches a merge group. */
  @FunctionalInterface
  public interface MergeGroups {
    CompletionStage<MergeGroupReply> ask(String groupId, MergeGroupCommand command);
  }

  private static final MergeGroupCommand GET_WAITING =
      MergeGroupCommand.newBuilder().setGetWaiting(GetWaiting.getDefaultInstance()).build();

  private final ActorContext<Msg> context;
  private final MergeGroups mergeGroups;
  // checks out, by group: the latest position a register carried since the check was sent (in
  // memory: a check is forgotten with the incarnation that sent it, and so is its answer)
  private final Map<String, Long> checksOut = new HashMap<>();
  // drops decided but not yet written: a build's checks answer together, and go in one write
  private final Set<String> dropsPending = new LinkedHashSet<>();
  // one entry per group that may have work: snapshots paced by its size (decision 0023)
  private final SnapshotPacing snapshots = new SnapshotPacing();

  public static Behavior<Msg> create(String warehouseId, MergeGroups mergeGroups) {
    return Behaviors.setup(ctx -> new PackingIndexEntity(warehouseId, ctx, mergeGroups));
  }

  private PackingIndexEntity(String warehouseId, ActorContext<Msg> context, MergeGroups mergeGroups) {
    super(PersistenceId.of(TYPE_KEY.name(), warehouseId));
    this.context = context;
    this.mergeGroups = mergeGroups;
  }

  @Override
  public PackingIndex emptyState() {
    return new PackingIndex();
  }

  @Override
  public CommandHandlerWithReply<Msg, Message, PackingIndex> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(GroupAnswered.class, this::onGroupAnswered)
        .onCommand(FlushDrops.class, (index, flush) -> flushDrops())
        .build();
  }

  private ReplyEffect<Message, PackingIndex> onRequest(PackingIndex index, Request request) {
    PackingIndexCommand c = request.command();
    ActorRef<PackingIndexReply> replyTo = request.replyTo();
    return switch (c.getKindCase()) {
      case REGISTER -> {
        GroupRegistered register = c.getRegister();
        // a register from a node without positions (0) counts as later than any answer
        long position = register.getSequenceNr() > 0 ? register.getSequenceNr() : Long.MAX_VALUE;
        checksOut.computeIfPresent(register.getGroupId(), (id, latest) -> Math.max(latest, position));
        // newer than the answer or not, a register keeps its group: a stale one costs a check next build
        dropsPending.remove(register.getGroupId());
        if (index.knows(register.getGroupId())) {
          yield Effect().reply(replyTo, PackingIndexReply.getDefaultInstance());
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), register)
            .thenReply(replyTo, s -> PackingIndexReply.getDefaultInstance());
      }
      case CHECK -> {
        for (String groupId : c.getCheck().getGroupIdsList()) {
          if (index.knows(groupId) && !checksOut.containsKey(groupId) && !dropsPending.contains(groupId)) {
            checksOut.put(groupId, 0L);
            context.pipeToSelf(mergeGroups.ask(groupId, GET_WAITING), (reply, failure) -> new GroupAnswered(groupId, reply, failure));
          }
        }
        yield Effect().reply(replyTo, PackingIndexReply.getDefaultInstance());
      }
      case LIST -> Effect().reply(replyTo, PackingIndexReply.newBuilder()
          .addAllGroups(index.groups(c.getList().getClientId()).stream()
              .filter(g -> !dropsPending.contains(g.getGroupId())).toList())
          .build());
      case KIND_NOT_SET -> Effect().reply(replyTo, PackingIndexReply.getDefaultInstance());
    };
  }

  private ReplyEffect<Message, PackingIndex> onGroupAnswered(PackingIndex index, GroupAnswered answer) {
    Long latestRegister = checksOut.remove(answer.groupId());
    boolean drained = answer.failure() == null
        && !answer.reply().hasRejection()
        && answer.reply().getWaiting() == 0
        && latestRegister != null
        && latestRegister <= answer.reply().getSequenceNr();
    if (drained && index.knows(answer.groupId())) {
      if (dropsPending.isEmpty()) {
        context.getSelf().tell(FlushDrops.INSTANCE);
      }
      dropsPending.add(answer.groupId());
    }
    // otherwise orders wait, an order joined since, or no answer came: the next build checks again
    return Effect().noReply();
  }

  private ReplyEffect<Message, PackingIndex> flushDrops() {
    if (dropsPending.isEmpty()) {
      return Effect().noReply();
    }
    List<Message> drops = new ArrayList<>(dropsPending.size());
    dropsPending.forEach(groupId -> drops.add(GroupDropped.newBuilder().setGroupId(groupId).build()));
    dropsPending.clear();
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), drops).thenNoReply();
  }

  @Override
  public EventHandler<PackingIndex, Message> eventHandler() {
    return (index, event) -> {
      snapshots.eventApplied();
      if (event instanceof GroupRegistered e) {
        index.apply(e);
      } else if (event instanceof GroupDropped e) {
        index.drop(e.getGroupId());
      } else {
        throw new IllegalArgumentException("not a packing index event: " + event.getClass());
      }
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
