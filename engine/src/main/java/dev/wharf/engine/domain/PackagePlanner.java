package dev.wharf.engine.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns released orders into packages. Orders of one client to one recipient (same
 * {@link RecipientKey}) in one warehouse form a merge group; each group is cut, in input order,
 * into packages of at most N orders, so 40 orders with N = 15 make 15, 15 and 10.
 *
 * <p>Invariants of every plan: no order in two packages, no package over N, no package mixing
 * clients, warehouses or recipients, and every order is either packaged or failed, never both.
 * An order listed twice is planned once; if its copies disagree (two snapshots of one order) it
 * fails with DUPLICATE_CONFLICT rather than risk packaging the wrong version.
 */
public final class PackagePlanner {
  /** Used when the carrier does not set a limit. */
  public static final int DEFAULT_MAX_ORDERS_PER_PACKAGE = 15;

  public static final String DUPLICATE_CONFLICT = "DUPLICATE_CONFLICT";

  /** Where an order stands for packaging; only RELEASED may be packaged. */
  public enum Eligibility {
    RELEASED(null, null),
    FROZEN("ORDER_FROZEN", "order is frozen; unfreeze it to package it"),
    VOID("ORDER_VOID", "order is void"),
    CANCELLED("ORDER_CANCELLED", "order was cancelled"),
    ADDRESS_CHANGED("ADDRESS_CHANGED", "the recipient's address changed after release; review the order again");

    private final String code;
    private final String message;

    Eligibility(String code, String message) {
      this.code = code;
      this.message = message;
    }

    public boolean packable() {
      return this == RELEASED;
    }

    /** Stable failure code, null for RELEASED. */
    public String code() {
      return code;
    }

    public String message() {
      return message;
    }
  }

  public record Candidate(String orderId, String clientId, String warehouseId, String recipientKey,
      Eligibility eligibility) {
    public Candidate {
      Objects.requireNonNull(orderId, "orderId");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(warehouseId, "warehouseId");
      Objects.requireNonNull(recipientKey, "recipientKey");
      Objects.requireNonNull(eligibility, "eligibility");
    }

    MergeGroup group() {
      return new MergeGroup(clientId, warehouseId, recipientKey);
    }
  }

  /** What orders must share to be packaged together. */
  public record MergeGroup(String clientId, String warehouseId, String recipientKey) {}

  public record Package(MergeGroup group, List<String> orderIds) {
    public Package {
      orderIds = List.copyOf(orderIds);
    }
  }

  public record Failure(String orderId, String code, String message) {}

  public record Plan(List<Package> packages, List<Failure> failures) {
    public Plan {
      packages = List.copyOf(packages);
      failures = List.copyOf(failures);
    }
  }

  private final int maxOrdersPerPackage;

  /** @throws IllegalArgumentException when the carrier's limit is below 1 */
  public PackagePlanner(int maxOrdersPerPackage) {
    if (maxOrdersPerPackage < 1) {
      throw new IllegalArgumentException(
          "max orders per package must be at least 1, was " + maxOrdersPerPackage);
    }
    this.maxOrdersPerPackage = maxOrdersPerPackage;
  }

  public int maxOrdersPerPackage() {
    return maxOrdersPerPackage;
  }

  /** Packages in order of each group's first order, orders in input order within a package. */
  public Plan plan(List<Candidate> candidates) {
    // first copy of each order, and which orders came with conflicting copies
    Map<String, Candidate> firstCopy = new LinkedHashMap<>();
    Set<String> conflicting = new LinkedHashSet<>();
    for (Candidate c : candidates) {
      Candidate first = firstCopy.putIfAbsent(c.orderId(), c);
      if (first != null && !first.equals(c)) {
        conflicting.add(c.orderId());
      }
    }

    List<Failure> failures = new ArrayList<>();
    Map<MergeGroup, List<String>> groups = new LinkedHashMap<>();
    for (Candidate c : firstCopy.values()) {
      if (conflicting.contains(c.orderId())) {
        failures.add(new Failure(c.orderId(), DUPLICATE_CONFLICT,
            "order was listed twice with different client, warehouse, recipient or status"));
      } else if (!c.eligibility().packable()) {
        failures.add(new Failure(c.orderId(), c.eligibility().code(), c.eligibility().message()));
      } else {
        groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c.orderId());
      }
    }

    List<Package> packages = new ArrayList<>();
    groups.forEach((group, orderIds) -> {
      for (int from = 0; from < orderIds.size(); from += maxOrdersPerPackage) {
        int to = Math.min(from + maxOrdersPerPackage, orderIds.size());
        packages.add(new Package(group, orderIds.subList(from, to)));
      }
    });
    return new Plan(packages, failures);
  }
}
