package dev.wharf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuUseTest {
  @Test
  void addsEveryThreadsTicksAndCountsTheCompilersAsJit() {
    Map<String, Long> before = Map.of("wharf-pekko.act", 1_000L, "C2 CompilerThre", 500L, "db", 200L);
    Map<String, Long> after = Map.of("wharf-pekko.act", 1_150L, "C2 CompilerThre", 560L, "db", 230L,
        "C1 CompilerThre", 10L); // a thread started during the clock counts from zero
    CpuUse use = CpuUse.between(before, after);
    assertEquals(2.5, use.seconds(), 1e-9); // (150 + 60 + 30 + 10) ticks of 1/100 s
    assertEquals(0.7, use.jitSeconds(), 1e-9);
  }

  @Test
  void unknownWithoutPerThreadCounts() {
    assertFalse(CpuUse.between(Map.of(), Map.of("db", 5L)).known());
    assertEquals(CpuUse.UNKNOWN, CpuUse.between(Map.of("db", 5L), Map.of()));
  }
}
