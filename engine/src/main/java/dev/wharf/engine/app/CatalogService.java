package dev.wharf.engine.app;

import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.CheckProducts;
import dev.wharf.proto.ClientCodeClaimed;
import dev.wharf.proto.ClientCodeCommand;
import dev.wharf.proto.ClientCodeReply;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.DefineClient;
import dev.wharf.proto.DefineStore;
import dev.wharf.proto.GetClient;
import dev.wharf.proto.GetStore;
import dev.wharf.proto.GetWarehouse;
import dev.wharf.proto.Line;
import dev.wharf.proto.SetSkuMapping;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreDefined;
import dev.wharf.proto.StoreReply;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseReply;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Master-data use cases that must check other entities first: a store needs an existing client
 * and default warehouse; a SKU mapping's components must be products of the store's client.
 */
public final class CatalogService {
  private final Wharf wharf;

  public CatalogService(Wharf wharf) {
    this.wharf = wharf;
  }

  public CompletionStage<ClientReply> requireClient(String clientId, String field) {
    return wharf.client(clientId, ClientCommand.newBuilder().setGet(GetClient.getDefaultInstance()).build())
        .thenApply(r -> {
          if (r.hasRejection()) {
            throw field == null ? new Rejected(r.getRejection())
                : Rejected.of(Rejections.UNKNOWN_REFERENCE, "client " + clientId + " does not exist", field);
          }
          return r;
        });
  }

  public CompletionStage<WarehouseReply> requireWarehouse(String warehouseId, String field) {
    return wharf.warehouse(warehouseId, WarehouseCommand.newBuilder().setGet(GetWarehouse.getDefaultInstance()).build())
        .thenApply(r -> {
          if (r.hasRejection()) {
            throw field == null ? new Rejected(r.getRejection())
                : Rejected.of(Rejections.UNKNOWN_REFERENCE, "warehouse " + warehouseId + " does not exist", field);
          }
          return r;
        });
  }

  /** Fails with UNKNOWN_SKU naming the first SKU that is not a product of the client. */
  public CompletionStage<Void> requireProducts(String clientId, List<String> skus, String field) {
    return wharf.client(clientId, ClientCommand.newBuilder()
            .setCheckProducts(CheckProducts.newBuilder().addAllSkus(skus))
            .build())
        .thenApply(r -> {
          Rejected.unless(r, ClientReply::hasRejection, ClientReply::getRejection);
          if (r.getUnknownSkusCount() > 0) {
            throw Rejected.of(Rejections.UNKNOWN_SKU,
                "unknown SKU for client " + clientId + ": " + String.join(", ", r.getUnknownSkusList()), field);
          }
          return null;
        });
  }

  /**
   * Creates or replaces a client. Its code must be its own: the code's entity gives it to the
   * first client that asks and refuses it to every other (CONFLICT), before the client changes.
   */
  public CompletionStage<ClientReply> defineClient(String clientId, DefineClient definition) {
    return wharf.clientCode(definition.getCode(), ClientCodeCommand.newBuilder()
            .setClaim(ClientCodeClaimed.newBuilder().setClientId(clientId)).build())
        .thenApply(r -> Rejected.unless(r, ClientCodeReply::hasRejection, ClientCodeReply::getRejection))
        .thenCompose(claimed -> wharf.client(clientId, ClientCommand.newBuilder().setDefine(definition).build()))
        .thenApply(r -> Rejected.unless(r, ClientReply::hasRejection, ClientReply::getRejection));
  }

  public CompletionStage<StoreReply> defineStore(String storeId, StoreDefined config) {
    return requireClient(config.getClientId(), "clientId")
        .thenCompose(c -> requireWarehouse(config.getDefaultWarehouseId(), "defaultWarehouseId"))
        .thenCompose(w -> wharf.store(storeId, StoreCommand.newBuilder()
            .setDefine(DefineStore.newBuilder().setConfig(config))
            .build()))
        .thenApply(r -> Rejected.unless(r, StoreReply::hasRejection, StoreReply::getRejection));
  }

  public CompletionStage<StoreReply> setMapping(String storeId, String platformSku, List<Line> components) {
    return wharf.store(storeId, StoreCommand.newBuilder().setGet(GetStore.getDefaultInstance()).build())
        .thenApply(r -> Rejected.unless(r, StoreReply::hasRejection, StoreReply::getRejection))
        .thenCompose(store -> requireProducts(store.getStore().getConfig().getClientId(),
            components.stream().map(Line::getSku).toList(), "components"))
        .thenCompose(ok -> wharf.store(storeId, StoreCommand.newBuilder()
            .setSetMapping(SetSkuMapping.newBuilder().setPlatformSku(platformSku).addAllComponents(components))
            .build()))
        .thenApply(r -> Rejected.unless(r, StoreReply::hasRejection, StoreReply::getRejection));
  }
}
