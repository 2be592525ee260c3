package dev.wharf.engine.app;

import com.typesafe.config.Config;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.PenaltyRules;
import dev.wharf.engine.entity.BillingCatalogEntity;
import dev.wharf.engine.entity.CarrierEntity;
import dev.wharf.engine.entity.MergeGroupEntity;
import dev.wharf.engine.entity.PackingGateway;
import dev.wharf.engine.entity.PackingIndexEntity;
import dev.wharf.engine.entity.ReceiptEntity;
import dev.wharf.engine.entity.WarehouseDirectoryEntity;
import dev.wharf.engine.entity.BillingGateway;
import dev.wharf.engine.entity.ClientAccountEntity;
import dev.wharf.engine.entity.ClientCodeEntity;
import dev.wharf.engine.entity.TrackingNoEntity;
import dev.wharf.engine.entity.ClientEntity;
import dev.wharf.engine.entity.RechargeDeskEntity;
import dev.wharf.engine.entity.OrderEntity;
import dev.wharf.engine.entity.OrderViewCache;
import dev.wharf.engine.entity.SkuStockEntity;
import dev.wharf.engine.entity.StockGateway;
import dev.wharf.engine.entity.StoreEntity;
import dev.wharf.engine.entity.WarehouseEntity;
import dev.wharf.engine.entity.Wakeups;
import dev.wharf.proto.BillingCatalogCommand;
import dev.wharf.proto.CarrierCommand;
import dev.wharf.proto.CarrierReply;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.MergeGroupReply;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.PackingIndexReply;
import dev.wharf.proto.WarehouseDirectoryCommand;
import dev.wharf.proto.WarehouseDirectoryReply;
import dev.wharf.proto.BillingCatalogReply;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientCodeCommand;
import dev.wharf.proto.ClientCodeReply;
import dev.wharf.proto.TrackingNoCommand;
import dev.wharf.proto.TrackingNoReply;
import dev.wharf.proto.ReceiptCommand;
import dev.wharf.proto.ReceiptReply;
import dev.wharf.proto.RechargeDeskCommand;
import dev.wharf.proto.RechargeDeskReply;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.ResumeGroup;
import dev.wharf.proto.ResumeOrderSaga;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreReply;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseReply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * The engine as the rest of the node sees it: starts sharding for every entity type and offers
 * one typed ask per entity. Everything returns a CompletionStage; nothing blocks.
 */
public final class Wharf {
  private static final OrderCommand RESUME_ORDER = OrderCommand.newBuilder().setResume(ResumeOrderSaga.getDefaultInstance()).build();
  private static final MergeGroupCommand RESUME_GROUP = MergeGroupCommand.newBuilder().setResume(ResumeGroup.getDefaultInstance()).build();

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration reviewTimeout;
  private final Executor dispatcher;
  private final List<EntityTypeKey<?>> entityTypes = new ArrayList<>();
  private final OrderViewCache orderViews;

