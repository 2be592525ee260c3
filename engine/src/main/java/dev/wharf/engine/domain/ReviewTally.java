package dev.wharf.engine.domain;

import dev.wharf.proto.Line;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.Shortage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the answers of a reservation saga: which lines were reserved and which were short.
 * The review passes only when every line is reserved (all or nothing).
 */
public final class ReviewTally {
  public static final String INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK";

  private final List<Line> lines;
  private final Map<String, Boolean> reserved = new LinkedHashMap<>();
  private final Map<String, Shortage> shortages = new LinkedHashMap<>();

  public ReviewTally(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  public void reserved(String sku) {
    reserved.put(sku, true);
  }

  public void refused(String sku, long requested, long available) {
    reserved.put(sku, false);
    shortages.put(sku, Shortage.newBuilder().setSku(sku).setRequested(requested).setAvailable(available).build());
  }

  public boolean complete() {
    return reserved.size() == lines.size();
  }

  public boolean allReserved() {
    return complete() && shortages.isEmpty();
  }

  /** Lines whose reservation succeeded and must be released when the review fails. */
  public List<Line> reservedLines() {
    return lines.stream().filter(l -> Boolean.TRUE.equals(reserved.get(l.getSku()))).toList();
  }

  /** The failure with every short SKU, in the order's line order (answers arrive in any order). */
  public ReviewFailure failure() {
    List<Shortage> shortages = lines.stream().map(l -> this.shortages.get(l.getSku())).filter(s -> s != null).toList();
    StringBuilder message = new StringBuilder("insufficient stock: ");
    for (int i = 0; i < shortages.size(); i++) {
      Shortage s = shortages.get(i);
      if (i > 0) {
        message.append("; ");
      }
      message.append(s.getSku()).append(" short by ").append(s.getRequested() - s.getAvailable())
          .append(" (requested ").append(s.getRequested()).append(", available ").append(s.getAvailable()).append(')');
    }
    return ReviewFailure.newBuilder()
        .setCode(INSUFFICIENT_STOCK)
        .setMessage(message.toString())
        .addAllShortages(shortages)
        .build();
  }
}
