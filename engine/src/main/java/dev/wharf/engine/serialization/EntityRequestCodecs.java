package dev.wharf.engine.serialization;

import dev.wharf.engine.entity.BillingCatalogEntity;
import dev.wharf.engine.entity.CarrierEntity;
import dev.wharf.engine.entity.MergeGroupEntity;
import dev.wharf.engine.entity.PackingIndexEntity;
import dev.wharf.engine.entity.ReceiptEntity;
import dev.wharf.engine.entity.WarehouseDirectoryEntity;
import dev.wharf.engine.entity.ClientAccountEntity;
import dev.wharf.engine.entity.ClientCodeEntity;
import dev.wharf.engine.entity.TrackingNoEntity;
import dev.wharf.engine.entity.ClientEntity;
import dev.wharf.engine.entity.RechargeDeskEntity;
import dev.wharf.engine.entity.OrderEntity;
import dev.wharf.engine.entity.SkuStockEntity;
import dev.wharf.engine.entity.StoreEntity;
import dev.wharf.engine.entity.WarehouseEntity;
import dev.wharf.engine.serialization.EntityRequestSerializer.Codec;
import dev.wharf.proto.BillingCatalogCommand;
import dev.wharf.proto.CarrierCommand;
import dev.wharf.proto.CarrierReply;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.MergeGroupReply;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.PackingIndexReply;
import dev.wharf.proto.ReceiptCommand;
import dev.wharf.proto.ReceiptReply;
import dev.wharf.proto.WarehouseDirectoryCommand;
import dev.wharf.proto.WarehouseDirectoryReply;
import dev.wharf.proto.BillingCatalogReply;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.ClientCodeCommand;
import dev.wharf.proto.ClientCodeReply;
import dev.wharf.proto.TrackingNoCommand;
import dev.wharf.proto.TrackingNoReply;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.RechargeDeskCommand;
import dev.wharf.proto.RechargeDeskReply;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreReply;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseReply;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;

/** Every request type an entity accepts across nodes. A new entity adds one line here. */
public final class EntityRequestCodecs {
  private EntityRequestCodecs() {}

  @SuppressWarnings("unchecked")
  public static final List<Codec<?>> ALL =
      List.of(
          new Codec<>("SkuStock", SkuStockEntity.Request.class, SkuStockCommand.parser(),
              (c, r) -> new SkuStockEntity.Request(c, (ActorRef<SkuStockReply>) r)),
          new Codec<>("Order", OrderEntity.Request.class, OrderCommand.parser(),
              (c, r) -> new OrderEntity.Request(c, (ActorRef<OrderReply>) r)),
          new Codec<>("Store", StoreEntity.Request.class, StoreCommand.parser(),
              (c, r) -> new StoreEntity.Request(c, (ActorRef<StoreReply>) r)),
          new Codec<>("Client", ClientEntity.Request.class, ClientCommand.parser(),
              (c, r) -> new ClientEntity.Request(c, (ActorRef<ClientReply>) r)),
          new Codec<>("Warehouse", WarehouseEntity.Request.class, WarehouseCommand.parser(),
              (c, r) -> new WarehouseEntity.Request(c, (ActorRef<WarehouseReply>) r)),
          new Codec<>("ClientAccount", ClientAccountEntity.Request.class, ClientAccountCommand.parser(),
              (c, r) -> new ClientAccountEntity.Request(c, (ActorRef<ClientAccountReply>) r)),
          new Codec<>("BillingCatalog", BillingCatalogEntity.Request.class, BillingCatalogCommand.parser(),
              (c, r) -> new BillingCatalogEntity.Request(c, (ActorRef<BillingCatalogReply>) r)),
          new Codec<>("RechargeDesk", RechargeDeskEntity.Request.class, RechargeDeskCommand.parser(),
              (c, r) -> new RechargeDeskEntity.Request(c, (ActorRef<RechargeDeskReply>) r)),
          new Codec<>("MergeGroup", MergeGroupEntity.Request.class, MergeGroupCommand.parser(),
              (c, r) -> new MergeGroupEntity.Request(c, (ActorRef<MergeGroupReply>) r)),
          new Codec<>("PackingIndex", PackingIndexEntity.Request.class, PackingIndexCommand.parser(),
              (c, r) -> new PackingIndexEntity.Request(c, (ActorRef<PackingIndexReply>) r)),
          new Codec<>("Carrier", CarrierEntity.Request.class, CarrierCommand.parser(),
              (c, r) -> new CarrierEntity.Request(c, (ActorRef<CarrierReply>) r)),
          new Codec<>("ClientCode", ClientCodeEntity.Request.class, ClientCodeCommand.parser(),
              (c, r) -> new ClientCodeEntity.Request(c, (ActorRef<ClientCodeReply>) r)),
          new Codec<>("TrackingNo", TrackingNoEntity.Request.class, TrackingNoCommand.parser(),
              (c, r) -> new TrackingNoEntity.Request(c, (ActorRef<TrackingNoReply>) r)),
          new Codec<>("Receipt", ReceiptEntity.Request.class, ReceiptCommand.parser(),
              (c, r) -> new ReceiptEntity.Request(c, (ActorRef<ReceiptReply>) r)),
          new Codec<>("WarehouseDirectory", WarehouseDirectoryEntity.Request.class, WarehouseDirectoryCommand.parser(),
              (c, r) -> new WarehouseDirectoryEntity.Request(c, (ActorRef<WarehouseDirectoryReply>) r)));

  static final Map<String, Codec<?>> BY_MANIFEST =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Codec::manifest, Function.identity()));
  static final Map<Class<?>, Codec<?>> BY_TYPE =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Codec::type, Function.identity()));
}