  public Wharf(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    Config config = system.settings().config().getConfig("wharf");
    this.askTimeout = config.getDuration("ask-timeout");
    this.reviewTimeout = config.getDuration("review-timeout");
    this.dispatcher = system.executionContext();
    Clock clock = Clock.systemUTC();
    Config cancellation = config.getConfig("billing.cancellation");
    String penaltyCurrency = cancellation.getString("currency");
    PenaltyRules penalties = new PenaltyRules(
        Moneys.of(cancellation.getLong("seller"), penaltyCurrency),
        Moneys.of(cancellation.getLong("late"), penaltyCurrency),
        cancellation.getInt("late-from-day"),
        Moneys.of(cancellation.getLong("cap-per-sub-order"), penaltyCurrency));
    boolean tagSagaEvents = config.getString("saga-recovery.strategy").equals("tag");
    this.orderViews = new OrderViewCache(config.getInt("order-view-cache.max-entries"));
    OrderEntity.Settings orderSettings =
        new OrderEntity.Settings(config.getDuration("saga-retry-after"), penalties, clock, tagSagaEvents, orderViews,
            new EntityWakeups(system, "order", id -> order(id, RESUME_ORDER), config.getDuration("saga-retry-after"), Duration.ofMinutes(1)));
    StockGateway stockGateway = this::stock;
    BillingGateway billing = new ShardedBilling(this);
    String defaultCurrency = config.getString("billing.currency");

    start(Entity.of(SkuStockEntity.TYPE_KEY, ctx -> SkuStockEntity.create(ctx.getEntityId()))
        .withStopMessage(SkuStockEntity.Stop.INSTANCE));
    PackingGateway packing = new ShardedPacking(this);
    start(Entity.of(OrderEntity.TYPE_KEY,
        ctx -> OrderEntity.create(ctx.getEntityId(), stockGateway, billing, packing, orderSettings))
        .withStopMessage(OrderEntity.Stop.INSTANCE));
    Wakeups groupWakeups = new EntityWakeups(system, "merge group", id -> mergeGroup(id, RESUME_GROUP),
        config.getDuration("saga-retry-after"), Duration.ofMinutes(1));
    start(Entity.of(MergeGroupEntity.TYPE_KEY,
            ctx -> MergeGroupEntity.create(ctx.getEntityId(), this::order, tagSagaEvents, groupWakeups))
        .withStopMessage(MergeGroupEntity.Stop.INSTANCE));
    start(Entity.of(PackingIndexEntity.TYPE_KEY, ctx -> PackingIndexEntity.create(ctx.getEntityId(), this::mergeGroup)));
    start(Entity.of(CarrierEntity.TYPE_KEY, ctx -> CarrierEntity.create(ctx.getEntityId())));
    start(Entity.of(WarehouseDirectoryEntity.TYPE_KEY, ctx -> WarehouseDirectoryEntity.create(ctx.getEntityId())));
    start(Entity.of(ClientAccountEntity.TYPE_KEY,
        ctx -> ClientAccountEntity.create(ctx.getEntityId(), defaultCurrency, clock))
        .withStopMessage(ClientAccountEntity.Stop.INSTANCE));
    start(Entity.of(BillingCatalogEntity.TYPE_KEY, ctx -> BillingCatalogEntity.create(ctx.getEntityId(), clock)));
    start(Entity.of(RechargeDeskEntity.TYPE_KEY,
        ctx -> RechargeDeskEntity.create(ctx.getEntityId(), this::account, clock)));
    start(Entity.of(StoreEntity.TYPE_KEY, ctx -> StoreEntity.create(ctx.getEntityId())));
    start(Entity.of(ClientEntity.TYPE_KEY, ctx -> ClientEntity.create(ctx.getEntityId())));
    start(Entity.of(WarehouseEntity.TYPE_KEY, ctx -> WarehouseEntity.create(ctx.getEntityId())));
    start(Entity.of(ReceiptEntity.TYPE_KEY, ctx -> ReceiptEntity.create(ctx.getEntityId())));
    start(Entity.of(ClientCodeEntity.TYPE_KEY, ctx -> ClientCodeEntity.create(ctx.getEntityId())));
    start(Entity.of(TrackingNoEntity.TYPE_KEY, ctx -> TrackingNoEntity.create(ctx.getEntityId())));
  }

  private <M> void start(Entity<M, ?> entity) {
    sharding.init(entity);
    entityTypes.add(entity.typeKey());
  }

  public ActorSystem<?> system() {
    return system;
  }

  /** Order views published by their entities (single mode; disabled in a cluster). */
  public OrderViewCache orderViews() {
    return orderViews;
  }

  /** Every sharded entity type, for the entities-alive gauge. */
  public List<EntityTypeKey<?>> entityTypes() {
    return List.copyOf(entityTypes);
  }

