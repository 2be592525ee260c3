package dev.wharf.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ZipfTest {
  @Test
  void popularityFallsWithRankAsOneOverRank() {
    Zipf zipf = new Zipf(100, 1.0, 42);
    int[] counts = new int[100];
    int draws = 200_000;
    for (int i = 0; i < draws; i++) {
      counts[zipf.next()]++;
    }
    // rank k is drawn with probability (1/k) / H(100), H(100) ~ 5.187
    double harmonic = IntStream.rangeClosed(1, 100).mapToDouble(k -> 1.0 / k).sum();
    for (int rank : new int[] {0, 1, 9, 99}) {
      double expected = draws / ((rank + 1) * harmonic);
      assertEquals(expected, counts[rank], 5 * Math.sqrt(expected), "rank " + rank);
    }
    assertTrue(counts[0] > counts[1] && counts[1] > counts[9] && counts[9] > counts[99]);
  }

  @Test
  void theSameSeedDrawsTheSameSequence() {
    Zipf a = new Zipf(50, 1.0, 7);
    Zipf b = new Zipf(50, 1.0, 7);
    int[] fromA = IntStream.range(0, 1_000).map(i -> a.next()).toArray();
    int[] fromB = IntStream.range(0, 1_000).map(i -> b.next()).toArray();
    assertArrayEquals(fromA, fromB);
    assertTrue(IntStream.of(fromA).allMatch(r -> r >= 0 && r < 50));
  }
}
