package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.ClientState;
import dev.wharf.engine.domain.OrderIds;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientDefined;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.ClientSnapshot;
import dev.wharf.proto.ClientView;
import dev.wharf.proto.OrderNoBlockReserved;
import dev.wharf.proto.Product;
import dev.wharf.proto.ProductDefined;
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

/** A seller client: identity, products, and the sequence behind its order numbers. */
public final class ClientEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ClientEntity.Request, Message, ClientState> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "Client");

  public record Request(ClientCommand command, ActorRef<ClientReply> replyTo)
      implements EntityRequest<ClientCommand, ClientReply> {}

  private final String clientId;
  // next order-number sequence to hand out from the persisted block; 0 = start a new block
  private long nextSeq;

  public static Behavior<Request> create(String clientId) {
    return new ClientEntity(clientId);
  }

  private ClientEntity(String clientId) {
    super(PersistenceId.of(TYPE_KEY.name(), clientId));
    this.clientId = clientId;
  }

  @Override
  public ClientState emptyState() {
    return new ClientState();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, ClientState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, ClientState> onRequest(ClientState state, Request request) {
    ClientCommand c = request.command();
    ActorRef<ClientReply> replyTo = request.replyTo();
    if (c.getKindCase() == ClientCommand.KindCase.DEFINE) {
      ClientDefined event = ClientDefined.newBuilder()
          .setName(c.getDefine().getName())
          .setCode(c.getDefine().getCode())
          .setEmail(c.getDefine().getEmail())
          .build();
      boolean created = !state.exists();
      if (!created && state.identity().equals(event)) {
        return Effect().reply(replyTo, view(state, false));
      }
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), event).thenReply(replyTo, s -> view(s, created));
    }
    if (!state.exists()) {
      return Effect().reply(replyTo, rejection(Rejections.notFound("client " + clientId)));
    }
    return switch (c.getKindCase()) {
      case DEFINE_PRODUCT -> {
        ProductDefined event = ProductDefined.newBuilder()
            .setSku(c.getDefineProduct().getSku())
            .setName(c.getDefineProduct().getName())
            .setBarcode(c.getDefineProduct().getBarcode())
            .build();
        Product existing = state.products().get(event.getSku());
        boolean created = existing == null;
        if (!created && existing.getName().equals(event.getName()) && existing.getBarcode().equals(event.getBarcode())) {
          yield Effect().reply(replyTo, ClientReply.newBuilder().setProduct(existing).build());
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), event).thenReply(replyTo, s ->
            ClientReply.newBuilder().setCreated(created).setProduct(s.products().get(event.getSku())).build());
      }
      case GET -> Effect().reply(replyTo, view(state, false));
      case GET_PRODUCT -> {
        Product p = state.products().get(c.getGetProduct().getSku());
        yield Effect().reply(replyTo, p == null
            ? rejection(Rejections.notFound("product " + c.getGetProduct().getSku()))
            : ClientReply.newBuilder().setProduct(p).build());
      }
      case CHECK_PRODUCTS -> {
        ClientReply.Builder r = ClientReply.newBuilder();
        c.getCheckProducts().getSkusList().stream()
            .filter(sku -> !state.products().containsKey(sku))
            .distinct()
            .forEach(r::addUnknownSkus);
        yield Effect().reply(replyTo, r.build());
      }
      case NEXT_ORDER_NO -> nextOrderNo(state, c.getNextOrderNo().getDay(), replyTo);
      default -> Effect().reply(replyTo, rejection(Rejections.of(Rejections.VALIDATION, "empty command")));
    };
  }

  /** Hands out order numbers from memory; persists only when a new block of numbers is needed. */
  private ReplyEffect<Message, ClientState> nextOrderNo(ClientState state, String requestedDay, ActorRef<ClientReply> replyTo) {
    String code = state.identity().getCode();
    String day = state.orderNoDay(requestedDay);
    if (day.equals(state.seqDay()) && nextSeq != 0 && nextSeq <= state.seqUpTo()) {
      long seq = nextSeq++;
      return Effect().reply(replyTo, orderNo(code, day, seq));
    }
    long blockStart = day.equals(state.seqDay()) ? state.seqUpTo() + 1 : 1;
    nextSeq = blockStart + 1;
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), OrderNoBlockReserved.newBuilder().setDay(day).setUpTo(blockStart + ClientState.ORDER_NO_BLOCK - 1).build())
        .thenReply(replyTo, s -> orderNo(code, day, blockStart));
  }

  private static ClientReply orderNo(String code, String day, long seq) {
    return ClientReply.newBuilder().setOrderNo(OrderIds.orderNo(code, day, seq)).build();
  }

  private ClientReply view(ClientState state, boolean created) {
    return ClientReply.newBuilder()
        .setCreated(created)
        .setClient(ClientView.newBuilder()
            .setClientId(clientId)
            .setName(state.identity().getName())
            .setCode(state.identity().getCode())
            .setEmail(state.identity().getEmail())
            .setProductCount(state.products().size()))
        .build();
  }

  private static ClientReply rejection(dev.wharf.proto.Rejection r) {
    return ClientReply.newBuilder().setRejection(r).build();
  }

  @Override
  public EventHandler<ClientState, Message> eventHandler() {
    return ClientState::apply;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public SnapshotAdapter<ClientState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(ClientState state) {
        return state.toSnapshot();
      }

      @Override
      public ClientState fromJournal(Object from) {
        return ClientState.fromSnapshot((ClientSnapshot) from);
      }
    };
  }
}
