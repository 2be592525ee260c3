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

  // every request checks its token: one digest per thread rather than a provider lookup per request
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  public static String sha256(String token) {
    return HexFormat.of().formatHex(digest(token));
  }

  private static byte[] digest(String token) {
    return SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
  }

  /** Constant-time comparison of the token's hash with a hex hash. */
  public static boolean matches(String token, String expectedHash) {
    return matches(token, HexFormat.of().parseHex(expectedHash));
  }

  /** Constant-time comparison of the token's hash with a hash already decoded (per request: no hex work). */
  public static boolean matches(String token, byte[] expectedHash) {
    return MessageDigest.isEqual(digest(token), expectedHash);
  }
}
