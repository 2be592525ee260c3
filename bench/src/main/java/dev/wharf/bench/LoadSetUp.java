package dev.wharf.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The load generator's master data: a warehouse, clients with SKUs and stock, stores and their mappings. */
final class LoadSetUp {
  /** Receipt lines per receipt, well under the API's limit. */
  private static final int RECEIPT_LINES = 100;

  private final Load api;
  private final LoadSpec spec;

  LoadSetUp(Load api, LoadSpec spec) {
    this.api = api;
    this.spec = spec;
  }

  static String warehouseId(LoadSpec spec) {
    return spec.prefix() + "WH";
  }

  static String feeGroupId(LoadSpec spec) {
    return spec.prefix() + "FEES";
  }

  void run() {
    String warehouse = warehouseId(spec);
    send("PUT", "/v1/warehouses/" + warehouse, obj().put("name", warehouse).put("country", "PH"));
    if (spec.fees()) {
      ObjectNode fees = obj();
      fees.putObject("outbound").<ObjectNode>set("perOrder", usd(LoadSpec.FEE_PER_ORDER))
          .set("perAdditionalUnit", usd(LoadSpec.FEE_PER_ADDITIONAL_UNIT));
      send("PUT", "/v1/customer-groups/" + feeGroupId(spec), obj().put("name", "load fees").set("fees", fees));
    }
    for (int c = 0; c < spec.clients(); c++) {
      String client = OrderMix.clientId(spec, c);
      send("PUT", "/v1/clients/" + client, obj().put("name", client).put("code", OrderMix.clientCode(client)).put("email", "load@" + client + ".test"));
      if (spec.fees()) {
        // a credit line no run uses up: every review passes on funds and holds its fee
        send("PUT", "/v1/clients/" + client + "/billing", obj().put("groupId", feeGroupId(spec))
            .set("creditLimit", usd(1_000_000_000_000L)));
      }
      List<Load.Request> requests = new ArrayList<>();
      for (int k = 0; k < spec.skus(); k++) {
        requests.add(new Load.Request("PUT", "/v1/clients/" + client + "/products/" + OrderMix.sku(k),
            obj().put("name", OrderMix.sku(k)).toString()));
      }
      all("products of " + client, requests);
      for (int first = 0; first < spec.skus(); first += RECEIPT_LINES) {
        ObjectNode receipt = obj().put("clientId", client).put("reference", spec.prefix() + "-GRN-" + c + "-" + first);
        ArrayNode lines = receipt.putArray("lines");
        for (int k = first; k < Math.min(spec.skus(), first + RECEIPT_LINES); k++) {
          lines.add(obj().put("sku", OrderMix.sku(k)).put("qty", spec.stockPerSku()));
        }
        send("POST", "/v1/warehouses/" + warehouse + "/receipts", receipt);
      }
      for (int s = 0; s < spec.storesPerClient(); s++) {
        String store = OrderMix.storeId(spec, c, s);
        send("PUT", "/v1/stores/" + store, obj().put("clientId", client).put("platform", "SHOPEE").put("shortName", store)
            .put("defaultWarehouseId", warehouse).put("autoReview", true).put("autoRelease", false));
        all("mappings of " + store, mappings(store));
      }
    }
  }

  /** P-SKUk to SKUk, and the bundles B-k to SKUk and SKUk+1. */
  private List<Load.Request> mappings(String store) {
    List<Load.Request> requests = new ArrayList<>();
    for (int k = 0; k < spec.skus(); k++) {
      ObjectNode single = obj();
      single.putArray("components").add(obj().put("sku", OrderMix.sku(k)).put("qty", 1));
      requests.add(new Load.Request("PUT", "/v1/stores/" + store + "/sku-mappings/P-" + OrderMix.sku(k), single.toString()));
      if (OrderMix.canHeadBundle(spec, k)) {
        ObjectNode bundle = obj();
        bundle.putArray("components").add(obj().put("sku", OrderMix.sku(k)).put("qty", 1))
            .add(obj().put("sku", OrderMix.sku(k + 1)).put("qty", 1));
        requests.add(new Load.Request("PUT", "/v1/stores/" + store + "/sku-mappings/B-" + k, bundle.toString()));
      }
    }
    return requests;
  }

  private void all(String what, List<Load.Request> requests) {
    Load.Result r = api.run("set-up " + what, requests.size(), 16, requests::get);
    if (r.ok() != requests.size()) {
      throw new IllegalStateException("set-up of the " + what + " was refused: " + r.errors());
    }
  }

  private void send(String method, String path, ObjectNode body) {
    var response = api.send(method, path, body.toString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " was refused: " + response.statusCode() + " " + response.body());
    }
  }

  private static ObjectNode usd(long minorUnits) {
    return obj().put("amount", minorUnits).put("currency", "USD");
  }

  private static ObjectNode obj() {
    return Load.JSON.createObjectNode();
  }
}
