package dev.wharf.http.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.ClientView;
import dev.wharf.proto.Line;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.PlatformLine;
import dev.wharf.proto.Product;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.Shortage;
import dev.wharf.proto.SkuMapping;
import dev.wharf.proto.StockLevel;
import dev.wharf.proto.StoreView;
import dev.wharf.proto.WarehouseView;
import java.time.Instant;
import java.util.List;

/** Protobuf views to the JSON the API promises. Field names here are the public contract. */
public final class Views {
  private final ObjectMapper mapper;

  public Views(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectNode object() {
    return mapper.createObjectNode();
  }

  public ObjectNode money(long amount, String currency) {
    return object().put("amount", amount).put("currency", currency);
  }

  public ObjectNode money(dev.wharf.proto.Money m) {
    return money(m.getAmount(), m.getCurrency());
  }

  public ObjectNode account(dev.wharf.proto.AccountView a) {
    String c = a.getCurrency();
    ObjectNode n = object().put("clientId", a.getClientId());
    n.set("balance", money(a.getBalance(), c));
    n.set("creditLimit", money(a.getCreditLimit(), c));
    n.set("held", money(a.getHeld(), c));
    n.set("available", money(a.getAvailable(), c));
    if (a.getGroupId().isEmpty()) {
      n.putNull("groupId");
    } else {
      n.put("groupId", a.getGroupId());
    }
    return n;
  }

  public ObjectNode ledgerEntry(dev.wharf.proto.LedgerEntry e) {
    String c = e.getCurrency();
    ObjectNode n = object()
        .put("entryNo", e.getEntryNo())
        .put("at", Instant.ofEpochMilli(e.getAtMillis()).toString())
        .put("kind", e.getKind().name())
        .put("sourceId", e.getSourceId());
    n.set("amount", money(e.getBalanceDelta(), c));
    n.set("heldChange", money(e.getHeldDelta(), c));
    n.set("balanceAfter", money(e.getBalanceAfter(), c));
    n.set("heldAfter", money(e.getHeldAfter(), c));
    putOptional(n, "groupId", e.getGroupId());
    if (e.getRuleVersion() > 0) {
      n.put("ruleVersion", e.getRuleVersion());
    } else {
      n.putNull("ruleVersion");
    }
    putOptional(n, "note", e.getNote());
    return n;
  }

  public ObjectNode statement(dev.wharf.proto.Statement s) {
    String c = s.getCurrency();
    ObjectNode n = object()
        .put("statementNo", s.getStatementNo())
        .put("periodFrom", Instant.ofEpochMilli(s.getPeriodFromMillis()).toString())
        .put("periodTo", Instant.ofEpochMilli(s.getPeriodToMillis()).toString())
        .put("firstEntryNo", s.getFirstEntryNo())
        .put("lastEntryNo", s.getLastEntryNo());
    n.set("openingBalance", money(s.getOpeningBalance(), c));
    n.set("closingBalance", money(s.getClosingBalance(), c));
    n.set("totalCredits", money(s.getTotalCredits(), c));
    n.set("totalDebits", money(s.getTotalDebits(), c));
    ArrayNode orders = n.putArray("orderIds");
    s.getOrderIdsList().forEach(orders::add);
    n.put("closedAt", Instant.ofEpochMilli(s.getClosedAtMillis()).toString());
    return n;
  }

  public ObjectNode recharge(dev.wharf.proto.Recharge r) {
    ObjectNode n = object()
        .put("rechargeId", r.getRechargeId())
        .put("clientId", r.getClientId())
        .put("status", r.getStatus().name().substring("RECHARGE_".length()));
    n.set("amount", money(r.getAmount()));
    n.put("method", r.getMethod()).put("reference", r.getReference());
    putOptional(n, "note", r.getNote());
    putOptional(n, "rejectReason", r.getRejectReason());
    n.put("submittedAt", Instant.ofEpochMilli(r.getSubmittedAtMillis()).toString());
    if (r.getDecidedAtMillis() > 0) {
      n.put("decidedAt", Instant.ofEpochMilli(r.getDecidedAtMillis()).toString());
    } else {
      n.putNull("decidedAt");
    }
    return n;
  }

  public ObjectNode group(dev.wharf.proto.CustomerGroup g) {
    var f = g.getFees();
    ObjectNode n = object().put("groupId", g.getGroupId()).put("name", g.getName()).put("version", g.getVersion());
    if (!g.getCurrency().isEmpty()) {
      n.put("currency", g.getCurrency());
    }
    ObjectNode fees = n.putObject("fees");
    String c = dev.wharf.engine.domain.FeeRules.billedIn(g);
    ObjectNode in = fees.putObject("inbound");
    in.set("perReceipt", money(f.getInboundPerReceipt().getAmount(), c));
    in.set("perUnit", money(f.getInboundPerUnit().getAmount(), c));
    ObjectNode out = fees.putObject("outbound");
    out.set("perOrder", money(f.getOutboundPerOrder().getAmount(), c));
    out.set("perAdditionalUnit", money(f.getOutboundPerAdditionalUnit().getAmount(), c));
    ObjectNode ret = fees.putObject("return");
    ret.set("perReturn", money(f.getReturnPerReturn().getAmount(), c));
    ret.set("perUnit", money(f.getReturnPerUnit().getAmount(), c));
    return n;
  }

  public ObjectNode warehouse(WarehouseView w) {
    ObjectNode n = object().put("warehouseId", w.getWarehouseId()).put("name", w.getName()).put("country", w.getCountry());
    ArrayNode coverage = n.putArray("coverage");
    w.getCoverageList().forEach(c -> {
      ObjectNode cn = object().put("country", c.getCountry());
      ArrayNode prefixes = cn.putArray("postalPrefixes");
      c.getPostalPrefixesList().forEach(prefixes::add);
      coverage.add(cn);
    });
    n.put("priority", w.getPriority());
    return n;
  }

  public ObjectNode packageView(dev.wharf.proto.MergeGroupOpened group, dev.wharf.proto.Package p) {
    ObjectNode n = object()
        .put("packageId", p.getPackageId())
        .put("warehouseId", group.getWarehouseId())
        .put("clientId", group.getClientId());
    n.set("recipient", recipient(group.getRecipient()));
    ArrayNode ids = n.putArray("orderIds");
    p.getOrderIdsList().forEach(ids::add);
    n.put("state", p.getState() == dev.wharf.proto.PackageState.PACKAGE_SHIPPED ? "SHIPPED" : "OPEN");
    putOptional(n, "carrier", p.getCarrier());
    putOptional(n, "trackingNo", p.getTrackingNo());
    return n;
  }

  public ObjectNode client(ClientView c) {
    return object()
        .put("clientId", c.getClientId())
        .put("name", c.getName())
        .put("code", c.getCode())
        .put("email", c.getEmail())
        .put("productCount", c.getProductCount());
  }

  public ObjectNode product(String clientId, Product p) {
    return object().put("clientId", clientId).put("sku", p.getSku()).put("name", p.getName()).put("barcode", p.getBarcode());
  }

  public ObjectNode stock(String warehouseId, String clientId, String sku, StockLevel level) {
    return object()
        .put("warehouseId", warehouseId)
        .put("clientId", clientId)
        .put("sku", sku)
        .put("onHand", level.getOnHand())
        .put("reserved", level.getReserved())
        .put("available", level.getAvailable())
        .put("shipped", level.getShipped());
  }

  public ObjectNode store(StoreView s) {
    return object()
        .put("storeId", s.getStoreId())
        .put("clientId", s.getConfig().getClientId())
        .put("platform", s.getConfig().getPlatform())
        .put("shortName", s.getConfig().getShortName())
        .put("defaultWarehouseId", s.getConfig().getDefaultWarehouseId())
        .put("autoReview", s.getConfig().getAutoReview())
        .put("autoRelease", s.getConfig().getAutoRelease())
        .put("mappingCount", s.getMappingCount());
  }

  public ObjectNode mapping(String storeId, SkuMapping m) {
    ObjectNode n = object().put("storeId", storeId).put("platformSku", m.getPlatformSku());
    n.set("components", lines(m.getComponentsList()));
    return n;
  }

  public ArrayNode lines(List<Line> lines) {
    ArrayNode a = mapper.createArrayNode();
    lines.forEach(l -> a.add(object().put("sku", l.getSku()).put("qty", l.getQty())));
    return a;
  }

  /** The short answer to an ingest: the same for a new order and for a re-sent one. */
  public ObjectNode ingested(OrderView o) {
    ObjectNode n = object().put("orderId", o.getOrderId()).put("orderNo", o.getOrderNo()).put("state", state(o));
    if (o.getUnmappedSkusCount() > 0) {
      n.set("reason", unmappedReason(o));
    }
    return n;
  }

  public ObjectNode order(OrderView o) {
    ObjectNode n = object()
        .put("orderId", o.getOrderId())
        .put("orderNo", o.getOrderNo())
        .put("storeId", o.getStoreId())
        .put("clientId", o.getClientId())
        .put("platformOrderNo", o.getPlatformOrderNo())
        .put("state", state(o))
        .put("warehouseId", o.getWarehouseId());
    if (o.getStatus() == OrderStatus.FROZEN) {
      n.put("stateBeforeFreeze", o.getStatusBeforeFreeze().name());
    }
    n.set("lines", lines(o.getLinesList()));
    ArrayNode platformLines = n.putArray("platformLines");
    for (PlatformLine pl : o.getPlatformLinesList()) {
      platformLines.add(object().put("platformSku", pl.getPlatformSku()).put("qty", pl.getQty()));
    }
    if (o.getUnmappedSkusCount() > 0) {
      n.set("reason", unmappedReason(o));
    }
    n.set("recipient", recipient(o.getRecipient()));
    n.put("shippingMethod", o.getShippingMethod());
    putOptional(n, "packageId", o.getPackageId());
    putOptional(n, "manualWarehouseId", o.getManualWarehouseId());
    if (o.hasRouting()) {
      ObjectNode r = n.putObject("routing")
          .put("warehouseId", o.getRouting().getWarehouseId())
          .put("rule", o.getRouting().getRule());
      ArrayNode reasons = r.putArray("reasons");
      o.getRouting().getReasonsList().forEach(reasons::add);
    } else {
      n.putNull("routing");
    }
    if (o.hasReviewFailure()) {
      n.set("reviewFailure", reviewFailure(o.getReviewFailure()));
    } else {
      n.putNull("reviewFailure");
    }
    if (o.hasOutboundFee()) {
      n.set("outboundFee", money(o.getOutboundFee()));
      n.put("feeGroupId", o.getFeeGroupId()).put("feeRuleVersion", o.getFeeRuleVersion());
    } else {
      n.putNull("outboundFee");
    }
    if (o.hasCancellation()) {
      ObjectNode c = n.putObject("cancellation")
          .put("reason", o.getCancellation().getReason())
          .put("by", o.getCancellation().getBy())
          .put("at", Instant.ofEpochMilli(o.getCancellation().getAtMillis()).toString());
      c.set("penalty", money(o.getCancellation().getPenalty()));
    }
    putOptional(n, "carrier", o.getCarrier());
    putOptional(n, "trackingNo", o.getTrackingNo());
    n.put("ingestedAt", Instant.ofEpochMilli(o.getIngestedAtMillis()).toString());
    return n;
  }

  private static String state(OrderView o) {
    return o.getStatus().name();
  }

  private ObjectNode unmappedReason(OrderView o) {
    ObjectNode r = object()
        .put("code", Rejections.UNMAPPED_SKU)
        .put("message", "no SKU mapping for platform SKU " + String.join(", ", o.getUnmappedSkusList()));
    ArrayNode skus = r.putArray("platformSkus");
    o.getUnmappedSkusList().forEach(skus::add);
    return r;
  }

  private ObjectNode reviewFailure(ReviewFailure f) {
    ObjectNode n = object().put("code", f.getCode()).put("message", f.getMessage());
    if (f.hasRequired()) {
      n.set("required", money(f.getRequired()));
      n.set("available", money(f.getAvailable()));
    }
    ArrayNode shortages = n.putArray("shortages");
    for (Shortage s : f.getShortagesList()) {
      shortages.add(object().put("sku", s.getSku()).put("requested", s.getRequested()).put("available", s.getAvailable()));
    }
    return n;
  }

  public ObjectNode recipient(Recipient r) {
    ObjectNode n = object()
        .put("name", r.getName())
        .put("phone", r.getPhone())
        .put("country", r.getCountry())
        .put("postalCode", r.getPostalCode())
        .put("city", r.getCity())
        .put("address1", r.getAddress1());
    putOptional(n, "address2", r.getAddress2());
    putOptional(n, "state", r.getState());
    return n;
  }

  private static void putOptional(ObjectNode n, String field, String value) {
    if (value.isEmpty()) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }
}
