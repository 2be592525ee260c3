package dev.wharf.http;

import com.typesafe.config.Config;
import java.util.Map;

/** Starts a Wharf node. Mode from WHARF_MODE (default "single": embedded H2 journal). */
public final class WharfMain {
  private WharfMain() {}

  public static void main(String[] args) throws Exception {
    String mode = System.getenv().getOrDefault("WHARF_MODE", "single");
    Config config;
    WharfNode node;
    try {
      config = WharfNode.loadConfig(mode, Map.of());
      node = WharfNode.start(config, System.getenv("WHARF_ADMIN_TOKEN"));
    } catch (SettingRefused refused) {
      System.err.println("wharf: not started: " + refused.getMessage());
      System.exit(2);
      return;
    }
    String base = "http://" + node.host() + ":" + node.port();
    // stdout, not the log: this is the operator's start-up notice (the token is shown only at first start)
    System.out.println();
    System.out.println("Wharf is up (" + mode + " mode, data in " + config.getString("wharf.data-dir") + ")");
    System.out.println("  API:      " + base + "/v1   (OpenAPI: " + base + "/v1/openapi.yaml)");
    System.out.println("  health:   " + base + "/health, " + base + "/ready");
    System.out.println("  auth:     Authorization: Bearer <token>");
    System.out.println("  " + node.adminAnnouncement());
    System.out.println("WHARF_READY port=" + node.port());
    System.out.flush();
  }
}
