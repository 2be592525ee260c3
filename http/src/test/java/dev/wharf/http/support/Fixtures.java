package dev.wharf.http.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Master data and orders as connectors and staff would send them. */
public final class Fixtures {
  private Fixtures() {}

  public static void ok(Api.Response r) {
    assertTrue(r.status() >= 200 && r.status() < 300, () -> "expected 2xx, got " + r);
  }

  /** A warehouse, a client with products, a store mapping P-&lt;sku&gt; to each product. */
  public static void setUp(Api api, String warehouse, String client, String store, boolean autoReview, String... skus) {
    ok(api.put("/v1/warehouses/" + warehouse, Api.obj().put("name", "Warehouse " + warehouse).put("country", "PH")));
    ok(api.put("/v1/clients/" + client, Api.obj().put("name", "Client " + client).put("code", code(client))
        .put("email", "ops@" + client + ".test")));
    for (String sku : skus) {
      ok(api.put("/v1/clients/" + client + "/products/" + sku, Api.obj().put("name", "Product " + sku).put("barcode", "690" + sku.hashCode())));
    }
    ok(api.put("/v1/stores/" + store, Api.obj().put("clientId", client).put("platform", "SHOPEE").put("shortName", store)
        .put("defaultWarehouseId", warehouse).put("autoReview", autoReview)));
    for (String sku : skus) {
      mapping(api, store, "P-" + sku, Map.of(sku, 1L));
    }
  }

  /** A client's own code (codes are unique: they start its order numbers). */
  public static String code(String client) {
    String code = client.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    return code.length() <= 12 ? code : code.substring(code.length() - 12);
  }

  public static void mapping(Api api, String store, String platformSku, Map<String, Long> components) {
    ObjectNode body = Api.obj();
    var arr = body.putArray("components");
    components.forEach((sku, qty) -> arr.add(Api.obj().put("sku", sku).put("qty", qty)));
    ok(api.put("/v1/stores/" + store + "/sku-mappings/" + platformSku, body));
  }

  public static Api.Response receive(Api api, String warehouse, String client, String reference, Map<String, Long> lines) {
    ObjectNode body = Api.obj().put("clientId", client).put("reference", reference);
    var arr = body.putArray("lines");
    lines.forEach((sku, qty) -> arr.add(Api.obj().put("sku", sku).put("qty", qty)));
    return api.post("/v1/warehouses/" + warehouse + "/receipts", body);
  }

  public static ObjectNode order(String platformOrderNo, Map<String, Long> platformLines) {
    ObjectNode body = Api.obj().put("platformOrderNo", platformOrderNo).put("shippingMethod", "GoGo Xpress");
    var arr = body.putArray("lines");
    platformLines.forEach((sku, qty) -> arr.add(Api.obj().put("platformSku", sku).put("qty", qty)));
    body.set("recipient", Api.obj().put("name", "Junjun Dy").put("phone", "639325122495").put("country", "PH")
        .put("postalCode", "2307").put("city", "Manila").put("address1", "12 Rizal St"));
    return body;
  }

  public static ObjectNode order(String platformOrderNo, String platformSku, long qty) {
    return order(platformOrderNo, Map.of(platformSku, qty));
  }

  public static List<String> states(List<Api.Response> responses) {
    return responses.stream().map(r -> r.body().path("state").asText()).toList();
  }
}
