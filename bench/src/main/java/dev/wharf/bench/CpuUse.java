package dev.wharf.bench;

import java.util.Map;

/**
 * The node's CPU over a workload's clock, and the part of it its JIT compilers took: CPU per
 * operation moves less with this shared machine's neighbours than throughput does, and the JIT
 * share says how far from steady state a measurement was (docs/benchmarks.md, round 7).
 */
record CpuUse(double seconds, double jitSeconds) {
  static final CpuUse UNKNOWN = new CpuUse(0, 0);

  /** Linux counts thread CPU in clock ticks of 1/100 s (USER_HZ). */
  static final double TICKS_PER_SECOND = 100;

  /** Between two samples of {@link Node#cpuTicksByThread()}; unknown where there is no /proc. */
  static CpuUse between(Map<String, Long> before, Map<String, Long> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return UNKNOWN;
    }
    long all = 0;
    long jit = 0;
    for (var e : after.entrySet()) {
      long ticks = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      all += ticks;
      if (e.getKey().startsWith("C1 Compiler") || e.getKey().startsWith("C2 Compiler")) {
        jit += ticks;
      }
    }
    return new CpuUse(all / TICKS_PER_SECOND, jit / TICKS_PER_SECOND);
  }

  boolean known() {
    return seconds > 0;
  }
}
