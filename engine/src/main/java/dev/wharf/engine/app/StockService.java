package dev.wharf.engine.app;

import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.ReceiptLines;
import dev.wharf.proto.GetProduct;
import dev.wharf.proto.GetReceipt;
import dev.wharf.proto.GetStock;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.Line;
import dev.wharf.proto.Money;
import dev.wharf.proto.ReceiptBooked;
import dev.wharf.proto.ReceiptCommand;
import dev.wharf.proto.ReceiptCompleted;
import dev.wharf.proto.ReceiptFeeDecided;
import dev.wharf.proto.ReceiptReply;
import dev.wharf.proto.ReceiveStock;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StockLevel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

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

  private static final SkuStockCommand GET_STOCK = SkuStockCommand.newBuilder().setGet(GetStock.getDefaultInstance()).build();

  public record ReceivedLine(String sku, long qty, StockLevel level) {}

  /** What a receipt did: each SKU's stock, and the inbound fee charged to the client. */
  public record Receipt(List<ReceivedLine> lines, Money inboundFee) {}

  /**
   * Receives goods. The receipt's own entity fixes what its reference stands for first: the same
   * reference with other lines is refused (CONFLICT) before any stock moves. It then records the
   * fee, decided once (a fee the account cannot take is refused here, still before any stock
   * moves). Each SKU's stock applies the reference once and the recorded fee is charged once, so a
   * retried receipt, even one that half-failed before, changes nothing twice and charges what its
   * first try decided; a finished one answers without touching the stock.
   */
  public CompletionStage<Receipt> receive(String warehouseId, String clientId, String reference, List<Line> lines) {
    List<Line> merged = ReceiptLines.merged(lines);
    String receiptId = Identifiers.receiptEntityId(warehouseId, clientId, reference);
    return catalog.requireWarehouse(warehouseId, null)
        .thenCompose(w -> catalog.requireClient(clientId, "clientId"))
        .thenCompose(c -> catalog.requireProducts(clientId, merged.stream().map(Line::getSku).toList(), "lines"))
        .thenCompose(ok -> receiptCommand(receiptId, ReceiptCommand.newBuilder().setGet(GetReceipt.getDefaultInstance()).build()))
        // a first try: a fee the account cannot take is refused before the reference is booked,
        // so a corrected receipt may use it (a retry of a booked one goes on with what it recorded)
        .thenCompose(before -> before.hasReceipt()
            ? CompletableFuture.completedFuture(null)
            : billing.decideInboundFee(clientId, units(merged)))
        .thenCompose(feeCheck -> receiptCommand(receiptId, ReceiptCommand.newBuilder()
            .setBook(ReceiptBooked.newBuilder().setReference(reference).addAllLines(merged)).build()))
        .thenCompose(booked -> {
          if (booked.getCompleted()) {
            return levels(warehouseId, clientId, merged, l -> GET_STOCK)
                .thenApply(received -> new Receipt(received, booked.getInboundFee()));
          }
          List<Line> bookedLines = booked.getReceipt().getLinesList();
          return feeOf(booked, clientId, receiptId, bookedLines)
              .thenCompose(fee -> applyAndCharge(warehouseId, clientId, reference, receiptId, bookedLines, fee));
        });
  }

  private CompletionStage<ReceiptFeeDecided> feeOf(ReceiptReply booked, String clientId, String receiptId,
                                                   List<Line> lines) {
    if (!booked.hasFee()) {
      return decideAndRecord(clientId, receiptId, lines, false);
    }
    ReceiptFeeDecided recorded = booked.getFee();
    if (recorded.getInboundFee().getAmount() == 0) {
      return CompletableFuture.completedFuture(recorded);
    }
    // a retry: the account may have moved to another currency since (it can while it has no
    // entries, so this fee was never charged), and would refuse this fee after the stock moved
    return billing.account(clientId).thenCompose(account ->
        account.getAccount().getCurrency().equals(recorded.getInboundFee().getCurrency())
            ? CompletableFuture.completedFuture(recorded)
            : decideAndRecord(clientId, receiptId, lines, true));
  }

  private CompletionStage<ReceiptFeeDecided> decideAndRecord(String clientId, String receiptId, List<Line> lines,
                                                             boolean replaces) {
    return billing.decideInboundFee(clientId, units(lines))
        .thenCompose(decided -> receiptCommand(receiptId, ReceiptCommand.newBuilder()
            .setDecideFee(decided.toBuilder().setReplaces(replaces)).build()))
        .thenApply(ReceiptReply::getFee);
  }

  private CompletionStage<Receipt> applyAndCharge(String warehouseId, String clientId, String reference, String receiptId,
                                                  List<Line> lines, ReceiptFeeDecided fee) {
    return levels(warehouseId, clientId, lines, l -> SkuStockCommand.newBuilder()
            .setReceive(ReceiveStock.newBuilder().setReceiptRef(reference).setQty(l.getQty())).build())
        .thenCompose(received -> billing.chargeInboundFee(warehouseId, clientId, reference, units(lines), fee)
            .thenCompose(charged -> receiptCommand(receiptId, ReceiptCommand.newBuilder()
                .setComplete(ReceiptCompleted.newBuilder().setInboundFee(fee.getInboundFee())).build()))
            .thenApply(done -> new Receipt(received, done.getInboundFee())));
  }

  private static long units(List<Line> lines) {
    return lines.stream().mapToLong(Line::getQty).reduce(0, Math::addExact);
  }

  /** Each line's SKU answers its command (all at once); its level comes back with the line's qty. */
  private CompletionStage<List<ReceivedLine>> levels(String warehouseId, String clientId, List<Line> lines,
                                                     Function<Line, SkuStockCommand> command) {
    List<CompletableFuture<ReceivedLine>> each = lines.stream()
        .map(l -> wharf.stock(warehouseId, clientId, l.getSku(), command.apply(l))
            .thenApply(r -> Rejected.unless(r, SkuStockReply::hasRejection, SkuStockReply::getRejection))
            .thenApply(r -> new ReceivedLine(l.getSku(), l.getQty(), r.getLevel()))
            .toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
  }

  private CompletionStage<ReceiptReply> receiptCommand(String receiptId, ReceiptCommand command) {
    return wharf.receipt(receiptId, command).thenApply(r -> Rejected.unless(r, ReceiptReply::hasRejection, ReceiptReply::getRejection));
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
