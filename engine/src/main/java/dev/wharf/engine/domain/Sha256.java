package dev.wharf.engine.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of text, with one digest per thread: every ingested order and every request's token is
 * hashed, and {@code MessageDigest.getInstance} looks the provider up again on each call.
 */
public final class Sha256 {
  private Sha256() {}

  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  public static byte[] of(String text) {
    return DIGEST.get().digest(text.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
  }

  /** The two texts joined by a zero byte, which neither may contain, so ("ab","c") differs from ("a","bc"). */
  public static byte[] of(String first, String second) {
    MessageDigest sha = DIGEST.get();
    sha.update(first.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(second.getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }
}
