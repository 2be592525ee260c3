package dev.wharf.bench;

/**
 * What the load generator sends: how many clients, stores and SKUs, how skewed and how many lines,
 * how many bundles, how many at once, and for how long (an order count, or seconds when
 * {@code durationSeconds} > 0); {@code fees}: the clients pay outbound fees, held at each review;
 * {@code ship}: the allocated orders are then shipped and each client's fees settled on a statement.
 */
record LoadSpec(String prefix, int clients, int storesPerClient, int skus, double zipfExponent, int minLines, int maxLines,
                double bundleShare, int concurrency, long orders, int durationSeconds, boolean stream, long stockPerSku,
                long seed, boolean fees, boolean ship) {
  LoadSpec {
    require(clients >= 1 && storesPerClient >= 1 && skus >= 1, "clients, stores per client and SKUs must be at least 1");
    require(minLines >= 1 && maxLines >= minLines, "lines must be a range like 1-3");
    require(maxLines <= skus, "an order cannot have more distinct lines than there are SKUs");
    require(bundleShare >= 0 && bundleShare <= 1, "the bundle share must be between 0 and 1");
    require(zipfExponent >= 0, "the Zipf exponent must not be negative");
    require(concurrency >= 1, "concurrency must be at least 1");
    require(orders >= 1 || durationSeconds >= 1, "give an order count or a duration");
    require(stockPerSku >= 1, "stock per SKU must be at least 1");
    require(!ship || fees, "--ship needs --fees: it checks the fees charged and settled");
    require(prefix.matches("[A-Za-z0-9]{1,12}"), "the prefix must be 1-12 letters or digits");
  }

  /** The outbound fee the generator's customer group charges: 2.00 USD per order and 0.50 per additional unit. */
  static final long FEE_PER_ORDER = 200;
  static final long FEE_PER_ADDITIONAL_UNIT = 50;

  static long outboundFee(long units) {
    return FEE_PER_ORDER + FEE_PER_ADDITIONAL_UNIT * (units - 1);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
