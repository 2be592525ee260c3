package dev.wharf.engine.domain;

import com.google.protobuf.Message;
import dev.wharf.proto.Line;
import dev.wharf.proto.Money;
import dev.wharf.proto.OrderAllocated;
import dev.wharf.proto.OrderCancelled;
import dev.wharf.proto.OrderFrozen;
import dev.wharf.proto.OrderIngested;
import dev.wharf.proto.OrderIngestedForReview;
import dev.wharf.proto.OrderIngestedShort;
import dev.wharf.proto.OrderLinesMapped;
import dev.wharf.proto.OrderPacked;
import dev.wharf.proto.OrderReleased;
import dev.wharf.proto.OrderRouted;
import dev.wharf.proto.OrderUnpacked;
import dev.wharf.proto.OrderWarehouseChosen;
import dev.wharf.proto.Routing;
import dev.wharf.proto.OrderReviewFailed;
import dev.wharf.proto.OrderReviewStarted;
import dev.wharf.proto.OrderShipped;
import dev.wharf.proto.OrderSnapshot;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderStockSettled;
import dev.wharf.proto.OrderUnfrozen;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.OrderVoided;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.StockSaga;
import java.util.List;

/**
 * Everything an order knows, rebuilt from its events. {@link #saga} says what the order still
 * owes the SkuStock entities (reserve, release or commit); it is set by the event that opens the
 * step and cleared by the one that closes it, so a restarted order knows what to resume.
 */
public final class OrderState {
  private OrderIngested ingested; // null until the order exists
  private List<Line> lines = List.of();
  private List<String> unmappedSkus = List.of();
  private OrderStatus status = OrderStatus.ORDER_STATUS_UNSPECIFIED;
  private OrderStatus statusBeforeFreeze = OrderStatus.ORDER_STATUS_UNSPECIFIED;
  private StockSaga saga = StockSaga.STOCK_SAGA_NONE;
  // the last saga event read as opening a step: saga recovery wakes the order while this holds
  private boolean sagaEventOpen;
  private ReviewFailure reviewFailure;
  private String carrier = "";
  private String trackingNo = "";
  // true from the start of a review until its reservations are released or committed
  private boolean holdsReservations;
  private Money outboundFee; // held at review (null: none)
  private String feeGroupId = "";
  private int feeRuleVersion;
  private OrderCancelled cancellation; // null unless cancelled
  private Routing routing; // the review's warehouse decision, null before review
  private String manualWarehouseId = "";
  private String packageId = "";
  private boolean autoRelease;
  private long chargeEntryNo; // the client account's ledger entry that charged the fee or the penalty

  public boolean exists() {
    return ingested != null;
  }

  public OrderStatus status() {
    return status;
  }

  /**
   * No step is open, yet the last saga event is one recovery reads as opening one (a void or a
   * cancel with nothing to release, an unfreeze): a closing event would stop recovery waking it.
   */
  public boolean needsClosingEvent() {
    return sagaEventOpen && saga == StockSaga.STOCK_SAGA_NONE;
  }

  public StockSaga saga() {
    return saga;
  }

  public List<Line> lines() {
    return lines;
  }

  public List<String> unmappedSkus() {
    return unmappedSkus;
  }

  public boolean holdsReservations() {
    return holdsReservations;
  }

  /** The outbound fee held for this order, or zero. */
  public long outboundFeeAmount() {
    return outboundFee == null ? 0 : outboundFee.getAmount();
  }

  public OrderCancelled cancellation() {
    return cancellation;
  }

  public String trackingNo() {
    return trackingNo;
  }

  public String carrier() {
    return carrier;
  }

  public OrderIngested ingested() {
    return ingested;
  }

  /** The routed warehouse once review chose one, else the store's default from ingest. */
  public String warehouseId() {
    return routing != null && !routing.getWarehouseId().isEmpty() ? routing.getWarehouseId() : ingested.getWarehouseId();
  }

  public String manualWarehouseId() {
    return manualWarehouseId;
  }

  public String packageId() {
    return packageId;
  }

  public boolean autoRelease() {
    return autoRelease;
  }

  public String clientId() {
    return ingested.getClientId();
  }

