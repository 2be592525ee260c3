package dev.wharf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderMixTest {
  private static final LoadSpec SPEC = new LoadSpec("T", 3, 2, 20, 1.0, 1, 3, 0.5, 8, 1000, 0, false, 100, 1, false, false);

  @Test
  void ordersGoToTheClientsInTurnAndToEachClientsStoresInTurn() {
    OrderMix mix = new OrderMix(SPEC);
    assertEquals(6, mix.storeCount());
    for (long i = 0; i < 12; i++) {
      OrderMix.Order o = mix.order(i);
      int client = (int) (i % 3);
      int store = (int) ((i / 3) % 2);
      assertEquals(OrderMix.clientId(SPEC, client), o.clientId());
      assertEquals(OrderMix.storeId(SPEC, client, store), o.storeId());
      // store number g = i % 6 is client g % 3's store g / 3: the stream sender relies on it
      assertEquals(OrderMix.storeId(SPEC, (int) (i % 6) % 3, (int) (i % 6) / 3), o.storeId());
    }
  }

  @Test
  void bundlesAskForBothOfTheirSkusAndLinesStayInRange() throws Exception {
    OrderMix mix = new OrderMix(SPEC);
    Set<String> platformOrderNos = new HashSet<>();
    int bundles = 0;
    for (long i = 0; i < 500; i++) {
      OrderMix.Order o = mix.order(i);
      assertTrue(platformOrderNos.add(o.platformOrderNo()));
      var lines = Load.JSON.readTree(o.body()).path("lines");
      assertTrue(lines.size() >= 1 && lines.size() <= 3);
      long expectedUnits = 0;
      for (var line : lines) {
        String platformSku = line.path("platformSku").asText();
        if (platformSku.startsWith("B-")) {
          bundles++;
          int k = Integer.parseInt(platformSku.substring(2));
          assertTrue(o.unitsBySku().containsKey("SKU" + k) && o.unitsBySku().containsKey("SKU" + (k + 1)));
          expectedUnits += 2;
        } else {
          expectedUnits += 1;
        }
      }
      assertEquals(expectedUnits, o.unitsBySku().values().stream().mapToLong(Long::longValue).sum(), o.body());
    }
    assertTrue(bundles > 100, "half the lines may be bundles: " + bundles);
  }
}
