package dev.wharf.engine.app;

import dev.wharf.engine.domain.OrderIds;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.domain.SkuMapper;
import dev.wharf.engine.entity.OrderViewCache;
import dev.wharf.engine.metrics.WharfMetrics;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.GetOrder;
import dev.wharf.proto.IngestOrder;
import dev.wharf.proto.Line;
import dev.wharf.proto.Routing;
import dev.wharf.proto.NextOrderNo;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderIngested;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.PlatformLine;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.ResolveSkus;
import dev.wharf.proto.ShipOrder;
import dev.wharf.proto.ReviewOrder;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreReply;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Order use cases that span entities: ingest (store mapping, order number, dedup) and review
 * (re-mapping an order whose SKUs were unmapped at ingest). Single-entity commands go straight
 * to the Order entity.
 */
public final class OrderService {
  /** Preparations of one review request, when the order changes under them (then 409 CONFLICT). */
  private static final int REVIEW_ATTEMPTS = 3;

  private final Wharf wharf;
  private final Clock clock;
  private final Router router;

  public OrderService(Wharf wharf, Clock clock) {
    this.wharf = wharf;
    this.clock = clock;
    this.router = new Router(wharf);
  }

  public record NewOrder(
      String storeId, String platformOrderNo, List<PlatformLine> lines, Recipient recipient, String shippingMethod) {}

