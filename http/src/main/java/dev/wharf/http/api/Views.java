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

  public ObjectNode warehouse(WarehouseView w) {
    return object().put("warehouseId", w.getWarehouseId()).put("name", w.getName()).put("country", w.getCountry());
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
    if (o.hasReviewFailure()) {
      n.set("reviewFailure", reviewFailure(o.getReviewFailure()));
    } else {
      n.putNull("reviewFailure");
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
