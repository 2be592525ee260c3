package dev.wharf.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The load generator's orders: order {@code i} goes to client {@code i % clients} and to that
 * client's stores in turn, so the orders of store number {@code g} (of clients x stores) are the
 * indexes {@code g, g + clients x stores, ...} and a stream per store can make its own. Each has a
 * random number of distinct marketplace lines in the spec's range, each a Zipf-popular SKU of the
 * client (one generator per client) or, for a share of them, a bundle: marketplace SKU
 * {@code B-<k>}, mapped to SKU k and SKU k+1 at one unit each.
 */
final class OrderMix {
  /** One order: where it goes, its JSON body and the units it asks of each system SKU. */
  record Order(String storeId, String clientId, String platformOrderNo, String body, Map<String, Long> unitsBySku) {}

  private final LoadSpec spec;
  private final Zipf[] zipfs;

  OrderMix(LoadSpec spec) {
    this.spec = spec;
    // one generator per client, each seeded from the spec: the order stream does not depend on threads
    this.zipfs = new Zipf[spec.clients()];
    for (int c = 0; c < spec.clients(); c++) {
      zipfs[c] = new Zipf(spec.skus(), spec.zipfExponent(), spec.seed() + c);
    }
  }

  static String clientId(LoadSpec spec, int client) {
    return spec.prefix() + "C" + client;
  }

  /** A client's own code (codes are unique per client, they start its order numbers): from a hash of its id. */
  static String clientCode(String clientId) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().withUpperCase().formatHex(hash, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String storeId(LoadSpec spec, int client, int store) {
    return spec.prefix() + "S" + client + "-" + store;
  }

  static String sku(int k) {
    return "SKU" + k;
  }

  /** Bundles pair a SKU with the next one, so the last SKU heads none. */
  static boolean canHeadBundle(LoadSpec spec, int k) {
    return k + 1 < spec.skus();
  }

  /** The number of stores over all clients; store number g is client g % clients, its store g / clients. */
  int storeCount() {
    return spec.clients() * spec.storesPerClient();
  }

  /** Order {@code index}. Safe from several threads; its lines then depend on the order of the calls. */
  Order order(long index) {
    int client = (int) (index % spec.clients());
    int store = (int) ((index / spec.clients()) % spec.storesPerClient());
    Random random = new Random(spec.seed() * 31 + index);
    int lineCount = spec.minLines() + random.nextInt(spec.maxLines() - spec.minLines() + 1);
    Map<String, Integer> lines = new LinkedHashMap<>();
    Map<String, Long> units = new LinkedHashMap<>();
    int attempts = 0;
    while (lines.size() < lineCount && attempts++ < 50 * lineCount) {
      int k = zipfs[client].next();
      boolean bundle = canHeadBundle(spec, k) && random.nextDouble() < spec.bundleShare();
      String platformSku = bundle ? "B-" + k : "P-" + sku(k);
      if (lines.putIfAbsent(platformSku, 1) == null) {
        units.merge(sku(k), 1L, Long::sum);
        if (bundle) {
          units.merge(sku(k + 1), 1L, Long::sum);
        }
      }
    }
    String platformOrderNo = spec.prefix() + "-" + index;
    var o = Load.JSON.createObjectNode().put("platformOrderNo", platformOrderNo);
    var arr = o.putArray("lines");
    lines.forEach((platformSku, qty) -> arr.add(Load.JSON.createObjectNode().put("platformSku", platformSku).put("qty", qty)));
    o.set("recipient", Load.JSON.createObjectNode().put("name", "Buyer " + index).put("phone", "639171234567")
        .put("country", "PH").put("postalCode", "2307").put("city", "Manila").put("address1", index + " Rizal St"));
    return new Order(storeId(spec, client, store), clientId(spec, client), platformOrderNo, o.toString(), units);
  }
}
