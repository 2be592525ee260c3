package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.order;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.engine.domain.OrderIds;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.TestNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written by an earlier Wharf on an earlier H2 (test resources journals/, how it was
 * made: the README there) opens with today's H2: its orders and stock read back, and new writes
 * go on from them across a restart.
 */
class JournalUpgradeTest {
  private static void unzip(String resource, Path dataDir) throws Exception {
    try (InputStream in = JournalUpgradeTest.class.getResourceAsStream(resource);
         ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        Path target = dataDir.resolve(entry.getName()).normalize();
        Files.createDirectories(target.getParent());
        Files.copy(zip, target);
      }
    }
  }

  @Test
  void aJournalWrittenWithH2_2_2_224KeepsWorking(@TempDir Path dataDir) throws Exception {
    unzip("/journals/h2-2.2.224.zip", dataDir);
    // what JournalFixtureWriter left: 5 CUPs received, UPGRADE-1 (2 CUPs) reviewed, UPGRADE-2 (2) not
    String reviewed = OrderIds.orderId("S1", "UPGRADE-1");
    String waiting = OrderIds.orderId("S1", "UPGRADE-2");
    String refused = OrderIds.orderId("S1", "UPGRADE-3"); // ordered after the upgrade
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      assertEquals("ALLOCATED", api.get("/v1/orders/" + reviewed).text("state"));
      assertEquals("PENDING", api.get("/v1/orders/" + waiting).text("state"));
      assertEquals(3, available(api));
      assertEquals("ALLOCATED", api.post("/v1/orders/" + waiting + "/review", null).text("state"));
      assertEquals(refused, api.post("/v1/stores/S1/orders", order("UPGRADE-3", "P-CUP", 2)).text("orderId"));
      assertEquals("REVIEW_FAILED", api.post("/v1/orders/" + refused + "/review", null).text("state"));
    }
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      assertEquals("ALLOCATED", api.get("/v1/orders/" + reviewed).text("state"));
      assertEquals("ALLOCATED", api.get("/v1/orders/" + waiting).text("state"));
      assertEquals("REVIEW_FAILED", api.get("/v1/orders/" + refused).text("state"));
      assertEquals(1, available(api));
    }
  }

  /**
   * The fixture's client C1 was defined before codes were claimed (its code HMKJ was nobody's): the
   * node claims it at start, so another client cannot take it and repeat C1's order numbers.
   */
  @Test
  void aClientDefinedBeforeCodesWereClaimedKeepsItsCode(@TempDir Path dataDir) throws Exception {
    unzip("/journals/h2-2.2.224.zip", dataDir);
    var newcomer = Api.obj().put("name", "Newcomer").put("code", "HMKJ").put("email", "ops@newcomer.test");
    try (TestNode node = TestNode.start(dataDir)) {
      Api api = node.api();
      assertEquals(200, api.withToken(null).get("/ready").status());
      Api.Response taken = api.put("/v1/clients/NEWCOMER", newcomer);
      assertEquals(409, taken.status(), taken::toString);
      assertEquals(404, api.get("/v1/clients/NEWCOMER").status(), "the refused client was not created");
      assertEquals(200, api.put("/v1/clients/C1", Api.obj().put("name", "Client C1, renamed").put("code", "HMKJ")
          .put("email", "ops@C1.test")).status());
    }
    // the claim is in the journal: a restart (which does not claim again) still refuses it
    try (TestNode node = TestNode.start(dataDir)) {
      assertEquals(409, node.api().put("/v1/clients/NEWCOMER", newcomer).status());
    }
  }

  private static long available(Api api) {
    return api.get("/v1/warehouses/WH1/stock/C1/CUP").body().path("available").asLong();
  }
}
