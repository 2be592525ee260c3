package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.proto.Line;
import dev.wharf.proto.PlatformLine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SkuMapperTest {
  private static Line line(String sku, long qty) {
    return Line.newBuilder().setSku(sku).setQty(qty).build();
  }

  private static PlatformLine pl(String sku, long qty) {
    return PlatformLine.newBuilder().setPlatformSku(sku).setQty(qty).build();
  }

  private static final Map<String, List<Line>> MAPPINGS = Map.of(
      "SHOPEE-CUP", List.of(line("CUP", 1)),
      "LAZADA-CUP", List.of(line("CUP", 1)),
      "GIFT-SET", List.of(line("CUP", 2), line("LID", 1)));

  @Test
  void aBundleExpandsPerOrderedUnit() {
    var r = SkuMapper.resolve(List.of(pl("GIFT-SET", 3)), MAPPINGS);
    assertEquals(List.of(line("CUP", 6), line("LID", 3)), r.lines());
    assertEquals(true, r.complete());
  }

  @Test
  void manyPlatformSkusForOneSystemSkuMergeIntoOneLine() {
    var r = SkuMapper.resolve(List.of(pl("SHOPEE-CUP", 1), pl("LAZADA-CUP", 2), pl("GIFT-SET", 1)), MAPPINGS);
    assertEquals(List.of(line("CUP", 5), line("LID", 1)), r.lines());
  }

  @Test
  void unmappedSkusAreNamedOnceAndTheRestStillMaps() {
    var r = SkuMapper.resolve(List.of(pl("NEW-SKU", 1), pl("SHOPEE-CUP", 1), pl("NEW-SKU", 2)), MAPPINGS);
    assertEquals(List.of("NEW-SKU"), r.unmappedSkus());
    assertEquals(List.of(line("CUP", 1)), r.lines());
    assertEquals(false, r.complete());
  }

  @Test
  void mergedLinesSumPerSkuInOrderOfFirstAppearance() {
    assertEquals(List.of(line("A", 1), line("B", 5), line("C", 1)),
        SkuMapper.merged(List.of(line("A", 1), line("B", 2)), List.of(line("B", 3), line("C", 1))));
    assertEquals(List.of(), SkuMapper.merged(List.of(), List.of()));
  }
}
