package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After a load run: waits until the reviews are done, then reads every accepted order and every
 * stock entry back and checks them against what was sent. Stock is checked per entry: reserved is
 * exactly the units of its ALLOCATED orders, on hand is what was received, nothing is oversold.
 * With fees, each client's account holds exactly its ALLOCATED orders' fees.
 */
final class LoadCheck {
  private static final long WAIT_NANOS = 600_000_000_000L;
  private static final long STALL_NANOS = 3_000_000_000L;

  private final Load api;
  private final LoadSpec spec;
  private Map<String, String> states = Map.of();

  LoadCheck(Load api, LoadSpec spec) {
    this.api = api;
    this.spec = spec;
  }

  /**
   * Seconds from {@code startNanos} until every stock entry has reserved what the accepted orders
   * asked of it, each poll reading only the entries still waiting. With too little stock some
   * reviews fail and release what they held, so an entry may never get there: the wait also ends
   * once no waiting entry has moved for {@code STALL_NANOS} (that much too late, then), and
   * {@link #check} waits for any review still open.
   */
  double awaitReviews(Map<String, Long> expectedUnits, long startNanos) throws InterruptedException {
    Map<String, Long> waiting = new LinkedHashMap<>(expectedUnits);
    Map<String, Long> lastSeen = new LinkedHashMap<>();
    long deadline = System.nanoTime() + WAIT_NANOS;
    long lastMove = System.nanoTime();
    while (!waiting.isEmpty() && System.nanoTime() < deadline && System.nanoTime() - lastMove < STALL_NANOS) {
      for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        long reserved = stock(e.getKey()).path("reserved").asLong();
        Long before = lastSeen.put(e.getKey(), reserved);
        if (before == null || before != reserved) {
          lastMove = System.nanoTime();
        }
        if (reserved >= e.getValue()) {
          it.remove();
          lastMove = System.nanoTime();
        }
      }
      if (!waiting.isEmpty()) {
        Thread.sleep(100);
      }
    }
    return (System.nanoTime() - startNanos) / 1e9 - (waiting.isEmpty() ? 0 : STALL_NANOS / 1e9);
  }

  /** Order states, and whether orders and stock agree with each other and with what was sent. */
  Map<String, Object> check(Map<String, Map<String, Long>> unitsByOrder) throws InterruptedException {
    List<String> ids = new ArrayList<>(unitsByOrder.keySet());
    states = api.orderStates(ids);
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (states.containsValue("REVIEWING") && System.nanoTime() < deadline) {
      Thread.sleep(500); // a review that failed on funds or stock may still be closing
      states = api.orderStates(ids);
    }
    Map<String, Long> reservedByOrders = new TreeMap<>();
    states.forEach((id, state) -> {
      if (state.equals("ALLOCATED")) {
        unitsByOrder.get(id).forEach((key, units) -> reservedByOrders.merge(key, units, Long::sum));
      }
    });
    Map<String, Long> stateCounts = new TreeMap<>();
    states.values().forEach(s -> stateCounts.merge(s, 1L, Long::sum));
    List<String> mismatches = new ArrayList<>();
    long reservedTotal = 0;
    for (int c = 0; c < spec.clients(); c++) {
      for (int k = 0; k < spec.skus(); k++) {
        String key = OrderMix.clientId(spec, c) + "/" + OrderMix.sku(k);
        JsonNode level = stock(key);
        long reserved = level.path("reserved").asLong();
        reservedTotal += reserved;
        long expected = reservedByOrders.getOrDefault(key, 0L);
        if (reserved != expected || level.path("onHand").asLong() != spec.stockPerSku()
            || level.path("available").asLong() != spec.stockPerSku() - reserved) {
          mismatches.add(key + ": " + level + ", its ALLOCATED orders hold " + expected);
        }
      }
    }
    List<String> feeMismatches = spec.fees() ? feeMismatches(unitsByOrder, states) : List.of();
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("orderStates", stateCounts);
    checks.put("unitsReserved", reservedTotal);
    checks.put("stockMismatches", mismatches.subList(0, Math.min(10, mismatches.size())));
    if (spec.fees()) {
      checks.put("feeMismatches", feeMismatches);
    }
    boolean settled = stateCounts.keySet().stream().allMatch(s -> s.equals("ALLOCATED") || s.equals("REVIEW_FAILED"));
    checks.put("consistent", settled && mismatches.isEmpty() && feeMismatches.isEmpty() && states.size() == ids.size());
    return checks;
  }

  /** Each account holds exactly the fees of its client's ALLOCATED orders (none held twice, none lost). */
  private List<String> feeMismatches(Map<String, Map<String, Long>> unitsByOrder, Map<String, String> states) {
    Map<String, Long> heldByOrders = new TreeMap<>();
    states.forEach((id, state) -> {
      if (state.equals("ALLOCATED")) {
        Map<String, Long> units = unitsByOrder.get(id);
        String client = units.keySet().iterator().next().split("/")[0];
        heldByOrders.merge(client, LoadSpec.outboundFee(units.values().stream().mapToLong(Long::longValue).sum()), Long::sum);
      }
    });
    List<String> mismatches = new ArrayList<>();
    for (int c = 0; c < spec.clients(); c++) {
      String client = OrderMix.clientId(spec, c);
      JsonNode account = api.json("GET", "/v1/clients/" + client + "/account", null);
      long expected = heldByOrders.getOrDefault(client, 0L);
      if (account.path("held").path("amount").asLong() != expected) {
        mismatches.add("account of " + client + ": " + account + ", its ALLOCATED orders' fees are " + expected);
      }
    }
    return mismatches;
  }

  /** Each accepted order's state as {@link #check} last read it. */
  Map<String, String> states() {
    return states;
  }

  private JsonNode stock(String clientSlashSku) {
    String[] parts = clientSlashSku.split("/");
    return api.json("GET", "/v1/warehouses/" + LoadSetUp.warehouseId(spec) + "/stock/" + parts[0] + "/" + parts[1], null);
  }
}
