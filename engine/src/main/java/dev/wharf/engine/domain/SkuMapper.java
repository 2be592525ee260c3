package dev.wharf.engine.domain;

import dev.wharf.proto.Line;
import dev.wharf.proto.PlatformLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns marketplace lines into system-SKU lines with a store's mappings. A platform SKU maps to
 * one or more (system SKU, qty) components, so a bundle of 2 x A + 1 x B ordered twice becomes
 * 4 x A and 2 x B; lines for the same system SKU are merged so each SkuStock is asked once.
 */
public final class SkuMapper {
  private SkuMapper() {}

  public record Resolution(List<Line> lines, List<String> unmappedSkus) {
    public boolean complete() {
      return unmappedSkus.isEmpty();
    }
  }

  /** Lines of both lists, one per SKU in order of first appearance, quantities summed. */
  public static List<Line> merged(List<Line> first, List<Line> second) {
    Map<String, Long> qtyBySku = new LinkedHashMap<>();
    for (List<Line> lines : List.of(first, second)) {
      lines.forEach(l -> qtyBySku.merge(l.getSku(), l.getQty(), Math::addExact));
    }
    List<Line> lines = new ArrayList<>(qtyBySku.size());
    qtyBySku.forEach((sku, qty) -> lines.add(Line.newBuilder().setSku(sku).setQty(qty).build()));
    return List.copyOf(lines);
  }

  public static Resolution resolve(List<PlatformLine> platformLines, Map<String, List<Line>> mappings) {
    Map<String, Long> qtyBySku = new LinkedHashMap<>();
    Set<String> unmapped = new LinkedHashSet<>();
    for (PlatformLine pl : platformLines) {
      List<Line> components = mappings.get(pl.getPlatformSku());
      if (components == null || components.isEmpty()) {
        unmapped.add(pl.getPlatformSku());
        continue;
      }
      for (Line component : components) {
        qtyBySku.merge(component.getSku(), Math.multiplyExact(component.getQty(), pl.getQty()), Math::addExact);
      }
    }
    List<Line> lines = new ArrayList<>(qtyBySku.size());
    qtyBySku.forEach((sku, qty) -> lines.add(Line.newBuilder().setSku(sku).setQty(qty).build()));
    return new Resolution(List.copyOf(lines), List.copyOf(unmapped));
  }
}
