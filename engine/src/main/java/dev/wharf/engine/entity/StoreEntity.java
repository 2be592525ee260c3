package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.domain.SkuMapper;
import dev.wharf.engine.domain.StoreState;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.Rejection;
import dev.wharf.proto.SkuMappingRemoved;
import dev.wharf.proto.SkuMappingSet;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreDefined;
import dev.wharf.proto.StoreReply;
import dev.wharf.proto.StoreSnapshot;
import dev.wharf.proto.StoreView;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** A marketplace store of a client and its SKU mappings; resolves platform lines at ingest. */
public final class StoreEntity extends EventSourcedBehaviorWithEnforcedReplies<StoreEntity.Request, Message, StoreState> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "Store");

  public record Request(StoreCommand command, ActorRef<StoreReply> replyTo)
      implements EntityRequest<StoreCommand, StoreReply> {}

  private final String storeId;

  public static Behavior<Request> create(String storeId) {
    return new StoreEntity(storeId);
  }

  private StoreEntity(String storeId) {
    super(PersistenceId.of(TYPE_KEY.name(), storeId));
    this.storeId = storeId;
  }

  @Override
  public StoreState emptyState() {
    return new StoreState();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, StoreState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, StoreState> onRequest(StoreState state, Request request) {
    StoreCommand c = request.command();
    ActorRef<StoreReply> replyTo = request.replyTo();
    if (c.getKindCase() == StoreCommand.KindCase.DEFINE) {
      StoreDefined config = c.getDefine().getConfig();
      if (state.exists() && !state.config().getClientId().equals(config.getClientId())) {
        return Effect().reply(replyTo, rejection(Rejections.of(Rejections.CONFLICT,
            "store " + storeId + " belongs to client " + state.config().getClientId() + "; its client cannot change",
            "clientId")));
      }
      boolean created = !state.exists();
      if (!created && state.config().equals(config)) {
        return Effect().reply(replyTo, view(state, false));
      }
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), config).thenReply(replyTo, s -> view(s, created));
    }
    if (!state.exists()) {
      return Effect().reply(replyTo, rejection(Rejections.notFound("store " + storeId)));
    }
    return switch (c.getKindCase()) {
      case SET_MAPPING -> {
        SkuMappingSet event = SkuMappingSet.newBuilder()
            .setPlatformSku(c.getSetMapping().getPlatformSku())
            .addAllComponents(c.getSetMapping().getComponentsList())
            .build();
        boolean created = !state.mappings().containsKey(event.getPlatformSku());
        if (!created && state.mappings().get(event.getPlatformSku()).equals(event.getComponentsList())) {
          yield Effect().reply(replyTo, mappingsReply(state, event.getPlatformSku(), false));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), event).thenReply(replyTo, s -> mappingsReply(s, event.getPlatformSku(), created));
      }
      case REMOVE_MAPPING -> {
        String platformSku = c.getRemoveMapping().getPlatformSku();
        if (!state.mappings().containsKey(platformSku)) {
          yield Effect().reply(replyTo, rejection(Rejections.notFound("mapping for platform SKU " + platformSku)));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), SkuMappingRemoved.newBuilder().setPlatformSku(platformSku).build())
            .thenReply(replyTo, s -> view(s, false));
      }
      case GET -> Effect().reply(replyTo, view(state, false));
      case LIST_MAPPINGS -> Effect().reply(replyTo, StoreReply.newBuilder()
          .setStore(storeView(state)).addAllMappings(state.mappingList()).build());
      case RESOLVE -> {
        SkuMapper.Resolution r = SkuMapper.resolve(c.getResolve().getLinesList(), state.mappings());
        yield Effect().reply(replyTo, StoreReply.newBuilder()
            .setStore(storeView(state))
            .addAllResolved(r.lines())
            .addAllUnmapped(r.unmappedSkus())
            .build());
      }
      default -> Effect().reply(replyTo, rejection(Rejections.of(Rejections.VALIDATION, "empty command")));
    };
  }

  private StoreReply mappingsReply(StoreState state, String platformSku, boolean created) {
    return StoreReply.newBuilder()
        .setCreated(created)
        .setStore(storeView(state))
        .addMappings(dev.wharf.proto.SkuMapping.newBuilder()
            .setPlatformSku(platformSku)
            .addAllComponents(state.mappings().getOrDefault(platformSku, List.of())))
        .build();
  }

  private StoreView storeView(StoreState state) {
    return StoreView.newBuilder()
        .setStoreId(storeId)
        .setConfig(state.config())
        .setMappingCount(state.mappings().size())
        .build();
  }

  private StoreReply view(StoreState state, boolean created) {
    return StoreReply.newBuilder().setCreated(created).setStore(storeView(state)).build();
  }

  private static StoreReply rejection(Rejection r) {
    return StoreReply.newBuilder().setRejection(r).build();
  }

  @Override
  public EventHandler<StoreState, Message> eventHandler() {
    return StoreState::apply;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public SnapshotAdapter<StoreState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(StoreState state) {
        return state.toSnapshot();
      }

      @Override
      public StoreState fromJournal(Object from) {
        return StoreState.fromSnapshot((StoreSnapshot) from);
      }
    };
  }
}
