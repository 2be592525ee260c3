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
import dev.wharf.http.support.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 3PL billing over HTTP on a real node: recharge, review holds, ship charges, statements, penalties. */
class BillingApiTest extends OneNodePerClass {

  @BeforeAll
  static void setUp() throws Exception {
    // VIP: 2.00 per order + 0.50 per additional unit out; 5.00 per receipt + 0.10 per unit in
    ObjectNode fees = Api.obj();
    fees.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(200, "USD")).set("perAdditionalUnit", money(50, "USD")));
    fees.set("inbound", Api.obj().<ObjectNode>set("perReceipt", money(500, "USD")).set("perUnit", money(10, "USD")));
    fees.set("return", Api.obj().<ObjectNode>set("perReturn", money(100, "USD")).set("perUnit", money(0, "USD")));
    Api.Response group = api.put("/v1/customer-groups/VIP", Api.obj().put("name", "VIP").set("fees", fees));
    assertEquals(201, group.status(), group::toString);
  }


  private static ObjectNode money(long amount, String currency) {
    return Api.obj().put("amount", amount).put("currency", currency);
  }

  private record World(String warehouse, String client, String store) {}

  private static World world() {
    int n = SEQ.incrementAndGet();
    World w = new World("WH" + n, "C" + n, "S" + n);
    Fixtures.setUp(api, w.warehouse, w.client, w.store, false, "CUP");
    ok(api.put("/v1/clients/" + w.client + "/billing", Api.obj().put("groupId", "VIP").set("creditLimit", money(0, "USD"))));
    return w;
  }

  private static JsonNode account(World w) {
    return api.get("/v1/clients/" + w.client + "/account").body();
  }

  private static String recharge(World w, long amount, String reference) {
    Api.Response r = api.post("/v1/clients/" + w.client + "/recharges", Api.obj()
        .put("method", "BANK_TRANSFER").put("reference", reference).put("note", "top-up").set("amount", money(amount, "USD")));
    assertEquals(201, r.status(), r::toString);
    assertEquals("PENDING", r.text("status"));
    return r.text("rechargeId");
  }

  @Test
  void rechargeReviewShipLedgerAndStatement() {
    World w = world();
    String rc = recharge(w, 10_000, "BT-" + w.client);
    assertTrue(api.get("/v1/dashboard").body().path("pendingRecharges").asInt() >= 1);
    assertTrue(api.get("/v1/recharges?status=PENDING").raw().contains(rc));
    assertEquals(0, account(w).path("balance").path("amount").asLong(), "only approval credits");
    // a retried submission is the same recharge
    Api.Response again = api.post("/v1/clients/" + w.client + "/recharges", Api.obj()
        .put("method", "BANK_TRANSFER").put("reference", "BT-" + w.client).set("amount", money(10_000, "USD")));
    assertEquals(200, again.status());
    assertEquals(rc, again.text("rechargeId"));

    Api.Response approved = api.post("/v1/recharges/" + rc + "/approve", null);
    assertEquals("APPROVED", approved.text("status"), approved::toString);
    assertEquals(10_000, account(w).path("balance").path("amount").asLong());
    assertEquals(409, api.post("/v1/recharges/" + rc + "/approve", null).status());
    assertEquals(409, api.post("/v1/recharges/" + rc + "/reject", Api.obj().put("reason", "late")).status());
    assertEquals(10_000, account(w).path("balance").path("amount").asLong(), "approving twice credits once");

    // a receipt charges the inbound fee: 5.00 + 20 x 0.10
    Api.Response receipt = receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 20L));
    assertEquals(700, receipt.body().path("inboundFee").path("amount").asLong(), receipt::toString);
    receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 20L));
    assertEquals(9_300, account(w).path("balance").path("amount").asLong(), "a retried receipt is charged once");

    // review holds the outbound fee (2.00 + 2 x 0.50), ship charges it
    String orderId = api.post("/v1/stores/" + w.store + "/orders", order("FEE-1", "P-CUP", 3)).text("orderId");
    Api.Response reviewed = api.post("/v1/orders/" + orderId + "/review", null);
    assertEquals("ALLOCATED", reviewed.text("state"));
    assertEquals(300, reviewed.body().path("outboundFee").path("amount").asLong());
    assertEquals(1, reviewed.body().path("feeRuleVersion").asInt());
    JsonNode held = account(w);
    assertEquals(300, held.path("held").path("amount").asLong());
    assertEquals(9_000, held.path("available").path("amount").asLong());
    ok(api.post("/v1/orders/" + orderId + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "JT-1")));
    JsonNode shipped = account(w);
    assertEquals(9_000, shipped.path("balance").path("amount").asLong());
    assertEquals(0, shipped.path("held").path("amount").asLong());
    assertEquals("NoBalance", api.get("/v1/orders/" + orderId).text("settlement"));

    JsonNode ledger = api.get("/v1/clients/" + w.client + "/ledger").body();
    var kinds = new java.util.ArrayList<String>();
    long sum = 0;
    for (JsonNode e : ledger.path("entries")) {
      kinds.add(e.path("kind").asText());
      sum += e.path("amount").path("amount").asLong();
    }
    assertEquals(java.util.List.of("RECHARGE", "FEE_INBOUND", "HOLD", "FEE_OUTBOUND"), kinds);
    assertEquals(9_000, sum, "the ledger sums to the balance");

    String csv = csvLedger(w);
    assertTrue(csv.startsWith("entryNo,at,kind,sourceId,amount"), csv);
    assertTrue(csv.contains(",FEE_OUTBOUND," + orderId + ",-300,-300,9000,0,USD,VIP,1,"), csv);

    Api.Response statement = api.post("/v1/clients/" + w.client + "/statements", Api.obj());
    assertEquals(201, statement.status(), statement::toString);
    assertEquals(9_000, statement.body().path("closingBalance").path("amount").asLong());
    assertEquals(statement.text("statementNo"), api.get("/v1/orders/" + orderId).text("settlement"));
    assertEquals(409, api.post("/v1/clients/" + w.client + "/statements", Api.obj()).status(), "nothing left to settle");
  }

  /**
   * A receipt reference stands for its lines: used again with other lines it is refused before
   * any stock moves (each SKU's stock used to apply it if new to that SKU and skip it otherwise,
   * and the answer echoed quantities and a fee that were never applied). The same lines again,
   * in any order, answer as the first time.
   */
  @Test
  void aReceiptReferenceReusedWithOtherLinesIsRefusedAndChangesNothing() {
    World w = world();
    ok(api.put("/v1/clients/" + w.client + "/products/MUG", Api.obj().put("name", "Mug")));
    ok(api.post("/v1/recharges/" + recharge(w, 10_000, "BT-R" + w.client) + "/approve", null));
    Api.Response first = receive(api, w.warehouse, w.client, "GRN-R", Map.of("CUP", 5L));
    assertEquals(550, first.body().path("inboundFee").path("amount").asLong(), first::toString);

    Api.Response corrected = receive(api, w.warehouse, w.client, "GRN-R", Map.of("CUP", 50L));
    assertEquals(409, corrected.status(), corrected::toString);
    assertEquals("CONFLICT", corrected.body().path("error").path("code").asText(), corrected::toString);
    Api.Response added = receive(api, w.warehouse, w.client, "GRN-R", Map.of("MUG", 3L, "CUP", 5L));
    assertEquals(409, added.status(), added::toString);
    assertEquals(5, stock(w, "CUP").path("onHand").asLong());
    assertEquals(0, stock(w, "MUG").path("onHand").asLong(), "a SKU new to the reference gets nothing either");
    assertEquals(9_450, account(w).path("balance").path("amount").asLong(), "one fee");

    Api.Response again = receive(api, w.warehouse, w.client, "GRN-R", Map.of("CUP", 5L));
    assertEquals(200, again.status(), again::toString);
    assertEquals(first.body(), again.body(), "a retry answers as the first time");
    // the same reference is another receipt for another client
    World other = world();
    ok(api.post("/v1/recharges/" + recharge(other, 10_000, "BT-R" + other.client) + "/approve", null));
    Api.Response elsewhere = receive(api, other.warehouse, other.client, "GRN-R", Map.of("CUP", 7L));
    assertEquals(7, elsewhere.body().path("lines").get(0).path("onHand").asLong(), elsewhere::toString);
  }

  /**
   * A fee the account cannot take (its group chose another currency after the client joined) is
   * refused before any stock moves: the receipt used to put the goods in stock and answer 422.
   */
  @Test
  void aReceiptWhoseFeeTheAccountCannotTakeChangesNoStock() {
    World w = world();
    String group = "EU" + SEQ.incrementAndGet();
    assertEquals(201, api.put("/v1/customer-groups/" + group, Api.obj().put("name", "no fees yet").set("fees", Api.obj()))
        .status());
    ok(api.put("/v1/clients/" + w.client + "/billing", Api.obj().put("groupId", group).set("creditLimit", money(0, "USD"))));
    ObjectNode euros = Api.obj().put("name", "EUR fees");
    euros.set("fees", Api.obj().set("inbound", Api.obj().set("perReceipt", money(500, "EUR"))));
    ok(api.put("/v1/customer-groups/" + group, euros));

    for (int attempt = 0; attempt < 2; attempt++) {
      Api.Response refused = receive(api, w.warehouse, w.client, "GRN-EU", Map.of("CUP", 5L));
      assertEquals(422, refused.status(), refused::toString);
      assertEquals("CURRENCY_MISMATCH", refused.errorCode());
      assertEquals(0, stock(w, "CUP").path("onHand").asLong(), "no stock moved");
    }
    assertEquals(0, account(w).path("balance").path("amount").asLong());

    // the refused receipt did not take its reference: once the fee is sorted out, a corrected
    // receipt (other lines) under it is received, not refused as "booked with other lines"
    ok(api.put("/v1/customer-groups/" + group, Api.obj().put("name", "no fees again").set("fees", Api.obj())));
    Api.Response corrected = receive(api, w.warehouse, w.client, "GRN-EU", Map.of("CUP", 7L));
    assertEquals(200, corrected.status(), corrected::toString);
    assertEquals(7, stock(w, "CUP").path("onHand").asLong());
  }

  /** A fee past what any balance may reach is refused before any stock moves too, retries included. */
  @Test
  void aReceiptWhoseFeeNoBalanceCanTakeChangesNoStock() {
    World w = world();
    String group = "HUGE" + SEQ.incrementAndGet();
    ObjectNode huge = Api.obj().put("name", "huge inbound fee");
    huge.set("fees", Api.obj().set("inbound", Api.obj().set("perUnit", money(1_000_000_000_000_000L, "USD"))));
    assertEquals(201, api.put("/v1/customer-groups/" + group, huge).status());
    ok(api.put("/v1/clients/" + w.client + "/billing", Api.obj().put("groupId", group).set("creditLimit", money(0, "USD"))));
    for (int attempt = 0; attempt < 2; attempt++) {
      Api.Response refused = receive(api, w.warehouse, w.client, "GRN-HUGE", Map.of("CUP", 1001L));
      assertEquals(422, refused.status(), refused::toString);
      assertEquals("AMOUNT_TOO_LARGE", refused.errorCode());
      assertEquals(0, stock(w, "CUP").path("onHand").asLong(), "no stock moved");
    }
    assertEquals(0, account(w).path("balance").path("amount").asLong());
  }

  private static JsonNode stock(World w, String sku) {
    return api.get("/v1/warehouses/" + w.warehouse + "/stock/" + w.client + "/" + sku).body();
  }

  /** Statements are streamed oldest first, each with the orders it settled, in pages, and read one by one by number. */
  @Test
  void statementsAreListedOldestFirstAndReadOneByOne() {
    World w = world();
    JsonNode none = api.get("/v1/clients/" + w.client + "/statements").body();
    assertEquals(w.client, none.path("clientId").asText());
    assertTrue(none.path("statements").isArray() && none.path("statements").isEmpty(), none::toString);
    ok(api.post("/v1/recharges/" + recharge(w, 10_000, "BT-ST-" + w.client) + "/approve", null));
    receive(api, w.warehouse, w.client, "GRN-ST", Map.of("CUP", 20L));

    String o1 = shipped(w, "ST-1");
    String o2 = shipped(w, "ST-2");
    Api.Response first = api.post("/v1/clients/" + w.client + "/statements", Api.obj());
    assertEquals(201, first.status(), first::toString);
    String o3 = shipped(w, "ST-3");
    Api.Response second = api.post("/v1/clients/" + w.client + "/statements", Api.obj());
    assertEquals(201, second.status(), second::toString);
    // a close retried with the latest statement's period end (its answer lost) gets that statement
    Api.Response retried = api.post("/v1/clients/" + w.client + "/statements", Api.obj().put("periodTo", second.text("periodTo")));
    assertEquals(200, retried.status(), retried::toString);
    assertEquals(second.body(), retried.body());
    Api.Response older = api.post("/v1/clients/" + w.client + "/statements", Api.obj().put("periodTo", first.text("periodTo")));
    assertEquals(409, older.status(), "only the latest statement answers a retry");

    JsonNode listed = api.get("/v1/clients/" + w.client + "/statements").body().path("statements");
    assertEquals(2, listed.size(), listed::toString);
    assertEquals(first.body(), listed.get(0), "listed as it was closed");
    assertEquals(second.body(), listed.get(1));
    assertEquals(java.util.Set.of(o1, o2), orderIds(listed.get(0)));
    assertEquals(java.util.Set.of(o3), orderIds(listed.get(1)));

    for (JsonNode statement : listed) {
      Api.Response one = api.get("/v1/clients/" + w.client + "/statements/" + statement.path("statementNo").asText());
      assertEquals(200, one.status(), one::toString);
      assertEquals(statement, one.body());
    }
    // pages: at most `limit`, from the one after `after`
    String statements = "/v1/clients/" + w.client + "/statements";
    assertEquals(List.of(listed.get(0)), list(api.get(statements + "?limit=1").body().path("statements")));
    String firstNo = first.text("statementNo");
    assertEquals(List.of(listed.get(1)), list(api.get(statements + "?after=" + firstNo + "&limit=1").body().path("statements")));
    assertEquals(List.of(listed.get(1)), list(api.get(statements + "?after=" + firstNo).body().path("statements")));
    assertEquals(List.of(), list(api.get(statements + "?after=" + second.text("statementNo")).body().path("statements")));
    for (String bad : new String[] {"limit=0", "limit=1001", "limit=two", "after=ST-NOPE-9999"}) {
      Api.Response refused = api.get(statements + "?" + bad);
      assertEquals(400, refused.status(), bad);
      assertEquals(bad.substring(0, bad.indexOf('=')), refused.body().path("error").path("field").asText(), refused::toString);
    }

    Api.Response unknown = api.get("/v1/clients/" + w.client + "/statements/ST-NOPE-9999");
    assertEquals(404, unknown.status());
    assertEquals("NOT_FOUND", unknown.body().path("error").path("code").asText(), unknown::toString);
    assertEquals(404, api.get("/v1/clients/NO-SUCH-CLIENT/statements").status());
    assertEquals(404, api.get("/v1/clients/NO-SUCH-CLIENT/statements/" + first.text("statementNo")).status());
  }

  private static List<JsonNode> list(JsonNode array) {
    var items = new java.util.ArrayList<JsonNode>();
    array.forEach(items::add);
    return items;
  }

  private static java.util.Set<String> orderIds(JsonNode statement) {
    var ids = new java.util.HashSet<String>();
    statement.path("orderIds").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  /** An order of one CUP taken in, reviewed and shipped: its outbound fee is charged. */
  private static String shipped(World w, String reference) {
    String orderId = api.post("/v1/stores/" + w.store + "/orders", order(reference, "P-CUP", 1)).text("orderId");
    assertEquals("ALLOCATED", api.post("/v1/orders/" + orderId + "/review", null).text("state"));
    ok(api.post("/v1/orders/" + orderId + "/ship", Api.obj().put("carrier", "JNT").put("trackingNo", "JT-" + reference)));
    return orderId;
  }

  /** The ledger is streamed from the journal: every entry, in order, as JSON and as CSV, in pages; an empty one too. */
  @Test
  void aLongLedgerComesWholeAndInOrder() {
    World w = world();
    assertEquals(0, api.get("/v1/clients/" + w.client + "/ledger").body().path("entries").size());
    assertTrue(api.get("/v1/clients/" + w.client + "/ledger").body().path("entries").isArray());
    var sent = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Api.Response>>();
    for (int i = 0; i < 600; i++) {
      ObjectNode body = Api.obj().put("kind", "ADJUSTMENT").put("reference", "ADJ-" + i).put("note", "line, \"quoted\"");
      body.set("amount", money(i + 1, "USD"));
      sent.add(api.sendAsync("POST", "/v1/clients/" + w.client + "/adjustments", body));
    }
    sent.forEach(f -> assertEquals(200, f.join().status()));
    JsonNode entries = api.get("/v1/clients/" + w.client + "/ledger").body().path("entries");
    assertEquals(600, entries.size());
    long sum = 0;
    for (int i = 0; i < 600; i++) {
      assertEquals(i + 1, entries.get(i).path("entryNo").asLong());
      sum += entries.get(i).path("amount").path("amount").asLong();
    }
    assertEquals(600 * 601 / 2, sum);
    assertEquals(sum, account(w).path("balance").path("amount").asLong());
    String[] lines = csvLedger(w).split("\r\n");
    assertEquals(601, lines.length, "a header and a line per entry");
    assertTrue(lines[600].startsWith("600,") && lines[600].endsWith(",\"line, \"\"quoted\"\"\""), lines[600]);

    // read on in pages where the last one stopped, across a statement
    ok(api.post("/v1/clients/" + w.client + "/statements", Api.obj()));
    ObjectNode late = Api.obj().put("kind", "ADJUSTMENT").put("reference", "ADJ-LATE");
    ok(api.post("/v1/clients/" + w.client + "/adjustments", late.set("amount", money(1, "USD"))));
    List<Long> paged = new java.util.ArrayList<>();
    long after = 0;
    for (int pages = 0; pages < 10; pages++) { // 4 expected; a reader that never moves on fails below
      JsonNode page = api.get("/v1/clients/" + w.client + "/ledger?limit=250&afterEntryNo=" + after).body().path("entries");
      assertTrue(page.size() <= 250, "limit " + page.size());
      if (page.isEmpty()) {
        break;
      }
      page.forEach(e -> paged.add(e.path("entryNo").asLong()));
      after = paged.get(paged.size() - 1);
    }
    assertEquals(java.util.stream.LongStream.rangeClosed(1, 601).boxed().toList(), paged, "every entry once, in order");
    for (String bad : new String[] {"limit=0", "limit=10001", "limit=many", "afterEntryNo=-1", "afterEntryNo=last",
        "from=-999999999-01-01T00:00:00Z", "to=+999999999-12-31T23:59:59Z"}) {
      Api.Response refused = api.get("/v1/clients/" + w.client + "/ledger?" + bad);
      assertEquals(400, refused.status(), bad);
      assertEquals(bad.substring(0, bad.indexOf('=')), refused.body().path("error").path("field").asText(), refused::toString);
    }
  }

  private static String csvLedger(World w) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/v1/clients/" + w.client + "/ledger?from=2000-01-01"))
          .header("Authorization", "Bearer " + TestNode.ADMIN_TOKEN).header("Accept", "text/csv").GET().build();
      HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFeeThatDoesNotFitFailsTheReview() {
    World w = world();
    receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 5L)); // inbound fee 5.50 on an empty account
    String orderId = api.post("/v1/stores/" + w.store + "/orders", order("POOR-1", "P-CUP", 1)).text("orderId");
    Api.Response failed = api.post("/v1/orders/" + orderId + "/review", null);
    assertEquals("REVIEW_FAILED", failed.text("state"));
    JsonNode failure = failed.body().path("reviewFailure");
    assertEquals("INSUFFICIENT_FUNDS", failure.path("code").asText());
    assertEquals(200, failure.path("required").path("amount").asLong());
    assertEquals(-550, failure.path("available").path("amount").asLong());
    assertEquals(0, api.get("/v1/warehouses/" + w.warehouse + "/stock/" + w.client + "/CUP").body().path("reserved").asLong());
  }

  @Test
  void cancellationChargesThePenaltyAndCountsInTheMonthlyRate() {
    World w = world();
    api.post("/v1/recharges/" + recharge(w, 5_000, "BT-X" + w.client) + "/approve", null);
    receive(api, w.warehouse, w.client, "GRN-1", Map.of("CUP", 5L));
    String kept = api.post("/v1/stores/" + w.store + "/orders", order("KEEP-1", "P-CUP", 1)).text("orderId");
    api.post("/v1/orders/" + kept + "/review", null);
    String orderId = api.post("/v1/stores/" + w.store + "/orders", order("CXL-1", "P-CUP", 1)).text("orderId");
    api.post("/v1/orders/" + orderId + "/review", null);
    long before = account(w).path("balance").path("amount").asLong();
    Api.Response cancelled = api.post("/v1/orders/" + orderId + "/cancel", Api.obj().put("reason", "out of stock").put("by", "SELLER"));
    assertEquals("CANCELLED", cancelled.text("state"), cancelled::toString);
    assertEquals(100, cancelled.body().path("cancellation").path("penalty").path("amount").asLong());
    assertEquals(before - 100, account(w).path("balance").path("amount").asLong());
    assertEquals(200, account(w).path("held").path("amount").asLong(), "only the kept order's fee is held");
    assertEquals(4, api.get("/v1/warehouses/" + w.warehouse + "/stock/" + w.client + "/CUP").body().path("available").asLong());
    assertEquals(200, api.post("/v1/orders/" + orderId + "/cancel", Api.obj().put("reason", "again").put("by", "SELLER")).status());
    assertEquals(before - 100, account(w).path("balance").path("amount").asLong(), "a retried cancel charges once");
    assertEquals(400, api.post("/v1/orders/" + kept + "/cancel", Api.obj().put("reason", "x").put("by", "BUYER")).status());

    JsonNode rate = api.get("/v1/clients/" + w.client + "/cancellation-rate").body();
    assertEquals(2, rate.path("orders").asLong());
    assertEquals(1, rate.path("cancelled").asLong());
    assertEquals("50.00%", rate.path("rate").asText());
    for (String month : new String[] {"-0001-01", "+12345-01", "2026-13", "2026-1", "Nov"}) {
      assertEquals(400, api.get("/v1/clients/" + w.client + "/cancellation-rate?month=" + month).status(), month);
    }
  }

  /**
   * Penalties are configured in one currency (USD) and nothing is converted: an account in
   * another currency is charged none, and the cancellation says so, instead of answering 200
   * for a penalty its account then refused.
   */
  @Test
  void aCancellationChargesNoPenaltyToAnAccountInAnotherCurrency() {
    ObjectNode fees = Api.obj();
    fees.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(200, "EUR")));
    ok(api.put("/v1/customer-groups/EURO", Api.obj().put("name", "Euro").set("fees", fees)));
    World w = world();
    ok(api.put("/v1/clients/" + w.client + "/billing", Api.obj().put("groupId", "EURO").set("creditLimit", money(0, "EUR"))));
    String orderId = api.post("/v1/stores/" + w.store + "/orders", order("EUR-1", "P-CUP", 1)).text("orderId");
    Api.Response cancelled = api.post("/v1/orders/" + orderId + "/cancel", Api.obj().put("reason", "x").put("by", "BACK_OFFICE"));
    assertEquals(200, cancelled.status(), cancelled::toString);
    assertEquals("CANCELLED", cancelled.text("state"));
    assertEquals(0, cancelled.body().path("cancellation").path("penalty").path("amount").asLong(), cancelled::toString);
    assertEquals("EUR", cancelled.body().path("cancellation").path("penalty").path("currency").asText());
    assertEquals("EUR", account(w).path("balance").path("currency").asText());
    assertEquals(0, api.get("/v1/clients/" + w.client + "/ledger").body().path("entries").size(), "nothing charged");
    assertEquals(404, api.post("/v1/orders/o-000000000000000000000000000000/cancel",
        Api.obj().put("reason", "x").put("by", "SELLER")).status());
  }

  /**
   * The account moved to another currency between a recharge's submission and its approval: the
   * credit is refused, no money moves, and the recharge is PENDING again so it can be decided.
   */
  @Test
  void aRechargeTheAccountCannotTakeIsPendingAgainAfterItsApprovalIsRefused() {
    ObjectNode fees = Api.obj();
    fees.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(100, "EUR")));
    ok(api.put("/v1/customer-groups/EURO-RC", Api.obj().put("name", "Euro recharges").set("fees", fees)));
    World w = world();
    String rc = recharge(w, 1_000, "BT-EUR-" + w.client);
    ok(api.put("/v1/clients/" + w.client + "/billing", Api.obj().put("groupId", "EURO-RC").set("creditLimit", money(0, "EUR"))));

    Api.Response approved = api.post("/v1/recharges/" + rc + "/approve", null);
    assertEquals(422, approved.status(), approved::toString);
    assertEquals("CURRENCY_MISMATCH", approved.errorCode());
    assertEquals("PENDING", api.get("/v1/recharges/" + rc).text("status"));
    assertEquals(0, account(w).path("balance").path("amount").asLong());
    assertEquals(0, api.get("/v1/clients/" + w.client + "/ledger").body().path("entries").size(), "nothing credited");
    Api.Response rejected = api.post("/v1/recharges/" + rc + "/reject", Api.obj().put("reason", "paid in USD"));
    assertEquals(200, rejected.status(), rejected::toString);
    assertEquals("REJECTED", rejected.text("status"));
  }

  @Test
  void rejectedRechargesNeverCreditAndBadAmountsChangeNothing() {
    World w = world();
    String rc = recharge(w, 1_000, "BT-R" + w.client);
    Api.Response rejected = api.post("/v1/recharges/" + rc + "/reject", Api.obj().put("reason", "no such transfer"));
    assertEquals("REJECTED", rejected.text("status"));
    assertEquals("no such transfer", rejected.text("rejectReason"));
    Api.Response approveRejected = api.post("/v1/recharges/" + rc + "/approve", null);
    assertEquals(409, approveRejected.status());
    assertEquals("REJECTED", approveRejected.body().path("error").path("currentState").asText());
    assertEquals(0, account(w).path("balance").path("amount").asLong());

    String path = "/v1/clients/" + w.client + "/recharges";
    assertEquals(400, api.post(path, Api.obj().put("method", "x").put("reference", "r1").set("amount", money(-5, "USD"))).status());
    assertEquals(400, api.post(path, Api.obj().put("method", "x").put("reference", "r2").set("amount", money(0, "USD"))).status());
    Api.Response unknown = api.post(path, Api.obj().put("method", "x").put("reference", "r3").set("amount", money(5, "XYZ")));
    assertEquals(400, unknown.status());
    assertEquals("amount.currency", unknown.body().path("error").path("field").asText());
    Api.Response mismatch = api.post(path, Api.obj().put("method", "x").put("reference", "r4").set("amount", money(5, "EUR")));
    assertEquals(422, mismatch.status());
    assertEquals("CURRENCY_MISMATCH", mismatch.errorCode());
    assertEquals(404, api.post("/v1/recharges/RC-999999/approve", null).status());
    assertEquals(404, api.get("/v1/clients/NOPE/account").status());
    assertEquals(422, api.put("/v1/clients/" + w.client + "/billing", Api.obj().put("groupId", "NOPE")).status());
    assertTrue(api.get("/v1/recharges?status=PENDING").body().path("recharges").findValues("rechargeId").stream()
        .noneMatch(id -> id.asText().equals(rc)));
  }

  @Test
  void refundsAndManualAdjustmentsAreLedgeredOnce() {
    World w = world();
    String path = "/v1/clients/" + w.client + "/adjustments";
    ObjectNode debit = Api.obj().put("reference", "ADJ-1").put("note", "damaged pallet handling");
    debit.set("amount", money(-500, "USD"));
    ObjectNode refund = Api.obj().put("kind", "REFUND").put("reference", "RF-1").put("note", "fee charged twice by hand");
    refund.set("amount", money(200, "USD"));
    assertEquals(200, api.post(path, debit).status());
    assertEquals(200, api.post(path, debit).status());
    assertEquals(200, api.post(path, refund).status());
    assertEquals(200, api.post(path, refund).status());
    assertEquals(-300, account(w).path("balance").path("amount").asLong(), "each applied once");
    var kinds = new java.util.ArrayList<String>();
    api.get("/v1/clients/" + w.client + "/ledger").body().path("entries").forEach(e -> kinds.add(e.path("kind").asText()));
    assertEquals(java.util.List.of("ADJUSTMENT", "REFUND"), kinds);
    // an end (exclusive) at the epoch is an end before every entry, not no end
    for (String to : java.util.List.of("1970-01-01T00:00:00Z", "1969-12-31")) {
      Api.Response before = api.get("/v1/clients/" + w.client + "/ledger?to=" + to);
      assertEquals(200, before.status(), before::toString);
      assertEquals(0, before.body().path("entries").size(), to + ": " + before);
    }
    ObjectNode negativeRefund = Api.obj().put("kind", "REFUND").put("reference", "RF-2");
    negativeRefund.set("amount", money(-1, "USD"));
    assertEquals(400, api.post(path, negativeRefund).status());
    ObjectNode zero = Api.obj().put("reference", "ADJ-2");
    zero.set("amount", money(0, "USD"));
    assertEquals(400, api.post(path, zero).status());
    ObjectNode euros = Api.obj().put("reference", "ADJ-3");
    euros.set("amount", money(100, "EUR"));
    assertEquals(422, api.post(path, euros).status());
    // an amount past 10^15 minor units is a typo, and running totals of it could overflow
    ObjectNode huge = Api.obj().put("reference", "ADJ-4");
    huge.set("amount", money(Long.MAX_VALUE, "USD"));
    Api.Response tooLarge = api.post(path, huge);
    assertEquals(400, tooLarge.status(), tooLarge::toString);
    assertEquals("amount.amount", tooLarge.body().path("error").path("field").asText());
    huge.set("amount", money(1_000_000_000_000_000L, "USD"));
    assertEquals(200, api.post(path, huge).status(), "the largest amount is taken");
    assertEquals(1_000_000_000_000_000L - 300, account(w).path("balance").path("amount").asLong());
    ObjectNode hugeCredit = Api.obj().put("groupId", "VIP");
    hugeCredit.set("creditLimit", money(Long.MAX_VALUE, "USD"));
    assertEquals(400, api.put("/v1/clients/" + w.client + "/billing", hugeCredit).status());

    // an account nothing has moved on yet shows the default currency, and takes only that one
    // (an adjustment in euros used to make it a euro account for good, refusing every USD recharge)
    String fresh = "FRESH" + SEQ.incrementAndGet();
    ok(api.put("/v1/clients/" + fresh, Api.obj().put("name", "Fresh").put("code", "FRSH").put("email", "a@fresh.test")));
    Api.Response foreign = api.post("/v1/clients/" + fresh + "/adjustments", euros);
    assertEquals(422, foreign.status(), foreign::toString);
    assertEquals("CURRENCY_MISMATCH", foreign.errorCode());
    assertEquals("USD", api.get("/v1/clients/" + fresh + "/account").body().path("balance").path("currency").asText());
    assertEquals(200, api.post("/v1/clients/" + fresh + "/adjustments", refund).status());
  }

  /** Members' accounts are in a group's currency: new fees in another one would fail their every review and receipt. */
  @Test
  void aGroupKeepsTheCurrencyItBillsIn() {
    String group = "/v1/customer-groups/CUR" + SEQ.incrementAndGet();
    ObjectNode usd = Api.obj().put("name", "USD group");
    usd.set("fees", Api.obj().set("outbound", Api.obj().set("perOrder", money(200, "USD"))));
    assertEquals(201, api.put(group, usd).status());
    ObjectNode eur = Api.obj().put("name", "EUR group");
    eur.set("fees", Api.obj().set("outbound", Api.obj().set("perOrder", money(200, "EUR"))));
    Api.Response refused = api.put(group, eur);
    assertEquals(422, refused.status(), refused::toString);
    assertEquals("CURRENCY_MISMATCH", refused.errorCode());
    JsonNode kept = api.get(group).body();
    assertEquals(List.of("USD", 1), List.of(kept.path("fees").path("outbound").path("perOrder").path("currency").asText(),
        kept.path("version").asInt()), kept::toString);
    usd.set("fees", Api.obj().<ObjectNode>set("outbound", Api.obj().set("perOrder", money(200, "USD"))).set("inbound", Api.obj()));
    assertEquals(1, api.put(group, usd).body().path("version").asInt(), "an empty section is no change of fees");
    usd.set("fees", Api.obj().set("outbound", Api.obj().set("perOrder", money(300, "USD"))));
    assertEquals(2, api.put(group, usd).body().path("version").asInt(), "new fees in its currency are a new version");
    JsonNode cleared = api.put(group, Api.obj().put("name", "USD group").set("fees", Api.obj())).body();
    assertEquals(List.of(3, "USD"), List.of(cleared.path("version").asInt(), cleared.path("currency").asText()),
        "fees cleared, the group still bills in USD");
    Api.Response afterClearing = api.put(group, eur);
    assertEquals(422, afterClearing.status(), afterClearing::toString);
    assertEquals("CURRENCY_MISMATCH", afterClearing.errorCode());
  }

  @Test
  void payoutInstructionsAreSetByTheWarehouseAndReadBeforeRecharging() {
    ObjectNode instructions = Api.obj();
    instructions.set("bankAccount", Api.obj().put("bankName", "BDO").put("accountName", "Wharf 3PL").put("accountNumber", "0012-3456"));
    instructions.putArray("online").add("PayPal: billing@wharf.example");
    Api.Response put = api.put("/v1/settings/payout-instructions", Api.obj().set("instructions", instructions));
    assertEquals(200, put.status(), put::toString);
    JsonNode got = api.get("/v1/settings/payout-instructions").body();
    assertEquals("BDO", got.path("instructions").path("bankAccount").path("bankName").asText());
    assertEquals(400, api.put("/v1/settings/payout-instructions", Api.obj().put("instructions", "text")).status());

    // kept as sent: decimals are not turned into doubles
    String exact = "{\"instructions\":{\"fee\":1.00,\"account\":12345678901234567.89,\"huge\":1e999}}";
    assertEquals(200, api.put("/v1/settings/payout-instructions", exact).status());
    String read = api.get("/v1/settings/payout-instructions").raw();
    assertTrue(read.contains("\"fee\":1.00,") && read.contains("\"account\":12345678901234567.89,")
        && read.contains("\"huge\":1E+999"), read);
  }

  @Test
  void customerGroupsVersionTheirFees() {
    ObjectNode fees = Api.obj();
    fees.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(100, "USD")));
    assertEquals(1, api.put("/v1/customer-groups/STD", Api.obj().put("name", "Standard").set("fees", fees)).body().path("version").asInt());
    assertEquals(1, api.put("/v1/customer-groups/STD", Api.obj().put("name", "Standard").set("fees", fees)).body().path("version").asInt());
    fees.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(120, "USD")));
    assertEquals(2, api.put("/v1/customer-groups/STD", Api.obj().put("name", "Standard").set("fees", fees)).body().path("version").asInt());
    assertTrue(api.get("/v1/customer-groups").raw().contains("\"groupId\":\"STD\""));
    ObjectNode mixed = Api.obj();
    mixed.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(100, "USD")).set("perAdditionalUnit", money(5, "EUR")));
    assertEquals(422, api.put("/v1/customer-groups/MIX", Api.obj().put("name", "Mixed").set("fees", mixed)).status());
    ObjectNode negative = Api.obj();
    negative.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(-1, "USD")));
    assertEquals(400, api.put("/v1/customer-groups/NEG", Api.obj().put("name", "Neg").set("fees", negative)).status());
  }

  private static JsonNode listedGroup(String groupId) {
    for (JsonNode g : api.get("/v1/customer-groups").body().path("groups")) {
      if (g.path("groupId").asText().equals(groupId)) {
        return g;
      }
    }
    throw new AssertionError("group " + groupId + " is not listed");
  }

  /** A group as GET shows it (every fee, the uncharged ones at zero), PUT back, is the same group: no new version. */
  @Test
  void aGroupPutBackAsItReadsKeepsItsVersion() {
    String id = "RT" + SEQ.incrementAndGet();
    ObjectNode fees = Api.obj();
    fees.set("outbound", Api.obj().<ObjectNode>set("perOrder", money(200, "USD")));
    assertEquals(1, api.put("/v1/customer-groups/" + id, Api.obj().put("name", "Round trip").set("fees", fees))
        .body().path("version").asInt());
    JsonNode read = listedGroup(id);
    assertEquals(0, read.path("fees").path("inbound").path("perUnit").path("amount").asLong(), read::toString);
    Api.Response again = api.put("/v1/customer-groups/" + id, Api.obj().put("name", "Round trip").set("fees", read.path("fees")));
    assertEquals(200, again.status(), again::toString);
    assertEquals(1, again.body().path("version").asInt(), again::toString);

    String empty = "RE" + SEQ.incrementAndGet();
    assertEquals(201, api.put("/v1/customer-groups/" + empty, Api.obj().put("name", "No fees").set("fees", Api.obj())).status());
    JsonNode none = listedGroup(empty);
    Api.Response noneAgain = api.put("/v1/customer-groups/" + empty, Api.obj().put("name", "No fees").set("fees", none.path("fees")));
    assertEquals(200, noneAgain.status(), noneAgain::toString);
    assertEquals(1, noneAgain.body().path("version").asInt(), noneAgain::toString);
  }
}