  public OrderState apply(Message event) {
    String name = event.getDescriptorForType().getFullName();
    if (SAGA_OPENERS.contains(name)) {
      sagaEventOpen = true;
    } else if (SAGA_CLOSERS.contains(name)) {
      sagaEventOpen = false;
    }
    if (event instanceof OrderIngested e) {
      ingested = e;
      lines = List.copyOf(e.getLinesList());
      unmappedSkus = List.copyOf(e.getUnmappedSkusList());
      status = OrderStatus.PENDING;
    } else if (event instanceof OrderIngestedForReview e) {
      apply(e.getIngested());
      apply(OrderRouted.newBuilder().setRouting(e.getRouting()).build());
      apply(OrderReviewStarted.newBuilder().setAutoRelease(e.getAutoRelease()).build());
    } else if (event instanceof OrderIngestedShort e) {
      apply(e.getIngested());
      apply(OrderRouted.newBuilder().setRouting(e.getRouting()).build());
      apply(OrderReviewFailed.newBuilder().setFailure(e.getFailure()).build());
    } else if (event instanceof OrderLinesMapped e) {
      lines = List.copyOf(e.getLinesList());
      unmappedSkus = List.of();
    } else if (event instanceof OrderRouted e) {
      routing = e.getRouting();
    } else if (event instanceof OrderWarehouseChosen e) {
      manualWarehouseId = e.getWarehouseId();
    } else if (event instanceof OrderReleased) {
      status = OrderStatus.RELEASED;
      saga = StockSaga.STOCK_SAGA_JOIN;
    } else if (event instanceof OrderPacked e) {
      status = OrderStatus.PACKED;
      packageId = e.getPackageId();
    } else if (event instanceof OrderUnpacked) {
      // the merge group has it waiting again; joining once more (answered at once) registers the
      // group with its warehouse's packing index, which may have dropped it since the build
      status = OrderStatus.RELEASED;
      packageId = "";
      saga = StockSaga.STOCK_SAGA_JOIN;
    } else if (event instanceof OrderReviewStarted e) {
      autoRelease = e.getAutoRelease();
      status = OrderStatus.REVIEWING;
      saga = StockSaga.STOCK_SAGA_RESERVE;
      reviewFailure = null;
      holdsReservations = true;
    } else if (event instanceof OrderAllocated e) {
      status = OrderStatus.ALLOCATED;
      saga = StockSaga.STOCK_SAGA_NONE;
      outboundFee = e.hasOutboundFee() ? e.getOutboundFee() : null;
      feeGroupId = e.getFeeGroupId();
      feeRuleVersion = e.getFeeRuleVersion();
    } else if (event instanceof OrderReviewFailed e) {
      // the saga released what it had reserved before this event was persisted
      status = OrderStatus.REVIEW_FAILED;
      reviewFailure = e.getFailure();
      saga = StockSaga.STOCK_SAGA_NONE;
      holdsReservations = false;
    } else if (event instanceof OrderFrozen) {
      statusBeforeFreeze = status;
      status = OrderStatus.FROZEN;
    } else if (event instanceof OrderUnfrozen) {
      status = statusBeforeFreeze;
      statusBeforeFreeze = OrderStatus.ORDER_STATUS_UNSPECIFIED;
      if (status == OrderStatus.RELEASED) {
        saga = StockSaga.STOCK_SAGA_JOIN; // a build dropped it while frozen: wait in the group again
      }
    } else if (event instanceof OrderVoided) {
      status = OrderStatus.VOID;
      saga = holdsReservations ? StockSaga.STOCK_SAGA_RELEASE : StockSaga.STOCK_SAGA_NONE;
    } else if (event instanceof OrderCancelled e) {
      status = OrderStatus.CANCELLED;
      cancellation = e;
      boolean penalty = e.hasPenalty() && e.getPenalty().getAmount() > 0;
      saga = holdsReservations || outboundFeeAmount() > 0 || penalty ? StockSaga.STOCK_SAGA_RELEASE : StockSaga.STOCK_SAGA_NONE;
    } else if (event instanceof OrderShipped e) {
      status = OrderStatus.SHIPPED;
      carrier = e.getCarrier();
      trackingNo = e.getTrackingNo();
      saga = StockSaga.STOCK_SAGA_COMMIT;
    } else if (event instanceof OrderStockSettled e) {
      if (e.getChargeEntryNo() > 0) {
        chargeEntryNo = e.getChargeEntryNo();
      }
      // releasing or committing ends the reservations; joining a merge group keeps them
      if (saga == StockSaga.STOCK_SAGA_RELEASE || saga == StockSaga.STOCK_SAGA_COMMIT) {
        holdsReservations = false;
      }
      saga = StockSaga.STOCK_SAGA_NONE;
    } else {
      throw new IllegalArgumentException("not an order event: " + event.getClass());
    }
    return this;
  }

  /** Protobuf names of the events that open a saga step, and of those that close one. */
  public static final java.util.Set<String> SAGA_OPENERS = java.util.Set.of(
      OrderReviewStarted.getDescriptor().getFullName(), OrderIngestedForReview.getDescriptor().getFullName(),
      OrderVoided.getDescriptor().getFullName(),
      OrderShipped.getDescriptor().getFullName(), OrderCancelled.getDescriptor().getFullName(),
      OrderReleased.getDescriptor().getFullName(), OrderUnfrozen.getDescriptor().getFullName(),
      OrderUnpacked.getDescriptor().getFullName());
  public static final java.util.Set<String> SAGA_CLOSERS = java.util.Set.of(
      OrderAllocated.getDescriptor().getFullName(), OrderReviewFailed.getDescriptor().getFullName(),
      OrderStockSettled.getDescriptor().getFullName());

