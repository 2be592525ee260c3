package dev.wharf.http.auth;

import dev.wharf.engine.domain.Sha256;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * API tokens are random 256-bit strings, so an unsalted SHA-256 is enough to store them: there is
 * nothing to brute-force that a password hash's work factor would protect.
 */
public final class TokenHash {
  private TokenHash() {}

  public static String sha256(String token) {
    return HexFormat.of().formatHex(Sha256.of(token));
  }

  /** Constant-time comparison of the token's hash with a hex hash. */
  public static boolean matches(String token, String expectedHash) {
    return matches(token, HexFormat.of().parseHex(expectedHash));
  }

  /** Constant-time comparison of the token's hash with a hash already decoded (per request: no hex work). */
  public static boolean matches(String token, byte[] expectedHash) {
    return MessageDigest.isEqual(Sha256.of(token), expectedHash);
  }
}
