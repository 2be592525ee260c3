package dev.wharf.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * API tokens are random 256-bit strings, so an unsalted SHA-256 is enough to store them: there is
 * nothing to brute-force that a password hash's work factor would protect.
 */
public final class TokenHash {
  private TokenHash() {}

  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of two hex hashes. */
  public static boolean matches(String token, String expectedHash) {
    return MessageDigest.isEqual(
        sha256(token).getBytes(StandardCharsets.US_ASCII), expectedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
