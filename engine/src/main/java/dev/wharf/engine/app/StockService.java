package dev.wharf.engine.app;

import dev.wharf.proto.GetProduct;
import dev.wharf.proto.GetStock;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.Line;
import dev.wharf.proto.Money;
import dev.wharf.proto.ReceiveStock;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StockLevel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Stock receipts and stock queries, after checking warehouse, client and products exist. */
public final class StockService {
  private final Wharf wharf;
  private final CatalogService catalog;

  private final BillingService billing;

  public StockService(Wharf wharf, CatalogService catalog, BillingService billing) {
    this.wharf = wharf;
    this.catalog = catalog;
    this.billing = billing;
  }

  public record ReceivedLine(String sku, long qty, StockLevel level) {}

  /** What a receipt did: each SKU's stock, and the inbound fee charged to the client. */
  public record Receipt(List<ReceivedLine> lines, Money inboundFee) {}

  /**
   * Receives goods. Each SKU's stock applies the receipt at most once (by its reference), so a
   * retried receipt, even one that half-failed before, changes nothing twice.
   */
  public CompletionStage<Receipt> receive(String warehouseId, String clientId, String reference, List<Line> lines) {
    Map<String, Long> qtyBySku = new LinkedHashMap<>();
    lines.forEach(l -> qtyBySku.merge(l.getSku(), l.getQty(), Math::addExact));
    return catalog.requireWarehouse(warehouseId, null)
        .thenCompose(w -> catalog.requireClient(clientId, "clientId"))
        .thenCompose(c -> catalog.requireProducts(clientId, List.copyOf(qtyBySku.keySet()), "lines"))
        .thenCompose(ok -> {
          List<CompletableFuture<ReceivedLine>> each = qtyBySku.entrySet().stream()
              .map(e -> wharf.stock(warehouseId, clientId, e.getKey(), SkuStockCommand.newBuilder()
                      .setReceive(ReceiveStock.newBuilder().setReceiptRef(reference).setQty(e.getValue()))
                      .build())
                  .thenApply(r -> Rejected.unless(r, SkuStockReply::hasRejection, SkuStockReply::getRejection))
                  .thenApply(r -> new ReceivedLine(e.getKey(), e.getValue(), r.getLevel()))
                  .toCompletableFuture())
              .toList();
          long units = qtyBySku.values().stream().mapToLong(Long::longValue).sum();
          return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenCompose(v -> billing.chargeInboundFee(warehouseId, clientId, reference, units))
              .thenApply(fee -> new Receipt(each.stream().map(CompletableFuture::join).toList(), fee));
        });
  }

  public CompletionStage<StockLevel> level(String warehouseId, String clientId, String sku) {
    return catalog.requireWarehouse(warehouseId, null)
        .thenCompose(w -> wharf.client(clientId, ClientCommand.newBuilder()
            .setGetProduct(GetProduct.newBuilder().setSku(sku)).build()))
        .thenApply(r -> Rejected.unless(r, ClientReply::hasRejection, ClientReply::getRejection))
        .thenCompose(p -> wharf.stock(warehouseId, clientId, sku,
            SkuStockCommand.newBuilder().setGet(GetStock.getDefaultInstance()).build()))
        .thenApply(r -> Rejected.unless(r, SkuStockReply::hasRejection, SkuStockReply::getRejection).getLevel());
  }
}
