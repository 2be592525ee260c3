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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routing to warehouses and merging released orders into packages, on a real node. */
class PackagingApiTest extends OneNodePerClass {

  @BeforeAll
  static void setUp() throws Exception {
    ok(api.put("/v1/carriers/JNT", Api.obj().put("name", "J&T Express").put("maxOrdersPerPackage", 15)));
  }


  private record World(String warehouse, String client, String store) {}

  private static World world(boolean autoRelease) {
    int n = SEQ.incrementAndGet();
    World w = new World("PW" + n, "PC" + n, "PS" + n);
    Fixtures.setUp(api, w.warehouse, w.client, w.store, false, "CUP");
    ok(api.put("/v1/stores/" + w.store, Api.obj().put("clientId", w.client).put("platform", "SHOPEE").put("shortName", "s")
        .put("defaultWarehouseId", w.warehouse).put("autoReview", false).put("autoRelease", autoRelease)));
    ok(receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 1000L)));
    return w;
  }

  private static ObjectNode warehouse(String name, int priority, String country, String... prefixes) {
    ObjectNode body = Api.obj().put("name", name).put("country", country).put("priority", priority);
    var cov = Api.obj().put("country", country);
    var arr = cov.putArray("postalPrefixes");
    for (String p : prefixes) {
      arr.add(p);
    }
    body.putArray("coverage").add(cov);
    return body;
  }

  private static String allocated(World w, String platformOrderNo) {
    String id = api.post("/v1/stores/" + w.store + "/orders", order(platformOrderNo, "P-CUP", 1)).text("orderId");
    Api.Response r = api.post("/v1/orders/" + id + "/review", null);
    assertTrue(r.text("state").equals("ALLOCATED") || r.text("state").equals("RELEASED"), r::toString);
    return id;
  }

  private static JsonNode build(World w) {
    Api.Response r = api.post("/v1/warehouses/" + w.warehouse + "/packages:build", Api.obj().put("clientId", w.client).put("carrier", "JNT"));
    assertEquals(200, r.status(), r::toString);
    return r.body();
  }

  @Test
  void reviewRoutesByLongestPrefixThenFallsBackToAWarehouseThatHasTheStock() {
    int n = SEQ.incrementAndGet();
    String wide = "RW-WIDE" + n;
    String narrow = "RW-NARROW" + n;
    String client = "RC" + n;
    String store = "RS" + n;
    Fixtures.setUp(api, wide, client, store, false, "CUP");
    ok(api.put("/v1/warehouses/" + wide, warehouse("Luzon", 10, "PH", "2")));
    ok(api.put("/v1/warehouses/" + narrow, warehouse("Tarlac", 1, "PH", "2307")));
    ok(receive(api, narrow, client, "GRN-1", Map.of("CUP", 1L)));
    ok(receive(api, wide, client, "GRN-1", Map.of("CUP", 5L)));

    // 2307 is covered by both: the longer prefix wins over the higher priority
    String first = api.post("/v1/stores/" + store + "/orders", order("R-1", "P-CUP", 1)).text("orderId");
    Api.Response r1 = api.post("/v1/orders/" + first + "/review", null);
    assertEquals("ALLOCATED", r1.text("state"), r1::toString);
    assertEquals(narrow, r1.text("warehouseId"));
    assertEquals("COVERAGE", r1.body().path("routing").path("rule").asText());
    assertTrue(r1.body().path("routing").path("reasons").size() > 0);

    // the narrow warehouse is now empty: the next covering one that has the stock takes it
    String second = api.post("/v1/stores/" + store + "/orders", order("R-2", "P-CUP", 1)).text("orderId");
    Api.Response r2 = api.post("/v1/orders/" + second + "/review", null);
    assertEquals("ALLOCATED", r2.text("state"), r2::toString);
    assertEquals(wide, r2.text("warehouseId"));
    assertEquals("COVERAGE_FALLBACK", r2.body().path("routing").path("rule").asText());

    // chosen by hand before review: that warehouse, whatever the coverage
    String third = api.post("/v1/stores/" + store + "/orders", order("R-3", "P-CUP", 1)).text("orderId");
    assertEquals(422, api.put("/v1/orders/" + third + "/warehouse", Api.obj().put("warehouseId", "NOPE")).status());
    ok(api.put("/v1/orders/" + third + "/warehouse", Api.obj().put("warehouseId", wide)));
    Api.Response r3 = api.post("/v1/orders/" + third + "/review", null);
    assertEquals(wide, r3.text("warehouseId"));
    assertEquals("MANUAL", r3.body().path("routing").path("rule").asText());
    assertEquals(409, api.put("/v1/orders/" + third + "/warehouse", Api.obj().put("warehouseId", narrow)).status(),
        "after review the warehouse is fixed");
  }

  @Test
  void fortyOrdersToOneRecipientMakePackagesOf15And15And10() {
    World w = world(false);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(allocated(w, "M40-" + i));
    }
    List<CompletableFuture<Api.Response>> releases = ids.stream()
        .map(id -> api.sendAsync("POST", "/v1/orders/" + id + "/release", null)).toList();
    releases.forEach(f -> assertEquals("RELEASED", f.join().text("state")));
    JsonNode built = build(w);
    List<Integer> sizes = new ArrayList<>();
    Set<String> packed = new HashSet<>();
    for (JsonNode p : built.path("packages")) {
      sizes.add(p.path("orderIds").size());
      p.path("orderIds").forEach(id -> assertTrue(packed.add(id.asText()), "order in two packages: " + id));
      assertEquals("OPEN", p.path("state").asText());
      assertEquals(w.client, p.path("clientId").asText());
    }
    assertEquals(List.of(15, 15, 10), sizes);
    assertEquals(new HashSet<>(ids), packed);
    ids.forEach(id -> assertEquals("PACKED", api.get("/v1/orders/" + id).text("state")));
    assertEquals(0, build(w).path("packages").size(), "a second build finds nothing left to pack");
  }

  /** A build drops a group nothing waits in from the warehouse's index; the recipient's next order brings it back. */
  @Test
  void ordersJoiningARecipientsGroupAfterEachBuildArePackedByTheNext() {
    World w = world(false);
    for (int round = 0; round < 3; round++) {
      String id = allocated(w, "NEXT-" + round);
      assertEquals("RELEASED", api.post("/v1/orders/" + id + "/release", null).text("state"));
      JsonNode built = build(w);
      assertEquals(1, built.path("packages").size(), built::toString);
      assertEquals(id, built.path("packages").get(0).path("orderIds").get(0).asText());
    }
  }

  @Test
  void concurrentBuildsNeverPackageAnOrderTwice() {
    World w = world(true); // autoRelease: allocated orders go straight to their merge group
    for (int r = 0; r < 3; r++) {
      for (int i = 0; i < 12; i++) {
        ObjectNode o = order("CB-" + r + "-" + i, "P-CUP", 1);
        ((ObjectNode) o.path("recipient")).put("name", "Recipient " + r);
        String id = api.post("/v1/stores/" + w.store + "/orders", o).text("orderId");
        assertEquals("RELEASED", api.post("/v1/orders/" + id + "/review", null).text("state"));
      }
    }
    List<CompletableFuture<Api.Response>> builds = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      builds.add(api.sendAsync("POST", "/v1/warehouses/" + w.warehouse + "/packages:build",
          Api.obj().put("clientId", w.client).put("carrier", "JNT")));
    }
    Set<String> packed = new HashSet<>();
    int packages = 0;
    for (CompletableFuture<Api.Response> f : builds) {
      Api.Response r = f.join();
      assertEquals(200, r.status(), r::toString);
      for (JsonNode p : r.body().path("packages")) {
        packages++;
        String recipient = p.path("recipient").path("name").asText();
        for (JsonNode id : p.path("orderIds")) {
          assertTrue(packed.add(id.asText()), "order packaged twice: " + id);
          assertEquals(recipient, api.get("/v1/orders/" + id.asText()).body().path("recipient").path("name").asText(),
              "a package never mixes recipients");
        }
      }
    }
    assertEquals(36, packed.size());
    assertEquals(3, packages, "one package per recipient (12 <= 15)");
  }

  @Test
  void shippingAPackageShipsEveryOrderWithItsTrackingNumberAndCommitsStock() {
    World w = world(true);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(allocated(w, "SHIP-" + i));
    }
    JsonNode pkg = build(w).path("packages").get(0);
    String packageId = pkg.path("packageId").asText();
    assertEquals(5, pkg.path("orderIds").size());
    assertEquals(409, api.post("/v1/orders/" + ids.get(0) + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "X")).status(),
        "a packed order ships with its package");
    Api.Response shipped = api.post("/v1/packages/" + packageId + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "JT-PKG-1"));
    assertEquals(200, shipped.status(), shipped::toString);
    assertEquals("SHIPPED", shipped.text("state"));
    for (String id : ids) {
      JsonNode o = api.get("/v1/orders/" + id).body();
      assertEquals("SHIPPED", o.path("state").asText());
      assertEquals("JT-PKG-1", o.path("trackingNo").asText());
      assertEquals(packageId, o.path("packageId").asText());
    }
    JsonNode stock = api.get("/v1/warehouses/" + w.warehouse + "/stock/" + w.client + "/CUP").body();
    assertEquals(995, stock.path("onHand").asLong());
    assertEquals(0, stock.path("reserved").asLong());
    assertEquals(5, stock.path("shipped").asLong());
    Api.Response again = api.post("/v1/packages/" + packageId + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "JT-PKG-2"));
    assertEquals(409, again.status(), "a shipped package ships once");
    assertEquals("JT-PKG-1", api.get("/v1/packages/" + packageId).text("trackingNo"));
  }

  @Test
  void aTrackingNumberShipsOnePackageOnlyAndARetryOfThatShipIsAnsweredAsDone() {
    World first = world(true);
    World second = world(true);
    World lone = world(false);
    String firstOrder = allocated(first, "TRK-1");
    allocated(second, "TRK-2");
    String loneOrder = allocated(lone, "TRK-3");
    String firstPackage = build(first).path("packages").get(0).path("packageId").asText();
    String secondPackage = build(second).path("packages").get(0).path("packageId").asText();
    String number = "JT-ONCE-" + SEQ.incrementAndGet();
    var body = Api.obj().put("carrier", "JNT").put("trackingNo", number);

    ok(api.post("/v1/packages/" + firstPackage + "/ship", body));
    Api.Response taken = api.post("/v1/packages/" + secondPackage + "/ship", body);
    assertEquals(409, taken.status(), taken::toString);
    assertEquals("TRACKING_NO_IN_USE", taken.body().path("error").path("code").asText());
    assertEquals("OPEN", api.get("/v1/packages/" + secondPackage).text("state"), "nothing shipped");
    Api.Response loneTaken = api.post("/v1/orders/" + loneOrder + "/ship", body);
    assertEquals(409, loneTaken.status(), loneTaken::toString);
    assertEquals("ALLOCATED", api.get("/v1/orders/" + loneOrder).text("state"));

    assertEquals(200, api.post("/v1/packages/" + firstPackage + "/ship", body).status(), "a retried ship");
    Api.Response orderOfThePackage = api.post("/v1/orders/" + firstOrder + "/ship", body);
    assertEquals(200, orderOfThePackage.status(), "the order shipped under this number in its package: " + orderOfThePackage);
    assertEquals(number, orderOfThePackage.text("trackingNo"));
    assertEquals(200, api.post("/v1/packages/" + secondPackage + "/ship", body.put("carrier", "JNT").put("trackingNo", number + "-B")).status());
  }

  @Test
  void aPackageOverItsCarriersLimitIsNotShippedAndTheNumberStaysFree() {
    int n = SEQ.incrementAndGet();
    String small = "SMALL" + n;
    ok(api.put("/v1/carriers/" + small, Api.obj().put("name", "Small parcels").put("maxOrdersPerPackage", 2)));
    World w = world(true);
    World lone = world(false);
    for (int i = 0; i < 3; i++) {
      allocated(w, "BIG-" + i);
    }
    String loneOrder = allocated(lone, "BIG-LONE");
    JsonNode pkg = build(w).path("packages").get(0);
    assertEquals(3, pkg.path("orderIds").size(), "built for JNT, which takes 15");
    String packageId = pkg.path("packageId").asText();
    String number = "SM-" + n;

    Api.Response refused = api.post("/v1/packages/" + packageId + "/ship", Api.obj().put("carrier", small).put("trackingNo", number));
    assertEquals(422, refused.status(), refused::toString);
    assertEquals("PACKAGE_TOO_LARGE", refused.body().path("error").path("code").asText());
    assertEquals("OPEN", api.get("/v1/packages/" + packageId).text("state"));
    pkg.path("orderIds").forEach(id -> assertEquals("PACKED", api.get("/v1/orders/" + id.asText()).text("state")));

    Api.Response loneShipped = api.post("/v1/orders/" + loneOrder + "/ship", Api.obj().put("carrier", small).put("trackingNo", number));
    assertEquals(200, loneShipped.status(), "the refused package released the number: " + loneShipped);
    ok(api.post("/v1/packages/" + packageId + "/remove-order", Api.obj().put("orderId", pkg.path("orderIds").get(0).asText()).put("reason", "too many")));
    Api.Response fits = api.post("/v1/packages/" + packageId + "/ship", Api.obj().put("carrier", small).put("trackingNo", number + "-2"));
    assertEquals(200, fits.status(), fits::toString);
  }

  @Test
  void removedOrdersGoBackToReleasedAndFrozenOrdersStayOut() {
    World w = world(true);
    String a = allocated(w, "RM-A");
    String b = allocated(w, "RM-B");
    String frozen = allocated(w, "RM-F");
    ok(api.post("/v1/orders/" + frozen + "/freeze", null));
    JsonNode built = build(w);
    assertEquals(1, built.path("failed").size());
    assertEquals(frozen, built.path("failed").get(0).path("orderId").asText());
    assertEquals("ORDER_FROZEN", built.path("failed").get(0).path("code").asText());
    String packageId = built.path("packages").get(0).path("packageId").asText();
    assertEquals(409, api.post("/v1/orders/" + a + "/void", null).status(), "take it out of its package first");

    Api.Response removed = api.post("/v1/packages/" + packageId + "/remove-order", Api.obj().put("orderId", a).put("reason", "out of stock"));
    assertEquals(200, removed.status(), removed::toString);
    assertEquals("RELEASED", api.get("/v1/orders/" + a).text("state"));
    assertEquals(List.of(b), List.of(api.get("/v1/packages/" + packageId).body().path("orderIds").get(0).asText()));
    Api.Response emptied = api.post("/v1/packages/" + packageId + "/remove-order", Api.obj().put("orderId", b).put("reason", "x"));
    assertEquals(true, emptied.body().path("dropped").asBoolean(), emptied::toString);
    assertEquals(404, api.get("/v1/packages/" + packageId).status(), "an emptied package is dropped");
    assertEquals(404, api.post("/v1/packages/" + packageId + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "T")).status());

    ok(api.post("/v1/orders/" + frozen + "/unfreeze", null));
    JsonNode rebuilt = build(w);
    Set<String> packed = new HashSet<>();
    rebuilt.path("packages").forEach(p -> p.path("orderIds").forEach(id -> packed.add(id.asText())));
    assertEquals(Set.of(a, b, frozen), packed, "removed and thawed orders are packed by a later build");
  }

  @Test
  void badInputIsRefused() {
    World w = world(false);
    String pending = api.post("/v1/stores/" + w.store + "/orders", order("BAD-R", "P-CUP", 1)).text("orderId");
    Api.Response release = api.post("/v1/orders/" + pending + "/release", null);
    assertEquals(409, release.status());
    assertEquals("PENDING", release.body().path("error").path("currentState").asText());
    assertEquals(400, api.put("/v1/carriers/BAD", Api.obj().put("name", "x").put("maxOrdersPerPackage", 0)).status());
    Api.Response prefix = api.put("/v1/warehouses/" + w.warehouse, warehouse("x", 0, "PH", "12!"));
    assertEquals(400, prefix.status(), prefix::toString);
    assertTrue(prefix.body().path("error").path("field").asText().startsWith("coverage[0].postalPrefixes"), prefix::toString);
    assertEquals(0, api.get("/v1/warehouses/" + w.warehouse).body().path("coverage").size(), "the refused PUT changed nothing");
    assertEquals(422, api.post("/v1/warehouses/" + w.warehouse + "/packages:build", Api.obj().put("carrier", "NOPE")).status());
    assertEquals(404, api.get("/v1/packages/nope").status());
    // '|' cannot be in an entity id: not found at once, not a group that fails to start
    assertEquals(404, api.get("/v1/packages/a%7Cb~P1").status());
    assertEquals(404, api.post("/v1/packages/a%7Cb~P1/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "T")).status());
    assertEquals(404, api.post("/v1/packages/" + w.warehouse + "~x~y~P9/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "T")).status());
    assertEquals(422, api.post("/v1/packages/" + w.warehouse + "~x~y~P9/ship", Api.obj().put("carrier", "NOPE").put("trackingNo", "T")).status());
  }
}
