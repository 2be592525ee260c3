package dev.wharf.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.http.auth.AdminToken;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated admin token's hash is kept only once the node is up, so the token was shown. */
class AdminTokenTest {
  @Test
  void aGeneratedTokensHashIsKeptOnlyWhenAskedTo(@TempDir Path dataDir) throws Exception {
    AdminToken.Resolved generated = AdminToken.resolve(dataDir, null);
    assertTrue(generated.announcement().contains("shown once"), generated::announcement);
    assertFalse(Files.exists(dataDir.resolve(AdminToken.HASH_FILE)), "nothing kept before the node is up");
    generated.keep();
    AdminToken.Resolved again = AdminToken.resolve(dataDir, null);
    assertEquals(generated.hash(), again.hash());
    assertTrue(again.announcement().contains("first start"), again::announcement);
    assertEquals(AdminToken.resolve(dataDir, "chosen-by-the-operator-0123").hash(), AdminToken.resolve(dataDir.resolve("x"), "chosen-by-the-operator-0123").hash());
  }

  @Test
  void aChosenTokenShorterThanTheMinimumIsRefusedWithoutQuotingIt(@TempDir Path dataDir) {
    String tooShort = "x".repeat(AdminToken.MIN_CHOSEN_LENGTH - 1);
    SettingRefused refused = assertThrows(SettingRefused.class,
        () -> AdminToken.resolve(dataDir, "  " + tooShort + "  "));
    assertTrue(refused.getMessage().contains("at least " + AdminToken.MIN_CHOSEN_LENGTH), refused::getMessage);
    assertFalse(refused.getMessage().contains(tooShort), "the message must not show the secret");
    AdminToken.Resolved atMinimum = AdminToken.resolve(dataDir, tooShort + "y");
    assertEquals(64, atMinimum.hash().length());
  }

  @Test
  void aNodeWithATooShortTokenDoesNotStartAndLeavesItsDataDirEmpty(@TempDir Path dataDir) throws Exception {
    var config = WharfNode.loadConfig("single", Map.of("wharf.data-dir", dataDir.toString(),
        "wharf.http.host", "127.0.0.1", "wharf.http.port", 0,
        "pekko.coordinated-shutdown.exit-jvm", "off", "pekko.loglevel", "WARNING"));
    assertThrows(SettingRefused.class, () -> WharfNode.start(config, "short-token"));
    try (var files = Files.list(dataDir)) {
      assertEquals(java.util.List.of(), files.toList(), "no journal and no token hash");
    }
  }

  @Test
  void aFirstStartThatFailsLeavesNoTokenNobodyWasShown(@TempDir Path dataDir) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      var config = WharfNode.loadConfig("single", Map.of("wharf.data-dir", dataDir.toString(),
          "wharf.http.host", "127.0.0.1", "wharf.http.port", taken.getLocalPort(),
          "pekko.coordinated-shutdown.exit-jvm", "off", "pekko.loglevel", "WARNING"));
      assertThrows(Exception.class, () -> WharfNode.start(config, null));
    }
    assertFalse(Files.exists(dataDir.resolve(AdminToken.HASH_FILE)), "the next start generates a token and shows it");
  }
}
