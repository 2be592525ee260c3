package dev.wharf.http.support;

import static dev.wharf.http.support.Fixtures.ok;
import static dev.wharf.http.support.Fixtures.order;
import static dev.wharf.http.support.Fixtures.receive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the journal that JournalUpgradeTest opens: run it on the Wharf commit (and H2 version)
 * whose files a newer Wharf must keep reading, then zip the data dir's {@code journal} folder into
 * http/src/test/resources/journals/ (how: that folder's README.md).
 */
public final class JournalFixtureWriter {
  private JournalFixtureWriter() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Files.createDirectories(Path.of(args[0]));
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      Fixtures.setUp(api, "WH1", "C1", "S1", false, "CUP");
      ok(receive(api, "WH1", "C1", "GRN-1", Map.of("CUP", 5L)));
      String reviewed = api.post("/v1/stores/S1/orders", order("UPGRADE-1", "P-CUP", 2)).text("orderId");
      ok(api.post("/v1/orders/" + reviewed + "/review", null));
      String waiting = api.post("/v1/stores/S1/orders", order("UPGRADE-2", "P-CUP", 2)).text("orderId");
      System.out.println("reviewed " + reviewed + ", waiting " + waiting);
    }
  }
}
