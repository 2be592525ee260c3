package dev.wharf.bench;

import java.util.Random;

/** Zipf-skewed choice of 0..n-1 (rank 0 the most popular), by inverse CDF over precomputed weights. */
final class Zipf {
  private final double[] cdf;
  private final Random random;

  Zipf(int n, double exponent, long seed) {
    cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    random = new Random(seed);
  }

  synchronized int next() {
    double u = random.nextDouble();
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