  /**
   * Ingests a platform order. A re-sent order lands on the same entity (its id is derived from
   * store + platform order no.) and comes back unchanged with created = false.
   *
   * <p>Only the node-local view cache is consulted before the work: asking the entity first
   * would cost every new order one more round trip. A re-sent order that is not cached takes an
   * order number it will not use (numbers may have gaps anyway) and is answered by its entity.
   */
  public CompletionStage<OrderReply> ingest(NewOrder order) {
    String orderId = OrderIds.orderId(order.storeId(), order.platformOrderNo());
    var cached = wharf.orderViews().get(orderId);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(OrderReply.newBuilder().setOrder(cached.get()).build());
    }
    return wharf.store(order.storeId(), StoreCommand.newBuilder()
            .setResolve(ResolveSkus.newBuilder().addAllLines(order.lines()))
            .build())
        .thenCompose(store -> {
          // a store is never removed, so one that is refused (not found) never had an order to answer with
          Rejected.unless(store, StoreReply::hasRejection, StoreReply::getRejection);
          return nextOrderNo(store.getStore().getConfig().getClientId())
              .thenCompose(orderNo -> create(orderId, orderNo, order, store));
        });
  }

  private CompletionStage<String> nextOrderNo(String clientId) {
    String day = OrderIds.day(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    return wharf.client(clientId, ClientCommand.newBuilder().setNextOrderNo(NextOrderNo.newBuilder().setDay(day)).build())
        .thenApply(r -> Rejected.unless(r, ClientReply::hasRejection, ClientReply::getRejection).getOrderNo());
  }

  private CompletionStage<OrderReply> create(String orderId, String orderNo, NewOrder order, StoreReply store) {
    var config = store.getStore().getConfig();
    if (config.getAutoReview() && store.getUnmappedCount() == 0) {
      // the automatic review's warehouse is chosen now, so ingest and review start in one write
      return router.routeWithSupply("", config.getDefaultWarehouseId(), config.getClientId(), order.recipient(),
              store.getResolvedList())
          .thenCompose(routed -> create(orderId, orderNo, order, store, routed.routing(),
              routed.shortAtRouting(store.getResolvedList()).orElse(null)));
    }
    return create(orderId, orderNo, order, store, null, null);
  }

  /**
   * {@code shortAtRouting}: routing has just read that the chosen warehouse cannot supply the order,
   * so its automatic review fails at ingest without reserving anything (decision 0013). The read is
   * as good as a refused reservation a moment later: stock freed in between is a race either way.
   */
  private CompletionStage<OrderReply> create(String orderId, String orderNo, NewOrder order, StoreReply store,
                                             Routing routing, ReviewFailure shortAtRouting) {
    var config = store.getStore().getConfig();
    OrderIngested.Builder ingested = OrderIngested.newBuilder()
        .setOrderId(orderId)
        .setOrderNo(orderNo)
        .setStoreId(order.storeId())
        .setClientId(config.getClientId())
        .setPlatformOrderNo(order.platformOrderNo())
        .setWarehouseId(config.getDefaultWarehouseId())
        .addAllPlatformLines(order.lines())
        .addAllLines(store.getResolvedList())
        .addAllUnmappedSkus(store.getUnmappedList())
        .setRecipient(order.recipient())
        .setShippingMethod(order.shippingMethod())
        .setIngestedAtMillis(clock.millis());
    IngestOrder.Builder ingest = IngestOrder.newBuilder().setOrder(ingested).setAutoReview(config.getAutoReview())
        .setAutoRelease(config.getAutoRelease());
    if (routing != null) {
      ingest.setRouting(routing);
    }
    if (shortAtRouting != null) {
      ingest.setShortAtRouting(shortAtRouting);
    }
    return wharf.order(orderId, OrderCommand.newBuilder().setIngest(ingest).build());
  }

  /** An order's current view: from the view cache when its entity published one, else asked. */
  public CompletionStage<OrderReply> get(String orderId) {
    var published = published(orderId);
    if (published.isPresent()) {
      return CompletableFuture.completedFuture(OrderReply.newBuilder().setOrder(published.get().view()).build());
    }
    return askView(orderId);
  }

  /** The view the order's entity published on this node, if the cache has it (a hit or a miss is counted). */
  public Optional<OrderViewCache.Published> published(String orderId) {
    var published = wharf.orderViews().published(orderId);
    if (wharf.orderViews().enabled()) {
      WharfMetrics.orderViewRead(published.isPresent());
    }
    return published;
  }

  /**
   * The published view when there is one and {@code usable} accepts it, counted as a hit; nothing
   * is counted otherwise, for a caller that then reads through {@link #published} (which counts).
   */
  public Optional<OrderViewCache.Published> publishedIf(String orderId, Predicate<OrderView> usable) {
    var published = wharf.orderViews().published(orderId).filter(p -> usable.test(p.view()));
    published.ifPresent(p -> WharfMetrics.orderViewRead(true));
    return published;
  }

  /**
   * Ships a lone ALLOCATED order under a carrier's tracking no., once the number is the order's own
   * (TrackingNumbers). A number already held by the package this order shipped in, with this
   * order's carrier and number, answers the shipped order: that ship was done, not refused.
   */
  public CompletionStage<OrderReply> ship(String orderId, String carrier, String trackingNo) {
    OrderCommand ship = OrderCommand.newBuilder()
        .setShip(ShipOrder.newBuilder().setCarrier(carrier).setTrackingNo(trackingNo)).build();
    return TrackingNumbers.shipUnder(wharf, carrier, trackingNo, TrackingNumbers.orderHolder(orderId),
            () -> wharf.order(orderId, ship), OrderReply::hasRejection)
        .exceptionallyCompose(failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (!(cause instanceof Rejected refused) || !refused.rejection().getCode().equals(Rejections.TRACKING_NO_IN_USE)) {
            return CompletableFuture.failedFuture(cause);
          }
          return askView(orderId).thenApply(current -> {
            OrderView o = current.getOrder();
            if (o.getStatus() == OrderStatus.SHIPPED && o.getCarrier().equals(carrier) && o.getTrackingNo().equals(trackingNo)) {
              return current;
            }
            throw refused;
          });
        });
  }

  /** Asks the order's entity for its view (where {@link #published} had none). */
  public CompletionStage<OrderReply> askView(String orderId) {
    return wharf.order(orderId, OrderCommand.newBuilder().setGet(GetOrder.getDefaultInstance()).build());
  }

  /**
   * Reviews an order; answers once the review has finished (ALLOCATED or REVIEW_FAILED). The
   * warehouse is chosen first (by hand, coverage, stock, store default); an order whose SKUs were
   * unmapped at ingest is mapped again with the store's current mappings.
   */
  public CompletionStage<OrderReply> review(String orderId) {
    return review(orderId, REVIEW_ATTEMPTS);
  }

  /** A review prepared on an order that changed meanwhile is refused (CONFLICT) and prepared again. */
  private CompletionStage<OrderReply> review(String orderId, int attemptsLeft) {
    return prepareAndReview(orderId).thenCompose(reply -> attemptsLeft > 1 && reply.hasRejection()
            && reply.getRejection().getCode().equals(Rejections.CONFLICT)
        ? review(orderId, attemptsLeft - 1)
        : CompletableFuture.completedFuture(reply));
  }

  private CompletionStage<OrderReply> prepareAndReview(String orderId) {
    // from the order itself, not the view cache: only its answer carries the sequence number the
    // review is checked against
    return askView(orderId)
        .thenApply(r -> Rejected.unless(r, OrderReply::hasRejection, OrderReply::getRejection))
        .thenCompose(current -> {
          OrderView view = current.getOrder();
          boolean reviewable = view.getStatus() == OrderStatus.PENDING || view.getStatus() == OrderStatus.REVIEW_FAILED;
          if (!reviewable) {
            // the entity answers as the state requires (and starts nothing if it changed meanwhile)
            return send(orderId, ReviewOrder.newBuilder().setAnswerOnly(true).build());
          }
          // only the platform SKUs unmapped at ingest are mapped now: lines already mapped stay as
          // they were, whatever their mappings became since
          List<PlatformLine> unmapped = view.getPlatformLinesList().stream()
              .filter(pl -> view.getUnmappedSkusList().contains(pl.getPlatformSku())).toList();
          return wharf.store(view.getStoreId(), StoreCommand.newBuilder()
                  .setResolve(ResolveSkus.newBuilder().addAllLines(unmapped))
                  .build())
              .thenApply(r -> Rejected.unless(r, StoreReply::hasRejection, StoreReply::getRejection))
              .thenCompose(store -> {
                ReviewOrder.Builder review = ReviewOrder.newBuilder()
                    .setAutoRelease(store.getStore().getConfig().getAutoRelease())
                    .setPreparedAtSequenceNr(current.getSequenceNr());
                List<Line> lines = view.getLinesList();
                if (view.getUnmappedSkusCount() > 0) {
                  if (store.getUnmappedCount() > 0) {
                    throw Rejected.of(Rejections.UNMAPPED_SKU,
                        "no SKU mapping for platform SKU " + String.join(", ", store.getUnmappedList()), "lines");
                  }
                  lines = SkuMapper.merged(view.getLinesList(), store.getResolvedList());
                  review.setRemapped(true).addAllRemappedLines(lines);
                }
                return router.route(view.getManualWarehouseId(), store.getStore().getConfig().getDefaultWarehouseId(),
                        view.getClientId(), view.getRecipient(), lines)
                    .thenCompose(routing -> send(orderId, review.setRouting(routing).build()));
              });
        });
  }

  private CompletionStage<OrderReply> send(String orderId, ReviewOrder review) {
    return wharf.order(orderId, OrderCommand.newBuilder().setReview(review).build());
  }
}
