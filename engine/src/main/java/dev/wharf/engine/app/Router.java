package dev.wharf.engine.app;

import dev.wharf.engine.domain.WarehouseCoverage;
import dev.wharf.engine.domain.WarehouseRouting;
import dev.wharf.proto.GetStock;
import dev.wharf.proto.Line;
import dev.wharf.proto.ListWarehouses;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.Shortage;
import dev.wharf.engine.domain.ReviewTally;
import java.util.Optional;
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

  /**
   * The routing decision and, when the supply of the chosen warehouse was read, the lines it was
   * short of (empty when it can supply every line or was not asked).
   */
  record Routed(Routing routing, List<Shortage> shortages) {
    /** The review's failure when the chosen warehouse was read to be short, formatted as the saga's. */
    Optional<ReviewFailure> shortAtRouting(List<Line> lines) {
      if (shortages.isEmpty() || routing.getWarehouseId().isEmpty()) {
        return Optional.empty();
      }
      ReviewTally tally = new ReviewTally(lines);
      lines.forEach(l -> tally.reserved(l.getSku()));
      shortages.forEach(s -> tally.refused(s.getSku(), s.getRequested(), s.getAvailable()));
      return Optional.of(tally.failure());
    }
  }

  CompletionStage<Routing> route(String manualWarehouseId, String storeDefaultWarehouseId, String clientId,
                                 Recipient recipient, List<Line> lines) {
    return routeWithSupply(manualWarehouseId, storeDefaultWarehouseId, clientId, recipient, lines)
        .thenApply(Routed::routing);
  }

  CompletionStage<Routed> routeWithSupply(String manualWarehouseId, String storeDefaultWarehouseId, String clientId,
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
          Map<String, CompletableFuture<List<Shortage>>> supply = new HashMap<>();
          candidates.forEach(id -> supply.put(id, shortages(id, clientId, lines)));
          return CompletableFuture.allOf(supply.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            WarehouseRouting.RoutingDecision decision = WarehouseRouting.route(warehouses, recipient.getCountry(),
                recipient.getPostalCode(), manualWarehouseId, storeDefaultWarehouseId,
                id -> supply.containsKey(id) && supply.get(id).join().isEmpty());
            Routing routing = Routing.newBuilder()
                .setWarehouseId(decision.warehouseId() == null ? "" : decision.warehouseId())
                .setRule(decision.rule().name())
                .addAllReasons(decision.reasons())
                .build();
            CompletableFuture<List<Shortage>> chosen = decision.warehouseId() == null ? null : supply.get(decision.warehouseId());
            return new Routed(routing, chosen == null ? List.of() : chosen.join());
          });
        });
  }

  /** The lines {@code warehouseId} cannot supply right now, with what it has available. */
  private CompletableFuture<List<Shortage>> shortages(String warehouseId, String clientId, List<Line> lines) {
    List<CompletableFuture<Shortage>> each = lines.stream()
        .map(line -> wharf.stock(warehouseId, clientId, line.getSku(), GET_STOCK)
            .thenApply(r -> {
              long available = r.hasRejection() ? 0 : r.getLevel().getAvailable();
              return available >= line.getQty() ? null
                  : Shortage.newBuilder().setSku(line.getSku()).setRequested(line.getQty()).setAvailable(available).build();
            })
            .toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList());
  }

  private static WarehouseRouting.Warehouse toRouting(WarehouseView w) {
    return new WarehouseRouting.Warehouse(w.getWarehouseId(), w.getPriority(), w.getCoverageList().stream()
        .map(c -> new WarehouseCoverage(c.getCountry(), c.getPostalPrefixesList()))
        .toList());
  }
}
