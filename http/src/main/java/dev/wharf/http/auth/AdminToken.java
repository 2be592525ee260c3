package dev.wharf.http.auth;

import dev.wharf.http.SettingRefused;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bootstrap admin token: WHARF_ADMIN_TOKEN when set; otherwise generated at first start,
 * printed once, and kept in the data dir only as a hash (admin-token.sha256).
 */
public final class AdminToken {
  public static final String HASH_FILE = "admin-token.sha256";
  /**
   * An operator-chosen token is kept as an unsalted SHA-256 like a generated one, and failed
   * attempts are not rate-limited, so its length is what makes guessing it pointless.
   */
  public static final int MIN_CHOSEN_LENGTH = 24;

  /**
   * The token's hash, what the node should tell its operator about it, and, for a token generated
   * now, the file its hash goes to once the node has started ({@link #keep()}): a start that fails
   * never shows the token, so it must not leave a hash that no one holds the token of.
   */
  public record Resolved(String hash, String announcement, Path hashFileToWrite) {
    public void keep() {
      if (hashFileToWrite == null) {
        return;
      }
      try {
        Files.createDirectories(hashFileToWrite.getParent());
        Files.writeString(hashFileToWrite, hash + "\n", StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + hashFileToWrite, e);
      }
    }
  }

  private AdminToken() {}

  public static Resolved resolve(Path dataDir, String fromEnvironment) {
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      String chosen = fromEnvironment.trim();
      if (chosen.length() < MIN_CHOSEN_LENGTH) {
        // the message never quotes the value: it is a secret even when too short
        throw new SettingRefused("WHARF_ADMIN_TOKEN is " + chosen.length() + " characters; it must be at least "
            + MIN_CHOSEN_LENGTH + " (for example: head -c 32 /dev/urandom | base64), or unset it to have one generated");
      }
      return new Resolved(TokenHash.sha256(chosen), "admin token: the value of WHARF_ADMIN_TOKEN", null);
    }
    Path file = dataDir.resolve(HASH_FILE);
    try {
      if (Files.exists(file)) {
        return new Resolved(Files.readString(file, StandardCharsets.US_ASCII).trim(),
            "admin token: the one printed at this data dir's first start (only its hash is kept in "
                + file + "; delete that file to have a new one generated, or set WHARF_ADMIN_TOKEN)", null);
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String token = "wharf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      return new Resolved(TokenHash.sha256(token), "admin token (shown once, keep it): " + token, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
