package dev.wharf.engine.domain;

import dev.wharf.proto.Line;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A receipt's lines as its reference stands for them: one per SKU, whatever order they came in. */
public final class ReceiptLines {
  private ReceiptLines() {}

  /** One line per SKU with its quantities added up, in the order the SKUs first appear. */
  public static List<Line> merged(List<Line> lines) {
    return bySku(lines).entrySet().stream()
        .map(e -> Line.newBuilder().setSku(e.getKey()).setQty(e.getValue()).build())
        .toList();
  }

  /** The same goods: each SKU with the same total, the order of the lines aside. */
  public static boolean same(List<Line> a, List<Line> b) {
    return bySku(a).equals(bySku(b));
  }

  private static Map<String, Long> bySku(List<Line> lines) {
    Map<String, Long> qtyBySku = new LinkedHashMap<>();
    lines.forEach(l -> qtyBySku.merge(l.getSku(), l.getQty(), Math::addExact));
    return qtyBySku;
  }
}
