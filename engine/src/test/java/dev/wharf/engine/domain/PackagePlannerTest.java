package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.PackagePlanner.Candidate;
import dev.wharf.engine.domain.PackagePlanner.Eligibility;
import dev.wharf.engine.domain.PackagePlanner.Failure;
import dev.wharf.engine.domain.PackagePlanner.MergeGroup;
import dev.wharf.engine.domain.PackagePlanner.Package;
import dev.wharf.engine.domain.PackagePlanner.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PackagePlannerTest {
  private static Candidate released(String orderId) {
    return new Candidate(orderId, "C1", "MNL1", "juan|639171234567", Eligibility.RELEASED);
  }

  private static List<String> ids(String prefix, int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
  }

  private static List<Integer> sizes(Plan plan) {
    return plan.packages().stream().map(p -> p.orderIds().size()).toList();
  }

  @ParameterizedTest(name = "{0} orders, N={1} -> {2}")
  @CsvSource({
      "40, 15, 15 15 10",
      "45, 15, 15 15 15",
      "15, 15, 15",
      "16, 15, 15 1",
      "3, 1, 1 1 1",
      "1, 15, 1",
      "7, 100, 7",
  })
  void cutsAGroupIntoPackagesOfAtMostN(int count, int n, String expectedSizes) {
    List<String> orderIds = ids("o", count);
    Plan plan = new PackagePlanner(n).plan(orderIds.stream().map(PackagePlannerTest::released).toList());
    List<Integer> expected = java.util.Arrays.stream(expectedSizes.split(" ")).map(Integer::valueOf).toList();
    assertEquals(expected, sizes(plan));
    // orders stay in input order
    assertEquals(orderIds, plan.packages().stream().flatMap(p -> p.orderIds().stream()).toList());
    assertEquals(List.of(), plan.failures());
  }

  @Test
  void fortyOrdersWithTheDefaultLimit() {
    Plan plan = new PackagePlanner(PackagePlanner.DEFAULT_MAX_ORDERS_PER_PACKAGE)
        .plan(ids("o", 40).stream().map(PackagePlannerTest::released).toList());
    assertEquals(List.of(ids("o", 15), ids("o", 30).subList(15, 30), ids("o", 40).subList(30, 40)),
        plan.packages().stream().map(Package::orderIds).toList());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void aLimitBelowOneIsRefused(int n) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PackagePlanner(n));
    assertEquals("max orders per package must be at least 1, was " + n, e.getMessage());
  }

  @Test
  void anOrderListedTwiceIsPlannedOnce() {
    List<Candidate> input = List.of(released("o1"), released("o2"), released("o1"), released("o3"), released("o2"));
    Plan plan = new PackagePlanner(2).plan(input);
    assertEquals(List.of(List.of("o1", "o2"), List.of("o3")), plan.packages().stream().map(Package::orderIds).toList());
    assertEquals(List.of(), plan.failures());
  }

  @Test
  void anOrderListedTwiceWithDifferentFactsFailsInsteadOfGuessing() {
    Candidate elsewhere = new Candidate("o2", "C1", "CEB", "juan|639171234567", Eligibility.RELEASED);
    Candidate frozenTwice = new Candidate("o3", "C1", "MNL1", "juan|639171234567", Eligibility.FROZEN);
    Plan plan = new PackagePlanner(15).plan(List.of(released("o1"), released("o2"), elsewhere, frozenTwice, frozenTwice));
    assertEquals(List.of(List.of("o1")), plan.packages().stream().map(Package::orderIds).toList());
    assertEquals(List.of("o2", "o3"), plan.failures().stream().map(Failure::orderId).toList());
    assertEquals(List.of(PackagePlanner.DUPLICATE_CONFLICT, "ORDER_FROZEN"),
        plan.failures().stream().map(Failure::code).toList());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "FROZEN, ORDER_FROZEN, frozen",
      "VOID, ORDER_VOID, void",
      "CANCELLED, ORDER_CANCELLED, cancelled",
      "ADDRESS_CHANGED, ADDRESS_CHANGED, address changed",
  })
  void ineligibleOrdersFailWithAReasonAndStayOut(Eligibility eligibility, String code, String fragment) {
    Candidate bad = new Candidate("o2", "C1", "MNL1", "juan|639171234567", eligibility);
    Plan plan = new PackagePlanner(15).plan(List.of(released("o1"), bad, released("o3")));
    assertEquals(List.of(List.of("o1", "o3")), plan.packages().stream().map(Package::orderIds).toList());
    assertEquals(1, plan.failures().size());
    Failure f = plan.failures().get(0);
    assertEquals("o2", f.orderId());
    assertEquals(code, f.code());
    assertTrue(f.message().contains(fragment), f.message());
  }

  @Test
  void recipientsClientsAndWarehousesNeverShareAPackage() {
    List<Candidate> input = List.of(
        new Candidate("a", "C1", "MNL1", "juan", Eligibility.RELEASED),
        new Candidate("b", "C1", "MNL1", "maria", Eligibility.RELEASED),
        new Candidate("c", "C2", "MNL1", "juan", Eligibility.RELEASED),
        new Candidate("d", "C1", "CEB", "juan", Eligibility.RELEASED),
        new Candidate("e", "C1", "MNL1", "juan", Eligibility.RELEASED));
    Plan plan = new PackagePlanner(15).plan(input);
    assertEquals(List.of(List.of("a", "e"), List.of("b"), List.of("c"), List.of("d")),
        plan.packages().stream().map(Package::orderIds).toList());
    assertEquals(new MergeGroup("C1", "MNL1", "juan"), plan.packages().get(0).group());
  }

  @Test
  void nothingToPlanIsAnEmptyPlan() {
    assertEquals(new Plan(List.of(), List.of()), new PackagePlanner(1).plan(List.of()));
  }

  /** A generated mix of 500 orders, some listed twice, checked against every invariant for several N. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 15, 40, 600})
  void invariantsHoldOverAGeneratedMix(int n) {
    Random random = new Random(20240611L + n);
    String[] clients = {"C1", "C2", "C3"};
    String[] warehouses = {"MNL1", "CEB", "DVO"};
    String[] recipients = {"juan", "maria", "jose", "ana", "pedro"};
    Eligibility[] all = Eligibility.values();
    List<Candidate> input = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Eligibility e = random.nextInt(10) < 7 ? Eligibility.RELEASED : all[1 + random.nextInt(all.length - 1)];
      Candidate c = new Candidate("o" + i, clients[random.nextInt(3)], warehouses[random.nextInt(3)],
          recipients[random.nextInt(5)], e);
      input.add(c);
      if (random.nextInt(20) == 0) {
        input.add(c); // an exact repeat
      }
      if (random.nextInt(50) == 0) {
        input.add(new Candidate(c.orderId(), c.clientId(), c.warehouseId(), "someone-else", c.eligibility()));
      }
    }

    Plan plan = new PackagePlanner(n).plan(input);

    Map<String, Candidate> byId = new LinkedHashMap<>();
    Set<String> conflicting = new HashSet<>();
    for (Candidate c : input) {
      Candidate first = byId.putIfAbsent(c.orderId(), c);
      if (first != null && !first.equals(c)) {
        conflicting.add(c.orderId());
      }
    }
    Map<String, Integer> position = new HashMap<>();
    List<String> inputOrder = new ArrayList<>(byId.keySet());
    for (int i = 0; i < inputOrder.size(); i++) {
      position.put(inputOrder.get(i), i);
    }

    Set<String> packaged = new HashSet<>();
    Map<MergeGroup, List<Integer>> sizesByGroup = new LinkedHashMap<>();
    for (Package p : plan.packages()) {
      assertTrue(!p.orderIds().isEmpty() && p.orderIds().size() <= n, "size " + p.orderIds().size());
      int last = -1;
      for (String id : p.orderIds()) {
        assertTrue(packaged.add(id), id + " is in two packages");
        Candidate c = byId.get(id);
        assertEquals(Eligibility.RELEASED, c.eligibility(), id);
        assertTrue(!conflicting.contains(id), id + " was listed with conflicting facts");
        assertEquals(p.group(), new MergeGroup(c.clientId(), c.warehouseId(), c.recipientKey()), id);
        assertTrue(position.get(id) > last, "input order kept in " + p.orderIds());
        last = position.get(id);
      }
      sizesByGroup.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p.orderIds().size());
    }
    // packed tight: every package of a group but the last is full
    sizesByGroup.forEach((group, sizes) -> {
      for (int i = 0; i < sizes.size() - 1; i++) {
        assertEquals(n, sizes.get(i), group + " " + sizes);
      }
    });

    Set<String> failed = new HashSet<>();
    for (Failure f : plan.failures()) {
      assertTrue(failed.add(f.orderId()), f.orderId() + " failed twice");
      Candidate c = byId.get(f.orderId());
      String expected = conflicting.contains(f.orderId()) ? PackagePlanner.DUPLICATE_CONFLICT : c.eligibility().code();
      assertEquals(expected, f.code(), f.orderId());
    }
    // every order exactly once: packaged or failed
    Set<String> accounted = new HashSet<>(packaged);
    failed.forEach(id -> assertTrue(accounted.add(id), id + " both packaged and failed"));
    assertEquals(byId.keySet(), accounted);
    assertTrue(!conflicting.isEmpty() && !failed.isEmpty() && input.size() > byId.size(), "the mix exercises every path");
  }
}
