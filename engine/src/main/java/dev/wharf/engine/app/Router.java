package dev.wharf.engine.app;

import dev.wharf.engine.domain.WarehouseCoverage;
import dev.wharf.engine.domain.WarehouseRouting;
import dev.wharf.proto.GetStock;
import dev.wharf.proto.Line;
import dev.wharf.proto.ListWarehouses;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.Routing;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.WarehouseDirectoryCommand;
import dev.wharf.proto.WarehouseView;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Chooses an order's warehouse before review: the rules are plain Java (WarehouseRouting); this
 * gathers what they need without blocking: the warehouses' coverage, and for each warehouse
 * that could serve the address whether it has every line in stock right now.
 */
final class Router {
  private static final SkuStockCommand GET_STOCK = SkuStockCommand.newBuilder().setGet(GetStock.getDefaultInstance()).build();
  private final Wharf wharf;

  Router(Wharf wharf) {
    this.wharf = wharf;
  }

  CompletionStage<Routing> route(String manualWarehouseId, String storeDefaultWarehouseId, String clientId,
                                 Recipient recipient, List<Line> lines) {
    return wharf.warehouseDirectory(WarehouseDirectoryCommand.newBuilder().setList(ListWarehouses.getDefaultInstance()).build())
        .thenCompose(directory -> {
          List<WarehouseRouting.Warehouse> warehouses = directory.getWarehousesList().stream().map(Router::toRouting).toList();
          Set<String> candidates = new LinkedHashSet<>();
          for (WarehouseRouting.Warehouse w : warehouses) {
            if (w.coverage().stream().anyMatch(c -> c.longestMatch(recipient.getCountry(), recipient.getPostalCode()).isPresent())) {
              candidates.add(w.id());
            }
          }
          if (!storeDefaultWarehouseId.isEmpty()) {
            candidates.add(storeDefaultWarehouseId);
          }
          if (!manualWarehouseId.isEmpty()) {
            candidates.clear(); // a choice by hand is not second-guessed
          }
          Map<String, CompletableFuture<Boolean>> supply = new HashMap<>();
          candidates.forEach(id -> supply.put(id, canSupply(id, clientId, lines)));
          return CompletableFuture.allOf(supply.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            WarehouseRouting.RoutingDecision decision = WarehouseRouting.route(warehouses, recipient.getCountry(),
                recipient.getPostalCode(), manualWarehouseId, storeDefaultWarehouseId,
                id -> supply.containsKey(id) && supply.get(id).join());
            return Routing.newBuilder()
                .setWarehouseId(decision.warehouseId() == null ? "" : decision.warehouseId())
                .setRule(decision.rule().name())
                .addAllReasons(decision.reasons())
                .build();
          });
        });
  }

  private CompletableFuture<Boolean> canSupply(String warehouseId, String clientId, List<Line> lines) {
    List<CompletableFuture<Boolean>> each = lines.stream()
        .map(line -> wharf.stock(warehouseId, clientId, line.getSku(), GET_STOCK)
            .thenApply(r -> !r.hasRejection() && r.getLevel().getAvailable() >= line.getQty())
            .toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().allMatch(CompletableFuture::join));
  }

  private static WarehouseRouting.Warehouse toRouting(WarehouseView w) {
    return new WarehouseRouting.Warehouse(w.getWarehouseId(), w.getPriority(), w.getCoverageList().stream()
        .map(c -> new WarehouseCoverage(c.getCountry(), c.getPostalPrefixesList()))
        .toList());
  }
}
