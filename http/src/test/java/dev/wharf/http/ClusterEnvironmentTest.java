package dev.wharf.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Comma lists from the environment become the config lists discovery and the driver read. */
class ClusterEnvironmentTest {
  @Test
  void contactPointsBecomeDiscoveryEndpointsAndDriverContactPoints() {
    Config c = ClusterEnvironment.lists(Map.of(
        "WHARF_CONTACT_POINTS", "127.0.0.1:8559, 127.0.0.1:8560,node-3:8558",
        "WHARF_CASSANDRA_CONTACT_POINTS", "10.0.0.1:9042,10.0.0.2:9042"));
    var endpoints = c.getConfigList("pekko.discovery.config.services.wharf.endpoints");
    assertEquals(3, endpoints.size());
    assertEquals("127.0.0.1", endpoints.get(1).getString("host"));
    assertEquals(8560, endpoints.get(1).getInt("port"));
    assertEquals("node-3", endpoints.get(2).getString("host"));
    assertEquals(List.of("10.0.0.1:9042", "10.0.0.2:9042"), c.getStringList("wharf.cassandra.contact-points"));
  }

  @Test
  void theServiceNameChoosesWhereEndpointsGo() {
    Config c = ClusterEnvironment.lists(Map.of("WHARF_CONTACT_POINTS", "h:1", "WHARF_SERVICE_NAME", "orders"));
    assertTrue(c.hasPath("pekko.discovery.config.services.orders.endpoints"));
  }

  @Test
  void nothingSetChangesNothing() {
    assertTrue(ClusterEnvironment.lists(Map.of()).isEmpty());
  }

  @Test
  void aContactPointWithoutPortIsRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ClusterEnvironment.lists(Map.of("WHARF_CONTACT_POINTS", "127.0.0.1")));
    assertTrue(e.getMessage().contains("WHARF_CONTACT_POINTS"), e.getMessage());
  }

  @Test
  void theClusterModeConfigResolvesWithTheListsInIt() {
    Config c = WharfNode.loadConfig("cluster", Map.of("wharf.cassandra.contact-points", List.of("db:9042")));
    assertEquals(List.of("db:9042"), c.getStringList("datastax-java-driver.basic.contact-points"));
    assertEquals("pekko.persistence.cassandra.journal", c.getString("pekko.persistence.journal.plugin"));
    assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("wharf_snapshot", c.getString("pekko.persistence.cassandra.snapshot.keyspace"));
    assertEquals(0, c.getInt("wharf.order-view-cache.max-entries"), "an order may be written on another node: no view cache");
    assertTrue(WharfNode.loadConfig("single", Map.of()).getInt("wharf.order-view-cache.max-entries") > 0);
  }
}
