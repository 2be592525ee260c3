package dev.wharf.engine.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Chooses the warehouse an order is reviewed (and reserved) in, before any reservation. Pure: the
 * caller answers "can this warehouse supply every line?" from stock levels, and records the
 * decision with its reasons on the order.
 *
 * <p>Order of precedence:
 * <ol>
 *   <li>MANUAL: a warehouse set on the order by hand wins, whatever it covers or holds (a person
 *       chose it; a shortage there fails the review with the real shortage). Whether the id exists
 *       is checked when it is set, not here.
 *   <li>COVERAGE: among warehouses covering the recipient's country and postal code, the longest
 *       matching prefix comes first, then the higher priority, then the smaller id (so equal
 *       candidates always route the same way). "Longest prefix wins" is read as the main key: a
 *       warehouse covering 2300* beats one covering 23* even with lower priority, and a
 *       whole-country entry (prefix length 0) loses to any prefix. The first that can supply
 *       every line is chosen: COVERAGE if it is the best one, COVERAGE_FALLBACK otherwise.
 *   <li>When covering warehouses exist but none can supply every line: the store default if it
 *       can (STORE_DEFAULT), else the best covering warehouse anyway (COVERAGE) so the review fails
 *       there, naming the real shortage, rather than in a warehouse nobody meant for the address.
 *   <li>STORE_DEFAULT when nothing covers the address (supply not asked: the review says).
 *   <li>NONE when nothing covers and the store has no default; the caller fails the review with
 *       NO_WAREHOUSE.
 * </ol>
 * The supply question is asked lazily, at most once per warehouse, in precedence order.
 */
public final class WarehouseRouting {
  private WarehouseRouting() {}

  /** A warehouse as routing sees it; a higher priority wins among equal prefixes. */
  public record Warehouse(String id, int priority, List<WarehouseCoverage> coverage) {
    public Warehouse {
      Objects.requireNonNull(id, "id");
      coverage = List.copyOf(coverage);
    }
  }

  public enum Rule {
    MANUAL,
    COVERAGE,
    COVERAGE_FALLBACK,
    STORE_DEFAULT,
    NONE
  }

  /** warehouseId is null only for NONE. Reasons are for people (order history, review failure). */
  public record RoutingDecision(String warehouseId, Rule rule, List<String> reasons) {
    public RoutingDecision {
      Objects.requireNonNull(rule, "rule");
      if ((warehouseId == null) != (rule == Rule.NONE)) {
        throw new IllegalArgumentException("a warehouse is chosen exactly when the rule is not NONE");
      }
      reasons = List.copyOf(reasons);
    }

    public Optional<String> warehouse() {
      return Optional.ofNullable(warehouseId);
    }

    public boolean routed() {
      return warehouseId != null;
    }
  }

  /** A warehouse that covers the address, with the prefix that matched ("" for the whole country). */
  private record Covering(Warehouse warehouse, String prefix) {
    String describe(String country) {
      String id = warehouse.id();
      return prefix.isEmpty()
          ? id + " covers " + country + " (whole country, priority " + warehouse.priority() + ")"
          : id + " covers " + country + " " + prefix + "* (prefix length " + prefix.length()
              + ", priority " + warehouse.priority() + ")";
    }
  }

  private static final Comparator<Covering> PRECEDENCE = Comparator
      .comparingInt((Covering c) -> c.prefix().length()).reversed()
      .thenComparing(Comparator.comparingInt((Covering c) -> c.warehouse().priority()).reversed())
      .thenComparing(c -> c.warehouse().id());

  /**
   * @param manualWarehouseId set on the order by hand; null or blank when unset (proto's "")
   * @param storeDefaultWarehouseId the store's default; null or blank when it has none
   * @param canSupplyAllLines whether a warehouse holds every line of the order right now
   */
  public static RoutingDecision route(
      List<Warehouse> warehouses,
      String country,
      String postalCode,
      String manualWarehouseId,
      String storeDefaultWarehouseId,
      Predicate<String> canSupplyAllLines) {
    String where = describeAddress(country, postalCode);
    if (isSet(manualWarehouseId)) {
      List<String> reasons = new ArrayList<>();
      reasons.add("warehouse " + manualWarehouseId + " was set on the order by hand");
      warehouses.stream()
          .filter(w -> w.id().equals(manualWarehouseId))
          .findFirst()
          .flatMap(w -> covering(w, country, postalCode))
          .ifPresentOrElse(
              c -> reasons.add(c.describe(normaliseCountry(country))),
              () -> reasons.add(manualWarehouseId + " does not cover " + where + "; the manual choice stands"));
      return new RoutingDecision(manualWarehouseId, Rule.MANUAL, reasons);
    }

    List<Covering> covering = new ArrayList<>();
    for (Warehouse w : warehouses) {
      covering(w, country, postalCode).ifPresent(covering::add);
    }
    covering.sort(PRECEDENCE);
    String defaultId = isSet(storeDefaultWarehouseId) ? storeDefaultWarehouseId : null;

    if (covering.isEmpty()) {
      if (defaultId == null) {
        return new RoutingDecision(null, Rule.NONE,
            List.of("no warehouse covers " + where + " and the store has no default warehouse"));
      }
      return new RoutingDecision(defaultId, Rule.STORE_DEFAULT,
          List.of("no warehouse covers " + where + "; using the store default " + defaultId));
    }

    Map<String, Boolean> asked = new HashMap<>();
    Predicate<String> canSupply = id -> asked.computeIfAbsent(id, canSupplyAllLines::test);
    String countryCode = normaliseCountry(country);
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < covering.size(); i++) {
      Covering c = covering.get(i);
      if (canSupply.test(c.warehouse().id())) {
        reasons.add(c.describe(countryCode) + " and can supply every line");
        return new RoutingDecision(c.warehouse().id(), i == 0 ? Rule.COVERAGE : Rule.COVERAGE_FALLBACK, reasons);
      }
      reasons.add(c.describe(countryCode) + " but cannot supply every line");
    }

    if (defaultId != null && canSupply.test(defaultId)) {
      reasons.add("no covering warehouse can supply every line; the store default " + defaultId + " can");
      return new RoutingDecision(defaultId, Rule.STORE_DEFAULT, reasons);
    }
    String best = covering.get(0).warehouse().id();
    reasons.add((defaultId == null
            ? "no covering warehouse can supply every line and the store has no default"
            : "neither a covering warehouse nor the store default " + defaultId + " can supply every line")
        + "; staying with " + best + " so the review names the shortage");
    return new RoutingDecision(best, Rule.COVERAGE, reasons);
  }

  /** The warehouse's best (longest) match for the address over all its coverage entries. */
  private static Optional<Covering> covering(Warehouse w, String country, String postalCode) {
    String best = null;
    for (WarehouseCoverage cov : w.coverage()) {
      Optional<String> match = cov.longestMatch(country, postalCode);
      if (match.isPresent() && (best == null || match.get().length() > best.length())) {
        best = match.get();
      }
    }
    return best == null ? Optional.empty() : Optional.of(new Covering(w, best));
  }

  private static boolean isSet(String s) {
    return s != null && !s.isBlank();
  }

  private static String normaliseCountry(String country) {
    return country == null ? "" : country.strip().toUpperCase(Locale.ROOT);
  }

  private static String describeAddress(String country, String postalCode) {
    String postal = WarehouseCoverage.normalisePostal(postalCode);
    String c = normaliseCountry(country);
    return (c.isEmpty() ? "(no country)" : c) + (postal.isEmpty() ? "" : " " + postal);
  }
}
