package dev.wharf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Workloads.Outcome outcome(String name, double completedPerSecond) {
    Load.Result load = new Load.Result(name, 1, 1, 1, completedPerSecond, 0, 0, 0, Map.of());
    return new Workloads.Outcome(name, load, completedPerSecond, 1, Map.of(), true, CpuUse.UNKNOWN);
  }

  private static Baselines.Rate rate(String name, double perSecond) {
    return new Baselines.Rate(name, 1, 1, perSecond, 0, 0, Map.of());
  }

  private final List<Workloads.Outcome> outcomes = List.of(
      outcome("W2", 2_000), outcome("W2-stream", 3_000), outcome("W4", 15_000));

  @Test
  void eachWorkloadIsDividedByItsBaselineFromTheSameRun() {
    Map<String, Object> r = Report.ratios(outcomes, List.of(
        rate("PostgreSQL, one UPDATE per reservation", 4_000),
        rate("trivial Pekko HTTP intake, W2's orders and connections", 10_000),
        rate("trivial Pekko HTTP route", 20_000),
        rate("raw H2 journal inserts, hashed ids (batches of 400)", 30_000),
        rate("raw H2 journal inserts, ascending ids (batches of 400)", 100_000)), 6_000);
    assertEquals(0.5, (double) r.get("W2 reservations per second, Wharf / PostgreSQL"), 1e-9);
    assertEquals(0.75, (double) r.get("W2-stream reservations per second, Wharf / PostgreSQL"), 1e-9);
    assertEquals(0.2, (double) r.get("W2 orders per second, Wharf / trivial HTTP intake"), 1e-9);
    assertEquals(0.75, (double) r.get("W4 reads per second, Wharf / trivial HTTP route"), 1e-9);
    assertEquals(0.2, (double) r.get("W1-stream journal rows per second / raw H2 inserts, hashed ids"), 1e-9);
    assertEquals(0.06, (double) r.get("W1-stream journal rows per second / raw H2 inserts, ascending ids"), 1e-9);
  }

  @Test
  void aBaselineThatDidNotRunGivesNoRatio() {
    Map<String, Object> r = Report.ratios(outcomes, List.of(rate("trivial Pekko HTTP route", 20_000),
        rate("raw H2 journal inserts, hashed ids (batches of 400)", 30_000),
        rate("raw H2 journal inserts, ascending ids (batches of 400)", 100_000)), 6_000);
    assertFalse(r.containsKey("W2 reservations per second, Wharf / PostgreSQL"));
    assertFalse(r.containsKey("W2 orders per second, Wharf / trivial HTTP intake"));
  }

  @Test
  void aRunReplacesItsOwnResultsInTheSummaryPageAndNothingElse() {
    String page = "# Benchmarks\n\nanalysis\n";
    String first = Report.withResults(page, "quick", "run 1\n");
    assertTrue(first.startsWith(page) && first.contains("run 1\n"), first);
    String both = Report.withResults(first, "full", "full 1\n");
    String again = Report.withResults(both, "quick", "run 2\n");
    assertFalse(again.contains("run 1"), again);
    assertTrue(again.contains("run 2\n") && again.contains("full 1\n") && again.startsWith(page), again);
    assertEquals(again, Report.withResults(again, "quick", "run 2\n")); // same run, same page
  }
}
