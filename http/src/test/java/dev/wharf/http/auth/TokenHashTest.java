package dev.wharf.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenHashTest {
  @Test
  void aTokenMatchesItsHashAndNoOtherTokenDoes() {
    // SHA-256("abc"), the FIPS 180-2 example
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertEquals(abc, TokenHash.sha256("abc"));
    assertTrue(TokenHash.matches("abc", abc));
    assertTrue(TokenHash.matches("abc", HexFormat.of().parseHex(abc)));
    assertFalse(TokenHash.matches("abd", abc));
    assertFalse(TokenHash.matches("", HexFormat.of().parseHex(abc)));
    assertFalse(TokenHash.matches("abc", new byte[0]));
  }

  /** Requests check tokens on many threads at once; each thread's digest must not leak into another's. */
  @Test
  void concurrentChecksDoNotMixTheirDigests() throws Exception {
    String right = "right-token";
    byte[] hash = HexFormat.of().parseHex(TokenHash.sha256(right));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> checks = IntStream.range(0, 8).<Callable<Integer>>mapToObj(t -> () -> {
        int wrongAccepted = 0;
        for (int i = 0; i < 20_000; i++) {
          boolean rightOne = (i + t) % 2 == 0;
          if (TokenHash.matches(rightOne ? right : "wrong-" + i, hash) != rightOne) {
            wrongAccepted++;
          }
        }
        return wrongAccepted;
      }).toList();
      for (Future<Integer> f : pool.invokeAll(checks)) {
        assertEquals(0, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
