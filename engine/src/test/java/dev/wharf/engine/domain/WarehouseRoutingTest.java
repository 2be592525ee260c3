package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.WarehouseRouting.RoutingDecision;
import dev.wharf.engine.domain.WarehouseRouting.Rule;
import dev.wharf.engine.domain.WarehouseRouting.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WarehouseRoutingTest {
  private static Warehouse wh(String id, int priority, String country, String... prefixes) {
    return new Warehouse(id, priority, List.of(new WarehouseCoverage(country, List.of(prefixes))));
  }

  // longest prefix first, then priority, then id
  private static final List<Warehouse> WAREHOUSES = List.of(
      wh("LUZ", 20, "PH"), // whole country, highest priority: loses to any prefix
      wh("MNL1", 10, "PH", "1", "23"),
      wh("MNL2", 1, "PH", "2300"),
      wh("CEB2", 5, "PH", "6"),
      wh("CEB", 5, "PH", "6"),
      wh("LON", 1, "GB", "SW1A"),
      new Warehouse("SGP", 3, List.of(new WarehouseCoverage("SG", List.of()), new WarehouseCoverage("MY", List.of("8")))));

  @ParameterizedTest(name = "{0} {1} manual={2} default={3} short=[{4}] -> {5} {6}")
  @CsvSource({
      // longest prefix beats higher priority
      "PH, 2300,     ,    ,              , MNL2, COVERAGE",
      "PH, 2301,     ,    ,              , MNL1, COVERAGE",
      "PH, 1000,     ,    ,              , MNL1, COVERAGE",
      "PH, 23-00,    ,    ,              , MNL2, COVERAGE",
      "ph, 2300,     ,    ,              , MNL2, COVERAGE",
      "PH, 9000,     ,    ,              , LUZ,  COVERAGE",
      "GB, sw1a 1aa, ,    ,              , LON,  COVERAGE",
      "MY, 80000,    ,    ,              , SGP,  COVERAGE",
      // equal prefix and priority: smaller id
      "PH, 6000,     ,    ,              , CEB,  COVERAGE",
      // stock short: the next covering warehouse that can supply every line
      "PH, 6000,     ,    , CEB          , CEB2, COVERAGE_FALLBACK",
      "PH, 2300,     ,    , MNL2         , MNL1, COVERAGE_FALLBACK",
      "PH, 2300,     , DEF, MNL2         , MNL1, COVERAGE_FALLBACK",
      "PH, 2300,     ,    , MNL2 MNL1    , LUZ,  COVERAGE_FALLBACK",
      // no covering warehouse can supply: the store default if it can, else the best covering one
      "PH, 2300,     , DEF, MNL2 MNL1 LUZ, DEF,  STORE_DEFAULT",
      "PH, 2300,     , DEF, MNL2 MNL1 LUZ DEF, MNL2, COVERAGE",
      "PH, 2300,     ,    , MNL2 MNL1 LUZ, MNL2, COVERAGE",
      "PH, 2300,     , LUZ, MNL2 MNL1 LUZ, MNL2, COVERAGE",
      // manual choice wins over coverage and stock
      "PH, 2300, SGP , DEF,              , SGP,  MANUAL",
      "PH, 2300, MNL1, DEF, MNL1 MNL2 DEF, MNL1, MANUAL",
      "US, 10001, LON,    ,              , LON,  MANUAL",
      // nothing covers: store default (stock not asked), else NONE
      "US, 10001,    , DEF,              , DEF,  STORE_DEFAULT",
      "US, 10001,    , DEF, DEF          , DEF,  STORE_DEFAULT",
      "'', '',       , DEF,              , DEF,  STORE_DEFAULT",
      "US, 10001,    ,    ,              ,     , NONE",
      "GB, E1 6AN,   ,    ,              ,     , NONE",
  })
  void routes(String country, String postal, String manual, String storeDefault, String shortOf,
      String expectedId, Rule expectedRule) {
    Set<String> shortWarehouses = shortOf == null ? Set.of() : Set.of(shortOf.split(" "));
    RoutingDecision d = WarehouseRouting.route(
        WAREHOUSES, country, postal, manual, storeDefault, id -> !shortWarehouses.contains(id));
    assertEquals(expectedRule, d.rule(), d.reasons().toString());
    assertEquals(expectedId, d.warehouseId(), d.reasons().toString());
    assertFalse(d.reasons().isEmpty());
  }

  @Test
  void reasonsSayWhyEachBetterWarehouseWasPassedOver() {
    RoutingDecision d = WarehouseRouting.route(WAREHOUSES, "PH", "2300", "", "", id -> id.equals("LUZ"));
    assertEquals(List.of(
        "MNL2 covers PH 2300* (prefix length 4, priority 1) but cannot supply every line",
        "MNL1 covers PH 23* (prefix length 2, priority 10) but cannot supply every line",
        "LUZ covers PH (whole country, priority 20) and can supply every line"), d.reasons());
  }

  @Test
  void stayingWithTheBestCoveringWarehouseIsExplained() {
    RoutingDecision d = WarehouseRouting.route(WAREHOUSES, "PH", "6100", null, "DEF", id -> false);
    assertEquals("CEB", d.warehouseId());
    assertEquals(
        "neither a covering warehouse nor the store default DEF can supply every line; staying with CEB so the review names the shortage",
        d.reasons().get(d.reasons().size() - 1));
  }

  @Test
  void noneSaysNothingCoversAndThereIsNoDefault() {
    RoutingDecision d = WarehouseRouting.route(WAREHOUSES, "US", "10001", null, " ", id -> true);
    assertNull(d.warehouseId());
    assertFalse(d.routed());
    assertTrue(d.warehouse().isEmpty());
    assertEquals(List.of("no warehouse covers US 10001 and the store has no default warehouse"), d.reasons());
  }

  @Test
  void aManualChoiceThatDoesNotCoverTheAddressIsNoted() {
    RoutingDecision d = WarehouseRouting.route(WAREHOUSES, "PH", "2300", "LON", null, id -> false);
    assertEquals(List.of("warehouse LON was set on the order by hand",
        "LON does not cover PH 2300; the manual choice stands"), d.reasons());
    RoutingDecision covering = WarehouseRouting.route(WAREHOUSES, "PH", "2300", "MNL1", null, id -> false);
    assertEquals("MNL1 covers PH 23* (prefix length 2, priority 10)", covering.reasons().get(1));
  }

  @Test
  void stockIsAskedLazilyOncePerWarehouseInPrecedenceOrder() {
    List<String> asked = new ArrayList<>();
    WarehouseRouting.route(WAREHOUSES, "PH", "2300", null, "MNL1", id -> {
      asked.add(id);
      return id.equals("LUZ");
    });
    assertEquals(List.of("MNL2", "MNL1", "LUZ"), asked);

    asked.clear();
    WarehouseRouting.route(WAREHOUSES, "PH", "2300", null, "MNL1", id -> {
      asked.add(id);
      return false;
    });
    assertEquals(List.of("MNL2", "MNL1", "LUZ"), asked); // the default MNL1 was already asked

    asked.clear();
    WarehouseRouting.route(WAREHOUSES, "PH", "2300", "MNL1", null, id -> asked.add(id));
    WarehouseRouting.route(WAREHOUSES, "US", "10001", null, "DEF", id -> asked.add(id));
    assertEquals(List.of(), asked);
  }

  @Test
  void aWarehouseWithSeveralEntriesUsesItsLongestMatch() {
    Warehouse broad = new Warehouse("A", 1, List.of(
        new WarehouseCoverage("PH", List.of()), new WarehouseCoverage("PH", List.of("230"))));
    Warehouse narrow = wh("B", 9, "PH", "23");
    RoutingDecision d = WarehouseRouting.route(List.of(narrow, broad), "PH", "2300", null, null, id -> true);
    assertEquals("A", d.warehouseId());
    assertEquals(List.of("A covers PH 230* (prefix length 3, priority 1) and can supply every line"), d.reasons());
  }
}