  public CompletionStage<SkuStockReply> stock(String stockEntityId, SkuStockCommand command) {
    return ask(SkuStockEntity.TYPE_KEY, stockEntityId, replyTo -> new SkuStockEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<SkuStockReply> stock(String warehouseId, String clientId, String sku, SkuStockCommand command) {
    return stock(Identifiers.stockEntityId(warehouseId, clientId, sku), command);
  }

  public CompletionStage<OrderReply> order(String orderId, OrderCommand command) {
    // review, void and ship answer when their stock saga has finished; the rest (resume too) at once
    Duration timeout = command.hasGet() || command.hasIngest() || command.hasResume() ? askTimeout : reviewTimeout;
    CompletionStage<OrderReply> reply = ask(OrderEntity.TYPE_KEY, orderId, replyTo -> new OrderEntity.Request(command, replyTo), timeout);
    if (command.hasGet()) {
      return reply;
    }
    // a write that got no answer (a timeout; a journal failure, which stops the entity) may have
    // happened or not: the cached view must not go on answering reads as if it had not
    return reply.whenComplete((answer, failure) -> {
      if (failure != null) {
        orderViews.drop(orderId);
      }
    });
  }

  public CompletionStage<StoreReply> store(String storeId, StoreCommand command) {
    return ask(StoreEntity.TYPE_KEY, storeId, replyTo -> new StoreEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<ClientReply> client(String clientId, ClientCommand command) {
    return ask(ClientEntity.TYPE_KEY, clientId, replyTo -> new ClientEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<ClientAccountReply> account(String clientId, ClientAccountCommand command) {
    return ask(ClientAccountEntity.TYPE_KEY, clientId, replyTo -> new ClientAccountEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<BillingCatalogReply> catalog(BillingCatalogCommand command) {
    return ask(BillingCatalogEntity.TYPE_KEY, BillingCatalogEntity.ENTITY_ID, replyTo -> new BillingCatalogEntity.Request(command, replyTo), askTimeout);
  }

  /** Approvals answer once the account is credited. */
  public CompletionStage<RechargeDeskReply> recharges(RechargeDeskCommand command) {
    return ask(RechargeDeskEntity.TYPE_KEY, RechargeDeskEntity.ENTITY_ID, replyTo -> new RechargeDeskEntity.Request(command, replyTo), reviewTimeout);
  }

  /** Builds and ships answer once every order of the group has confirmed. */
  public CompletionStage<MergeGroupReply> mergeGroup(String groupId, MergeGroupCommand command) {
    return ask(MergeGroupEntity.TYPE_KEY, groupId, replyTo -> new MergeGroupEntity.Request(command, replyTo), reviewTimeout);
  }

  public CompletionStage<PackingIndexReply> packingIndex(String warehouseId, PackingIndexCommand command) {
    return ask(PackingIndexEntity.TYPE_KEY, warehouseId, replyTo -> new PackingIndexEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<CarrierReply> carrier(String code, CarrierCommand command) {
    return ask(CarrierEntity.TYPE_KEY, code, replyTo -> new CarrierEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<WarehouseDirectoryReply> warehouseDirectory(WarehouseDirectoryCommand command) {
    return ask(WarehouseDirectoryEntity.TYPE_KEY, WarehouseDirectoryEntity.ENTITY_ID, replyTo -> new WarehouseDirectoryEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<WarehouseReply> warehouse(String warehouseId, WarehouseCommand command) {
    return ask(WarehouseEntity.TYPE_KEY, warehouseId, replyTo -> new WarehouseEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<ClientCodeReply> clientCode(String code, ClientCodeCommand command) {
    return ask(ClientCodeEntity.TYPE_KEY, code, replyTo -> new ClientCodeEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<TrackingNoReply> trackingNo(String carrier, String trackingNo, TrackingNoCommand command) {
    return ask(TrackingNoEntity.TYPE_KEY, Identifiers.trackingNoEntityId(carrier, trackingNo),
        replyTo -> new TrackingNoEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<ReceiptReply> receipt(String receiptEntityId, ReceiptCommand command) {
    return ask(ReceiptEntity.TYPE_KEY, receiptEntityId, replyTo -> new ReceiptEntity.Request(command, replyTo), askTimeout);
  }

  private <M, R> CompletionStage<R> ask(EntityTypeKey<M> type, String entityId, Function<ActorRef<R>, M> request,
                                        Duration timeout) {
    return onDispatcher(sharding.entityRefFor(type, entityId).ask(request::apply, timeout));
  }

  /**
   * Pekko's ask answers with a Scala-backed CompletionStage whose plain thenApply/whenComplete run
   * on ForkJoinPool.commonPool, and with one or two cores that pool is a new thread per callback.
   * Continuing on the actor dispatcher instead keeps the continuations cheap and off the thread
   * of the entity that replied.
   */
  private <T> CompletionStage<T> onDispatcher(CompletionStage<T> answer) {
    CompletableFuture<T> result = new CompletableFuture<>();
    answer.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        result.complete(value);
      }
    }, dispatcher);
    return result;
  }
}
