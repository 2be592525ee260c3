package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.ok;
import static dev.wharf.http.support.Fixtures.order;
import static dev.wharf.http.support.Fixtures.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.OneNodePerClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API contract on a real node: real port, real H2 journal on disk. */
class HttpApiTest extends OneNodePerClass {



  private record World(String warehouse, String client, String store) {}

  private static World world(boolean autoReview, String... skus) {
    int n = SEQ.incrementAndGet();
    World w = new World("WH" + n, "C" + n, "S" + n);
    Fixtures.setUp(api, w.warehouse, w.client, w.store, autoReview, skus);
    return w;
  }

  /**
   * A warehouse chosen by hand while a review is being prepared wins: whenever the choice was
   * accepted and the order then got ALLOCATED, it is in the chosen warehouse (a review routed on
   * the order as it was before the choice is refused and prepared again).
   */
  @Test
  void aWarehouseChosenWhileAReviewIsPreparedIsTheOneReserved() throws Exception {
    World w = world(false, "CUP");
    String chosen = "WB" + SEQ.incrementAndGet();
    ok(api.put("/v1/warehouses/" + chosen, Api.obj().put("name", "By hand").put("country", "PH")));
    ok(receive(api, w.warehouse, w.client, "GRN-A", Map.of("CUP", 100L)));
    ok(receive(api, chosen, w.client, "GRN-B", Map.of("CUP", 100L)));
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(api.post("/v1/stores/" + w.store + "/orders", order("RACE-" + i, "P-CUP", 1)).text("orderId"));
    }
    List<java.util.concurrent.CompletableFuture<Api.Response>> answers = new java.util.ArrayList<>();
    for (String id : ids) {
      answers.add(api.sendAsync("POST", "/v1/orders/" + id + "/review", null));
      answers.add(api.sendAsync("PUT", "/v1/orders/" + id + "/warehouse", Api.obj().put("warehouseId", chosen)));
    }
    answers.forEach(java.util.concurrent.CompletableFuture::join);
    for (String id : ids) {
      JsonNode o = api.get("/v1/orders/" + id).body();
      if (o.path("manualWarehouseId").asText().equals(chosen) && o.path("state").asText().equals("ALLOCATED")) {
        assertEquals(chosen, o.path("warehouseId").asText(), o::toString);
      }
    }
  }

  private static Api.Response stock(World w, String sku) {
    return api.get("/v1/warehouses/" + w.warehouse + "/stock/" + w.client + "/" + sku);
  }

  @Test
  void theMainFlowIngestReviewShip() {
    World w = world(false, "CUP", "LID");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 10L, "LID", 5L)));
    Api.Response created = api.post("/v1/stores/" + w.store + "/orders", order("2012204TH7K8TW", "P-CUP", 3));
    assertEquals(201, created.status(), created::toString);
    assertEquals("PENDING", created.text("state"));
    assertTrue(created.text("orderNo").matches(Fixtures.code(w.client()) + "-\\d{6}-\\d{5}"), created::toString);
    String orderId = created.text("orderId");

    Api.Response reviewed = api.post("/v1/orders/" + orderId + "/review", null);
    assertEquals(200, reviewed.status(), reviewed::toString);
    assertEquals("ALLOCATED", reviewed.text("state"));
    assertEquals("CUP", reviewed.body().path("lines").get(0).path("sku").asText());
    assertEquals(3, reviewed.body().path("lines").get(0).path("qty").asLong());
    assertEquals(w.warehouse, reviewed.text("warehouseId"));
    assertEquals("2012204TH7K8TW", reviewed.text("platformOrderNo"));
    assertEquals("PH", reviewed.body().path("recipient").path("country").asText());
    assertEquals(7, stock(w, "CUP").body().path("available").asLong());

    Api.Response shipped = api.post("/v1/orders/" + orderId + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "JT0001"));
    assertEquals(200, shipped.status(), shipped::toString);
    assertEquals("SHIPPED", shipped.text("state"));
    assertEquals("JT0001", shipped.text("trackingNo"));
    Api.Response level = stock(w, "CUP");
    assertEquals(7, level.body().path("onHand").asLong());
    assertEquals(0, level.body().path("reserved").asLong());
    assertEquals(7, level.body().path("available").asLong());

    Api.Response fetched = api.get("/v1/orders/" + orderId);
    assertEquals("SHIPPED", fetched.text("state"));
    assertEquals("JNT", fetched.text("carrier"));
  }

  @Test
  void aReceiptIsCountedOncePerReference() {
    World w = world(false, "CUP");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 10L)));
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 10L)));
    ok(receive(api, w.warehouse, w.client, "GRN-2", Map.of("CUP", 1L)));
    assertEquals(11, stock(w, "CUP").body().path("onHand").asLong());
  }

  @Test
  void reSentOrdersAreDeduplicated() {
    World w = world(false, "CUP");
    var body = order("DUP-1", "P-CUP", 1);
    Api.Response first = api.post("/v1/stores/" + w.store + "/orders", body);
    Api.Response second = api.post("/v1/stores/" + w.store + "/orders", body);
    assertEquals(201, first.status());
    assertEquals(200, second.status());
    assertEquals(first.body(), second.body());

    // the same new order from 20 connectors at once: one order, one number
    var concurrent = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Api.Response>>();
    for (int i = 0; i < 20; i++) {
      concurrent.add(api.sendAsync("POST", "/v1/stores/" + w.store + "/orders", order("DUP-2", "P-CUP", 1)));
    }
    var answers = concurrent.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    assertEquals(1, answers.stream().filter(r -> r.status() == 201).count(), answers::toString);
    assertEquals(19, answers.stream().filter(r -> r.status() == 200).count(), answers::toString);
    assertEquals(1, answers.stream().map(r -> r.text("orderId") + r.text("orderNo")).distinct().count());
  }

  /** {@code n} single-unit HOT orders sent all at once; each must be created. */
  private static List<String> ingestAtOnce(World w, String prefix, int n) {
    var ingests = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Api.Response>>();
    for (int i = 0; i < n; i++) {
      ingests.add(api.sendAsync("POST", "/v1/stores/" + w.store + "/orders", order(prefix + i, "P-HOT", 1)));
    }
    return ingests.stream().map(java.util.concurrent.CompletableFuture::join)
        .peek(r -> assertEquals(201, r.status(), r::toString))
        .map(r -> r.text("orderId")).toList();
  }

  /** A review that failed for want of the one HOT unit it asked for. */
  private static void assertShortOfOneHot(Api.Response order) {
    var failure = order.body().path("reviewFailure");
    assertEquals("INSUFFICIENT_STOCK", failure.path("code").asText(), order::toString);
    assertEquals("HOT", failure.path("shortages").get(0).path("sku").asText());
    assertEquals(1, failure.path("shortages").get(0).path("requested").asLong());
    assertEquals(0, failure.path("shortages").get(0).path("available").asLong());
  }

  @Test
  void fiveHundredConcurrentOrdersForOneHundredUnits() {
    World w = world(false, "HOT");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("HOT", 100L)));
    var orderIds = ingestAtOnce(w, "FLASH-", 500);
    var reviews = orderIds.stream().map(id -> api.sendAsync("POST", "/v1/orders/" + id + "/review", null)).toList();
    var results = reviews.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    results.forEach(r -> assertEquals(200, r.status(), r::toString));
    var states = Fixtures.states(results);
    assertEquals(100, states.stream().filter("ALLOCATED"::equals).count());
    assertEquals(400, states.stream().filter("REVIEW_FAILED"::equals).count());
    results.stream().filter(r -> r.text("state").equals("REVIEW_FAILED")).forEach(HttpApiTest::assertShortOfOneHot);
    Api.Response level = stock(w, "HOT");
    assertEquals(100, level.body().path("onHand").asLong());
    assertEquals(100, level.body().path("reserved").asLong());
    assertEquals(0, level.body().path("available").asLong());
  }

  @Test
  void anAutoReviewedFlashSaleAllocatesExactlyTheStockAndNamesTheShortageOfEveryOtherOrder() {
    World w = world(true, "HOT");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("HOT", 50L)));
    var orderIds = ingestAtOnce(w, "AUTO-FLASH-", 200);
    // reviews run after the ingest answers (some failed within it): read until none is running
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
    List<Api.Response> results;
    do {
      results = orderIds.stream().map(id -> api.get("/v1/orders/" + id)).toList();
    } while (Fixtures.states(results).contains("REVIEWING") && java.time.Instant.now().isBefore(deadline));
    var states = Fixtures.states(results);
    assertEquals(50, states.stream().filter("ALLOCATED"::equals).count(), states::toString);
    assertEquals(150, states.stream().filter("REVIEW_FAILED"::equals).count(), states::toString);
    results.stream().filter(r -> r.text("state").equals("REVIEW_FAILED")).forEach(HttpApiTest::assertShortOfOneHot);
    Api.Response level = stock(w, "HOT");
    assertEquals(50, level.body().path("reserved").asLong(), "no oversell");
    assertEquals(0, level.body().path("available").asLong());

    // restocked, a failed order reviewed again is allocated
    ok(receive(api, w.warehouse, w.client, "GRN-2", Map.of("HOT", 1L)));
    String failed = results.stream().filter(r -> r.text("state").equals("REVIEW_FAILED")).findFirst().orElseThrow()
        .text("orderId");
    assertEquals("ALLOCATED", api.post("/v1/orders/" + failed + "/review", null).text("state"));
    assertEquals(51, stock(w, "HOT").body().path("reserved").asLong());
  }

  @Test
  void aBundleReservesBothOrNeither() {
    World w = world(false, "A", "B");
    Fixtures.mapping(api, w.store, "GIFT-SET", new LinkedHashMap<>(Map.of("A", 2L, "B", 1L)));
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("A", 2L)));
    String id = api.post("/v1/stores/" + w.store + "/orders", order("SET-1", "GIFT-SET", 1)).text("orderId");
    Api.Response failed = api.post("/v1/orders/" + id + "/review", null);
    assertEquals("REVIEW_FAILED", failed.text("state"));
    var shortage = failed.body().path("reviewFailure").path("shortages").get(0);
    assertEquals("B", shortage.path("sku").asText());
    assertEquals(2, stock(w, "A").body().path("available").asLong(), "A was released");
    ok(receive(api, w.warehouse, w.client, "GRN-2", Map.of("B", 1L)));
    assertEquals("ALLOCATED", api.post("/v1/orders/" + id + "/review", null).text("state"));
    assertEquals(2, stock(w, "A").body().path("reserved").asLong());
    assertEquals(1, stock(w, "B").body().path("reserved").asLong());
  }

  @Test
  void anUnmappedSkuLeavesTheOrderPendingUntilMapped() {
    World w = world(true, "CUP");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 5L)));
    Api.Response created = api.post("/v1/stores/" + w.store + "/orders", order("UNM-1", "P-NEW", 1));
    assertEquals(201, created.status());
    assertEquals("PENDING", created.text("state"));
    assertEquals("UNMAPPED_SKU", created.body().path("reason").path("code").asText());
    assertEquals("P-NEW", created.body().path("reason").path("platformSkus").get(0).asText());
    String id = created.text("orderId");
    Api.Response refused = api.post("/v1/orders/" + id + "/review", null);
    assertEquals(422, refused.status());
    assertEquals("UNMAPPED_SKU", refused.errorCode());
    assertTrue(refused.body().path("error").path("message").asText().contains("P-NEW"));
    Fixtures.mapping(api, w.store, "P-NEW", Map.of("CUP", 2L));
    Api.Response reviewed = api.post("/v1/orders/" + id + "/review", null);
    assertEquals("ALLOCATED", reviewed.text("state"), reviewed::toString);
    assertEquals(2, reviewed.body().path("lines").get(0).path("qty").asLong());
  }

  /** Reviewing again maps only the SKUs that were unmapped: lines mapped at ingest stay as they were. */
  @Test
  void aLaterReviewMapsOnlyWhatWasUnmapped() {
    World w = world(false, "CUP");
    ok(api.put("/v1/clients/" + w.client + "/products/LID", Api.obj().put("name", "Lid")));
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 5L, "LID", 5L)));
    String id = api.post("/v1/stores/" + w.store + "/orders",
        order("UNM-2", new LinkedHashMap<>(Map.of("P-CUP", 1L, "P-LID", 2L)))).text("orderId");
    // P-CUP was mapped at ingest; its mapping goes away, and P-LID gets one
    assertEquals(204, api.delete("/v1/stores/" + w.store + "/sku-mappings/P-CUP").status());
    Fixtures.mapping(api, w.store, "P-LID", Map.of("LID", 1L));
    Api.Response reviewed = api.post("/v1/orders/" + id + "/review", null);
    assertEquals("ALLOCATED", reviewed.text("state"), reviewed::toString);
    Map<String, Long> lines = new LinkedHashMap<>();
    reviewed.body().path("lines").forEach(l -> lines.put(l.path("sku").asText(), l.path("qty").asLong()));
    assertEquals(Map.of("CUP", 1L, "LID", 2L), lines);
  }

  @Test
  void aPolledOrderReadsTheSameUntilAWriteChangesIt() {
    World w = world(false, "CUP");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 5L)));
    String id = api.post("/v1/stores/" + w.store + "/orders", order("POLL-1", "P-CUP", 2)).text("orderId");
    Api.Response first = api.get("/v1/orders/" + id);
    Api.Response again = api.get("/v1/orders/" + id);
    assertEquals("PENDING", first.text("state"), first::toString);
    assertEquals("NoBalance", first.text("settlement"));
    assertEquals(first.raw(), again.raw());

    Api.Response reviewed = api.post("/v1/orders/" + id + "/review", null);
    Api.Response afterWrite = api.get("/v1/orders/" + id);
    assertEquals("ALLOCATED", afterWrite.text("state"), afterWrite::toString);
    // the read is the write's answer plus the settlement, whatever was rendered for reads before
    ObjectNode expected = ((ObjectNode) reviewed.body()).deepCopy().put("settlement", "NoBalance");
    assertEquals(expected, afterWrite.body());
    assertEquals(afterWrite.raw(), api.get("/v1/orders/" + id).raw());
  }

  /** A cached order's read is answered ahead of the routes (decision 0015), under the same rules. */
  @Test
  void aCachedOrderIsReadUnderTheRoutesRules() {
    World w = world(false, "CUP");
    String id = api.post("/v1/stores/" + w.store + "/orders", order("POLL-2", "P-CUP", 1)).text("orderId");
    assertEquals(200, api.get("/v1/orders/" + id).status());
    Api.Response anonymous = api.withToken(null).get("/v1/orders/" + id);
    assertEquals(401, anonymous.status(), anonymous::toString);
    assertEquals("UNAUTHORIZED", anonymous.errorCode());
    assertEquals(401, api.withToken("nope").get("/v1/orders/" + id).status());
    assertEquals("PENDING", api.get("/v1/orders/" + id + "?fields=all").text("state"), "a query is ignored, as the route does");
    Api.Response posted = api.post("/v1/orders/" + id, Api.obj());
    assertEquals(405, posted.status(), posted::toString);
    assertEquals("METHOD_NOT_ALLOWED", posted.errorCode());
    assertEquals(404, api.get("/v1/orders/" + id + "/").status());
    assertEquals(404, api.get("/v1/orders/" + id.toUpperCase(java.util.Locale.ROOT)).status());
  }

  @Test
  void freezeVoidAndTheTransitionsTheyForbid() {
    World w = world(false, "CUP");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 5L)));
    String id = api.post("/v1/stores/" + w.store + "/orders", order("FRZ-1", "P-CUP", 2)).text("orderId");
    Api.Response early = api.post("/v1/orders/" + id + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "T1"));
    assertEquals(409, early.status());
    assertEquals("PENDING", early.body().path("error").path("currentState").asText());
    api.post("/v1/orders/" + id + "/review", null);
    assertEquals("FROZEN", api.post("/v1/orders/" + id + "/freeze", null).text("state"));
    assertEquals(409, api.post("/v1/orders/" + id + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "T1")).status());
    assertEquals("VOID", api.post("/v1/orders/" + id + "/void", null).text("state"));
    assertEquals(5, stock(w, "CUP").body().path("available").asLong());
    Api.Response reviewVoid = api.post("/v1/orders/" + id + "/review", null);
    assertEquals(409, reviewVoid.status());
    assertEquals("VOID", reviewVoid.body().path("error").path("currentState").asText());
  }

  /** Order numbers start with the client's code, so a code belongs to one client for good. */
  @Test
  void aClientCodeBelongsToOneClient() {
    int n = SEQ.incrementAndGet();
    String code = "UQ" + n;
    ObjectNode first = Api.obj().put("name", "First").put("code", code).put("email", "a@first.test");
    assertEquals(201, api.put("/v1/clients/UQA" + n, first).status());
    Api.Response taken = api.put("/v1/clients/UQB" + n, first.deepCopy().put("name", "Second"));
    assertEquals(409, taken.status(), taken::toString);
    assertEquals("code", taken.body().path("error").path("field").asText(), taken::toString);
    assertEquals(404, api.get("/v1/clients/UQB" + n).status(), "the refused client was not created");
    assertEquals(200, api.put("/v1/clients/UQA" + n, first.put("name", "First, renamed")).status());
    // the first client moves to another code: the old one stays its own (its old order numbers use it)
    assertEquals(200, api.put("/v1/clients/UQA" + n, first.deepCopy().put("code", code + "X")).status());
    assertEquals(409, api.put("/v1/clients/UQB" + n, first.deepCopy().put("name", "Second")).status());
    assertEquals(201, api.put("/v1/clients/UQB" + n, first.deepCopy().put("code", code + "Y")).status());
  }

  @Test
  void badInputIsRefusedWithAJsonErrorAndChangesNothing() {
    World w = world(false, "CUP");
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 5L)));
    String orders = "/v1/stores/" + w.store + "/orders";

    // half of a character would be stored as '?' (and "A\ud800" and "A?" would be one order)
    String template = order("SURROGATE-PLACEHOLDER", "P-CUP", 1).toString();
    Api.Response half = api.post(orders, template.replace("SURROGATE-PLACEHOLDER", "A\\ud800"));
    assertEquals(400, half.status(), half::toString);
    assertEquals("platformOrderNo", half.body().path("error").path("field").asText(), half::toString);
    Api.Response whole = api.post(orders, template.replace("SURROGATE-PLACEHOLDER", "A\\ud83d\\ude00"));
    assertEquals(201, whole.status(), whole::toString);
    assertEquals("A\ud83d\ude00", api.get("/v1/orders/" + whole.text("orderId")).text("platformOrderNo"));

    Api.Response malformed = api.post(orders, "{\"platformOrderNo\": ");
    assertEquals(400, malformed.status());
    assertEquals("MALFORMED_JSON", malformed.errorCode());
    Api.Response trailing = api.post(orders, order("BAD-0", "P-CUP", 1).toString() + "xyz");
    assertEquals(400, trailing.status(), trailing::toString);
    assertEquals("MALFORMED_JSON", trailing.errorCode());

    var missing = order("BAD-1", "P-CUP", 1);
    missing.remove("recipient");
    Api.Response noRecipient = api.post(orders, missing);
    assertEquals(400, noRecipient.status());
    assertEquals("recipient", noRecipient.body().path("error").path("field").asText());

    Api.Response zero = api.post(orders, order("BAD-2", "P-CUP", 0));
    assertEquals(400, zero.status());
    assertEquals("lines[0].qty", zero.body().path("error").path("field").asText());
    assertEquals(400, api.post(orders, order("BAD-3", "P-CUP", 10_000_000)).status());
    var mistyped = order("BAD-4", "P-CUP", 1);
    ((com.fasterxml.jackson.databind.node.ObjectNode) mistyped.path("lines").get(0)).put("qty", "one");
    assertEquals("lines[0].qty", api.post(orders, mistyped).body().path("error").path("field").asText());

    Api.Response unknownSku = receive(api, w.warehouse, w.client, "GRN-X", Map.of("CUP", 1L, "GHOST", 1L));
    assertEquals(422, unknownSku.status());
    assertEquals("UNKNOWN_SKU", unknownSku.errorCode());
    assertEquals(5, stock(w, "CUP").body().path("onHand").asLong(), "a refused receipt changed nothing");

    Api.Response badMapping = api.put("/v1/stores/" + w.store + "/sku-mappings/P-GHOST",
        Api.obj().set("components", Api.JSON.createArrayNode().add(Api.obj().put("sku", "GHOST").put("qty", 1))));
    assertEquals(422, badMapping.status());
    assertEquals(1, api.get("/v1/stores/" + w.store + "/sku-mappings").body().path("mappings").size());

    assertEquals(404, api.get("/v1/orders/o-000000000000000000000000000000").status());
    assertEquals(404, api.get("/v1/orders/not-an-order").status());
    assertEquals(404, api.post("/v1/stores/NOPE/orders", order("X", "P-CUP", 1)).status());
    assertEquals(404, api.get("/v1/warehouses/NOPE/stock/" + w.client + "/CUP").status());
    assertEquals(404, api.get("/v1/warehouses/" + w.warehouse + "/stock/" + w.client + "/GHOST").status());
    Api.Response badStore = api.put("/v1/stores/S-BAD", Api.obj().put("clientId", "NOPE").put("platform", "SHOPEE")
        .put("shortName", "x").put("defaultWarehouseId", w.warehouse));
    assertEquals(422, badStore.status());
    assertEquals("clientId", badStore.body().path("error").path("field").asText());
    assertEquals(404, api.get("/v1/stores/S-BAD").status());
  }

  @Test
  void oversizedBodiesAre413() {
    World w = world(false, "CUP");
    String huge = "{\"platformOrderNo\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    Api.Response r = api.post("/v1/stores/" + w.store + "/orders", huge);
    assertEquals(413, r.status(), r::toString);
    assertEquals("PAYLOAD_TOO_LARGE", r.errorCode());
  }

  /**
   * Requests the HTTP server refuses before any route sees them (a bad percent-escape, a URI over
   * its limit) get the API's JSON error too. Sent over a raw socket: Java's clients refuse to send them.
   */
  @Test
  void requestsTooMalformedForTheRoutesGetAJsonErrorToo() throws Exception {
    int port = java.net.URI.create(api.base()).getPort();
    for (var c : Map.of("/v1/orders/%ZZ", "400 MALFORMED_REQUEST",
        "/v1/orders/" + "x".repeat(10_000), "414 URI_TOO_LONG").entrySet()) {
      String response;
      try (var socket = new java.net.Socket("127.0.0.1", port)) {
        socket.getOutputStream().write(("GET " + c.getKey() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret-in-header"
            + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      String[] expected = c.getValue().split(" ");
      assertTrue(response.startsWith("HTTP/1.1 " + expected[0] + " "), response);
      assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), response);
      var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertEquals(expected[1], body.path("error").path("code").asText(), response);
      assertTrue(!response.contains("secret-in-header"), "nothing of the request is echoed");
    }
  }

  @Test
  void everyV1RouteNeedsAValidBearerToken() {
    assertEquals(401, api.withToken(null).get("/v1/orders/o-000000000000000000000000000000").status());
    Api.Response wrong = api.withToken("nope").put("/v1/warehouses/WX", Api.obj().put("name", "x").put("country", "PH"));
    assertEquals(401, wrong.status());
    assertEquals("UNAUTHORIZED", wrong.errorCode());
    assertEquals(404, api.get("/v1/warehouses/WX").status(), "the refused PUT created nothing");
    assertEquals(200, api.withToken(null).get("/health").status());
    assertEquals(200, api.withToken(null).get("/ready").status());
  }

  @Test
  void theOpenApiDocumentDescribesEveryRoute() {
    assertEquals(401, api.withToken(null).get("/v1/openapi.yaml").status(), "every /v1 route takes the token");
    Api.Response doc = api.get("/v1/openapi.yaml");
    assertEquals(200, doc.status());
    for (String path : new String[] {
        "/v1/warehouses/{warehouseId}:", "/v1/warehouses/{warehouseId}/receipts:",
        "/v1/warehouses/{warehouseId}/stock/{clientId}/{sku}:", "/v1/clients/{clientId}:",
        "/v1/clients/{clientId}/products/{sku}:", "/v1/stores/{storeId}:", "/v1/stores/{storeId}/sku-mappings:",
        "/v1/stores/{storeId}/sku-mappings/{platformSku}:", "/v1/stores/{storeId}/orders:",
        "/v1/stores/{storeId}/orders:stream:", "/v1/orders/{orderId}:", "/v1/orders/{orderId}/review:",
        "/v1/orders/{orderId}/freeze:", "/v1/orders/{orderId}/unfreeze:", "/v1/orders/{orderId}/void:",
        "/v1/orders/{orderId}/ship:", "/health:", "/ready:", "/v1/clients/{clientId}/adjustments:",
        "/v1/customer-groups/{groupId}:", "/v1/recharges/{rechargeId}/approve:", "/v1/packages/{packageId}/ship:",
        "/v1/warehouses/{warehouseId}/packages:build:", "/v1/carriers/{carrierCode}:", "/v1/dashboard:",
        "/v1/clients/{clientId}/statements/{statementNo}:"}) {
      assertTrue(doc.raw().contains(path), "openapi.yaml lacks " + path);
    }
  }

  @Test
  void mappingsCanBeListedReplacedAndDeleted() {
    World w = world(false, "CUP", "LID");
    Fixtures.mapping(api, w.store, "P-CUP", Map.of("LID", 1L));
    var listed = api.get("/v1/stores/" + w.store + "/sku-mappings").body().path("mappings");
    assertEquals(2, listed.size());
    assertEquals(204, api.delete("/v1/stores/" + w.store + "/sku-mappings/P-LID").status());
    assertEquals(404, api.delete("/v1/stores/" + w.store + "/sku-mappings/P-LID").status());
    var after = api.get("/v1/stores/" + w.store + "/sku-mappings").body().path("mappings");
    assertEquals(1, after.size());
    assertEquals("LID", after.get(0).path("components").get(0).path("sku").asText());
  }
}
