package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With --ship: ships every ALLOCATED order, waits until each client's account has captured their
 * fees, closes a statement per client, and reads every shipped order's settlement back. Checks
 * that each account charged exactly its shipped orders' fees, each statement lists exactly those
 * orders and their debits, and each shipped order names its statement.
 */
final class LoadSettlement {
  private static final long WAIT_NANOS = 300_000_000_000L;

  private final Load api;
  private final LoadSpec spec;

  LoadSettlement(Load api, LoadSpec spec) {
    this.api = api;
    this.spec = spec;
  }

  Map<String, Object> run(Map<String, Map<String, Long>> unitsByOrder, Map<String, String> states) throws InterruptedException {
    List<String> allocated = states.entrySet().stream().filter(e -> e.getValue().equals("ALLOCATED")).map(Map.Entry::getKey)
        .sorted().toList();
    // a tracking no. ships one parcel, on this node for good: one per order, not per position
    Load.Result shipped = api.run("ship", allocated.size(), spec.concurrency(), i -> new Load.Request("POST",
        "/v1/orders/" + allocated.get(i) + "/ship", "{\"carrier\":\"JNT\",\"trackingNo\":\"T-" + allocated.get(i) + "\"}"));

    Map<String, Long> feesByClient = new TreeMap<>();
    Map<String, Long> ordersByClient = new TreeMap<>();
    for (String id : allocated) {
      Map<String, Long> units = unitsByOrder.get(id);
      String client = units.keySet().iterator().next().split("/")[0];
      feesByClient.merge(client, LoadSpec.outboundFee(units.values().stream().mapToLong(Long::longValue).sum()), Long::sum);
      ordersByClient.merge(client, 1L, Long::sum);
    }
    List<String> mismatches = new ArrayList<>();
    Map<String, String> statementByClient = new TreeMap<>();
    for (int c = 0; c < spec.clients(); c++) {
      String client = OrderMix.clientId(spec, c);
      long fees = feesByClient.getOrDefault(client, 0L);
      JsonNode account = awaitCaptured(client, fees);
      if (account.path("held").path("amount").asLong() != 0 || account.path("balance").path("amount").asLong() != -fees) {
        mismatches.add("account of " + client + ": " + account + ", its shipped orders' fees are " + fees);
        continue;
      }
      var response = api.send("POST", "/v1/clients/" + client + "/statements", "{}");
      JsonNode statement = readTree(response.body());
      long listed = statement.path("orderIds").size();
      if (response.statusCode() != 201 || statement.path("totalDebits").path("amount").asLong() != fees
          || listed != ordersByClient.getOrDefault(client, 0L)) {
        mismatches.add("statement of " + client + ": " + response.statusCode() + " debits "
            + statement.path("totalDebits") + ", " + listed + " orders; expected " + fees + " for "
            + ordersByClient.getOrDefault(client, 0L));
        continue;
      }
      statementByClient.put(client, statement.path("statementNo").asText());
    }

    Map<String, String> settlements = new ConcurrentHashMap<>();
    api.run("settlements", allocated.size(), 64, i -> new Load.Request("GET", "/v1/orders/" + allocated.get(i), null),
        (i, body) -> settlements.put(allocated.get(i), readTree(body).path("settlement").asText()));
    long wrongSettlements = 0;
    for (String id : allocated) {
      String client = unitsByOrder.get(id).keySet().iterator().next().split("/")[0];
      String expected = statementByClient.get(client);
      if (expected != null && !expected.equals(settlements.get(id))) {
        if (wrongSettlements++ < 10) {
          mismatches.add("order " + id + " settled " + settlements.get(id) + ", expected " + expected);
        }
      }
    }

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("shipped", shipped.ok());
    r.put("shippedPerSecond", shipped.perSecond());
    r.put("shipErrors", shipped.errors());
    r.put("statements", statementByClient);
    r.put("ordersWithWrongSettlement", wrongSettlements);
    r.put("settlementMismatches", mismatches);
    r.put("settled", shipped.ok() == allocated.size() && mismatches.isEmpty());
    return r;
  }

  /** The account once it holds nothing and has charged {@code fees} (captures follow the ships), or as it is at the deadline. */
  private JsonNode awaitCaptured(String client, long fees) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (true) {
      JsonNode account = api.json("GET", "/v1/clients/" + client + "/account", null);
      boolean done = account.path("held").path("amount").asLong() == 0 && account.path("balance").path("amount").asLong() == -fees;
      if (done || System.nanoTime() > deadline) {
        return account;
      }
      Thread.sleep(200);
    }
  }

  private static JsonNode readTree(String body) {
    try {
      return Load.JSON.readTree(body);
    } catch (Exception e) {
      return Load.JSON.createObjectNode();
    }
  }
}
