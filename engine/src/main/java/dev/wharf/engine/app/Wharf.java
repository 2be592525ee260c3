package dev.wharf.engine.app;

import com.typesafe.config.Config;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.entity.ClientEntity;
import dev.wharf.engine.entity.OrderEntity;
import dev.wharf.engine.entity.SkuStockEntity;
import dev.wharf.engine.entity.StockGateway;
import dev.wharf.engine.entity.StoreEntity;
import dev.wharf.engine.entity.WarehouseEntity;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreReply;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseReply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * The engine as the rest of the node sees it: starts sharding for every entity type and offers
 * one typed ask per entity. Everything returns a CompletionStage; nothing blocks.
 */
public final class Wharf {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration reviewTimeout;

  public Wharf(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    Config config = system.settings().config().getConfig("wharf");
    this.askTimeout = config.getDuration("ask-timeout");
    this.reviewTimeout = config.getDuration("review-timeout");
    OrderEntity.Settings orderSettings = new OrderEntity.Settings(config.getDuration("saga-retry-after"));
    StockGateway stockGateway = this::stock;

    sharding.init(Entity.of(SkuStockEntity.TYPE_KEY, ctx -> SkuStockEntity.create(ctx.getEntityId())));
    sharding.init(Entity.of(OrderEntity.TYPE_KEY, ctx -> OrderEntity.create(ctx.getEntityId(), stockGateway, orderSettings)));
    sharding.init(Entity.of(StoreEntity.TYPE_KEY, ctx -> StoreEntity.create(ctx.getEntityId())));
    sharding.init(Entity.of(ClientEntity.TYPE_KEY, ctx -> ClientEntity.create(ctx.getEntityId())));
    sharding.init(Entity.of(WarehouseEntity.TYPE_KEY, ctx -> WarehouseEntity.create(ctx.getEntityId())));
  }

  public ActorSystem<?> system() {
    return system;
  }

  public CompletionStage<SkuStockReply> stock(String stockEntityId, SkuStockCommand command) {
    return sharding.entityRefFor(SkuStockEntity.TYPE_KEY, stockEntityId)
        .ask(replyTo -> new SkuStockEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<SkuStockReply> stock(String warehouseId, String clientId, String sku, SkuStockCommand command) {
    return stock(Identifiers.stockEntityId(warehouseId, clientId, sku), command);
  }

  public CompletionStage<OrderReply> order(String orderId, OrderCommand command) {
    // review, void and ship answer when their stock saga has finished
    Duration timeout = command.hasGet() || command.hasIngest() ? askTimeout : reviewTimeout;
    return sharding.entityRefFor(OrderEntity.TYPE_KEY, orderId)
        .ask(replyTo -> new OrderEntity.Request(command, replyTo), timeout);
  }

  public CompletionStage<StoreReply> store(String storeId, StoreCommand command) {
    return sharding.entityRefFor(StoreEntity.TYPE_KEY, storeId)
        .ask(replyTo -> new StoreEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<ClientReply> client(String clientId, ClientCommand command) {
    return sharding.entityRefFor(ClientEntity.TYPE_KEY, clientId)
        .ask(replyTo -> new ClientEntity.Request(command, replyTo), askTimeout);
  }

  public CompletionStage<WarehouseReply> warehouse(String warehouseId, WarehouseCommand command) {
    return sharding.entityRefFor(WarehouseEntity.TYPE_KEY, warehouseId)
        .ask(replyTo -> new WarehouseEntity.Request(command, replyTo), askTimeout);
  }
}
