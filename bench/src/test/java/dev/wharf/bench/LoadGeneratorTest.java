package dev.wharf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real node: real HTTP on a real port, the H2 journal on disk. */
class LoadGeneratorTest {
  private static final String TOKEN = "load-test-token-0123456789";
  private static Node node;
  private static Load api;
  @TempDir
  static Path data;

  @BeforeAll
  static void start() throws Exception {
    node = Node.start("dev.wharf.http.WharfMain", data, TOKEN, "WHARF_READY port=", "-Xmx512m");
    api = new Load(node.base(), TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static LoadSpec spec(String prefix, int orders, boolean stream, long stock) {
    return new LoadSpec(prefix, 2, 2, 12, 1.0, 1, 3, 0.3, 16, orders, 0, stream, stock, 7, false, false);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> states(Map<String, Object> result) {
    return (Map<String, Long>) result.get("orderStates");
  }

  @Test
  void ordersWithBundlesOneRequestEachAreAllAllocatedAndTheStockAgrees() throws Exception {
    Map<String, Object> r = LoadGenerator.run(api, spec("ONE", 300, false, 100_000));
    assertEquals(true, r.get("correct"), r.toString());
    assertEquals(300L, r.get("accepted"));
    assertEquals(Map.of("ALLOCATED", 300L), states(r));
    assertEquals(List.of(), r.get("stockMismatches"));
    // a line is one unit, a bundle two: more units than lines, at most 2 x 3 per order
    long units = (long) r.get("unitsReserved");
    assertTrue(units > 300 && units <= 300 * 6, "units " + units);
  }

  @Test
  void streamedOrdersAreCountedAndCheckedTheSameWay() throws Exception {
    Map<String, Object> r = LoadGenerator.run(api, spec("STR", 400, true, 100_000));
    assertEquals(true, r.get("correct"), r.toString());
    assertEquals(400L, r.get("sent"));
    assertEquals(Map.of("ALLOCATED", 400L), states(r));
  }

  @Test
  void withTooLittleStockSomeReviewsFailAndNothingIsOversold() throws Exception {
    Map<String, Object> r = LoadGenerator.run(api, spec("SHORT", 300, false, 20));
    assertEquals(true, r.get("correct"), r.toString()); // failed reviews are a correct outcome here
    Map<String, Long> states = states(r);
    assertEquals(300L, states.getOrDefault("ALLOCATED", 0L) + states.getOrDefault("REVIEW_FAILED", 0L), states.toString());
    assertTrue(states.getOrDefault("REVIEW_FAILED", 0L) > 0, states.toString());
    assertTrue((long) r.get("unitsReserved") <= 2 * 12 * 20); // never more than was received
  }

  @Test
  void withFeesEachAccountHoldsTheFeesOfItsAllocatedOrders() throws Exception {
    LoadSpec spec = new LoadSpec("FEE", 2, 2, 12, 1.0, 1, 3, 0.3, 16, 300, 0, false, 30, 7, true, false);
    Map<String, Object> r = LoadGenerator.run(api, spec);
    assertEquals(true, r.get("correct"), r.toString());
    assertEquals(List.of(), r.get("feeMismatches"));
    assertTrue(states(r).getOrDefault("REVIEW_FAILED", 0L) > 0, "some reviews fail on stock and hold no fee: " + r);
    long held = 0;
    for (int c = 0; c < 2; c++) {
      held += api.json("GET", "/v1/clients/" + OrderMix.clientId(spec, c) + "/account", null).path("held").path("amount").asLong();
    }
    assertTrue(held >= LoadSpec.FEE_PER_ORDER * states(r).get("ALLOCATED"), "every allocated order holds at least 2.00: " + held);
  }

  @Test
  void shippedOrdersAreChargedTheirFeesAndSettledOnTheirClientsStatement() throws Exception {
    LoadSpec spec = new LoadSpec("SHIP", 2, 2, 12, 1.0, 1, 3, 0.3, 16, 300, 0, true, 40, 7, true, true);
    Map<String, Object> r = LoadGenerator.run(api, spec);
    assertEquals(true, r.get("correct"), r.toString());
    long allocated = states(r).get("ALLOCATED");
    assertEquals(allocated, r.get("shipped"));
    assertEquals(0L, r.get("ordersWithWrongSettlement"));
    @SuppressWarnings("unchecked")
    Map<String, String> statements = (Map<String, String>) r.get("statements");
    assertEquals(2, statements.size(), r.toString());
    for (int c = 0; c < 2; c++) {
      String client = OrderMix.clientId(spec, c);
      var account = api.json("GET", "/v1/clients/" + client + "/account", null);
      assertEquals(0, account.path("held").path("amount").asLong());
      assertTrue(account.path("balance").path("amount").asLong() <= -LoadSpec.FEE_PER_ORDER, account.toString());
    }
    assertThrows(IllegalArgumentException.class, () -> new LoadSpec("X", 1, 1, 2, 1.0, 1, 1, 0, 1, 1, 0, false, 1, 1, false, true),
        "shipping checks fees: --ship needs --fees");
  }

  @Test
  void aRefusedSetUpSaysWhy() {
    Load wrongToken = new Load(node.base(), "not-the-token");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LoadGenerator.run(wrongToken, spec("BAD", 10, false, 10)));
    assertTrue(e.getMessage().contains("401"), e.getMessage());
  }

  @Test
  void aSpecThatCannotBeMetIsRefusedBeforeAnythingIsSent() {
    assertThrows(IllegalArgumentException.class, () -> new LoadSpec("X", 1, 1, 2, 1.0, 1, 3, 0, 1, 1, 0, false, 1, 1, false, false));
    assertThrows(IllegalArgumentException.class, () -> new LoadSpec("X", 1, 1, 5, 1.0, 2, 1, 0, 1, 1, 0, false, 1, 1, false, false));
    assertThrows(IllegalArgumentException.class, () -> new LoadSpec("no spaces", 1, 1, 5, 1.0, 1, 1, 0, 1, 1, 0, false, 1, 1, false, false));
  }

  @Test
  void fromTheCommandLineItWritesItsResultAndExitsByIt(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("load.json");
    int code = LoadGenerator.commandLine().execute("--url", node.base() + "/", "--token", TOKEN, "--orders", "120",
        "--clients", "2", "--skus", "10", "--lines", "2", "--driver", "jvm", "--prefix", "CLI", "--out", out.toString());
    assertEquals(0, code);
    var result = Load.JSON.readTree(out.toFile());
    assertEquals(120, result.path("accepted").asLong());
    assertEquals(true, result.path("correct").asBoolean());
    assertEquals(2, result.path("spec").path("minLines").asInt());
    assertEquals(2, LoadGenerator.commandLine().execute("--url", node.base(), "--token", TOKEN, "--driver", "curl"));
    assertEquals(2, LoadGenerator.commandLine().execute("--url", node.base(), "--token", TOKEN, "--lines", "two"));
  }

  @Test
  void sentByWrkTheOrdersCheckOutTheSame() throws Exception {
    Assumptions.assumeTrue(Wrk.available(), "wrk is not installed (deploy/bin/bench installs it)");
    Map<String, Object> r = LoadGenerator.run(api, spec("WRK", 300, false, 100_000), true);
    assertEquals(true, r.get("correct"), r.toString());
    assertEquals(Map.of("ALLOCATED", 300L), states(r));
  }
}