  /** Events that open a stock saga step or close one; a restarted node looks for open ones. */
  public static boolean opensSaga(Message event) {
    return SAGA_OPENERS.contains(event.getDescriptorForType().getFullName());
  }

  public static boolean closesSaga(Message event) {
    return SAGA_CLOSERS.contains(event.getDescriptorForType().getFullName());
  }

  public OrderView view() {
    OrderView.Builder v = OrderView.newBuilder()
        .setOrderId(ingested.getOrderId())
        .setOrderNo(ingested.getOrderNo())
        .setStoreId(ingested.getStoreId())
        .setClientId(ingested.getClientId())
        .setPlatformOrderNo(ingested.getPlatformOrderNo())
        .setStatus(status)
        .setStatusBeforeFreeze(statusBeforeFreeze)
        .setWarehouseId(warehouseId())
        .setManualWarehouseId(manualWarehouseId)
        .setPackageId(packageId)
        .setChargeEntryNo(chargeEntryNo)
        .addAllLines(lines)
        .addAllPlatformLines(ingested.getPlatformLinesList())
        .addAllUnmappedSkus(unmappedSkus)
        .setRecipient(ingested.getRecipient())
        .setShippingMethod(ingested.getShippingMethod())
        .setCarrier(carrier)
        .setTrackingNo(trackingNo)
        .setIngestedAtMillis(ingested.getIngestedAtMillis());
    if (reviewFailure != null) {
      v.setReviewFailure(reviewFailure);
    }
    if (outboundFee != null) {
      v.setOutboundFee(outboundFee).setFeeGroupId(feeGroupId).setFeeRuleVersion(feeRuleVersion);
    }
    if (cancellation != null) {
      v.setCancellation(cancellation);
    }
    if (routing != null) {
      v.setRouting(routing);
    }
    return v.build();
  }

  public OrderSnapshot toSnapshot() {
    OrderSnapshot.Builder s = OrderSnapshot.newBuilder()
        .addAllLines(lines)
        .addAllUnmappedSkus(unmappedSkus)
        .setStatus(status)
        .setStatusBeforeFreeze(statusBeforeFreeze)
        .setSaga(saga)
        .setCarrier(carrier)
        .setTrackingNo(trackingNo)
        .setHoldsReservations(holdsReservations);
    if (ingested != null) {
      s.setIngested(ingested);
    }
    if (reviewFailure != null) {
      s.setReviewFailure(reviewFailure);
    }
    if (outboundFee != null) {
      s.setOutboundFee(outboundFee);
    }
    s.setFeeGroupId(feeGroupId).setFeeRuleVersion(feeRuleVersion);
    if (cancellation != null) {
      s.setCancellation(cancellation);
    }
    if (routing != null) {
      s.setRouting(routing);
    }
    s.setManualWarehouseId(manualWarehouseId).setPackageId(packageId).setAutoRelease(autoRelease)
        .setChargeEntryNo(chargeEntryNo).setSagaEventOpen(sagaEventOpen);
    return s.build();
  }

  public static OrderState fromSnapshot(OrderSnapshot s) {
    OrderState state = new OrderState();
    state.ingested = s.hasIngested() ? s.getIngested() : null;
    state.lines = List.copyOf(s.getLinesList());
    state.unmappedSkus = List.copyOf(s.getUnmappedSkusList());
    state.status = s.getStatus();
    state.statusBeforeFreeze = s.getStatusBeforeFreeze();
    state.saga = s.getSaga();
    state.reviewFailure = s.hasReviewFailure() ? s.getReviewFailure() : null;
    state.carrier = s.getCarrier();
    state.trackingNo = s.getTrackingNo();
    state.holdsReservations = s.getHoldsReservations();
    state.outboundFee = s.hasOutboundFee() ? s.getOutboundFee() : null;
    state.feeGroupId = s.getFeeGroupId();
    state.feeRuleVersion = s.getFeeRuleVersion();
    state.cancellation = s.hasCancellation() ? s.getCancellation() : null;
    state.routing = s.hasRouting() ? s.getRouting() : null;
    state.manualWarehouseId = s.getManualWarehouseId();
    state.packageId = s.getPackageId();
    state.autoRelease = s.getAutoRelease();
    state.chargeEntryNo = s.getChargeEntryNo();
    state.sagaEventOpen = s.getSagaEventOpen();
    return state;
  }
}
