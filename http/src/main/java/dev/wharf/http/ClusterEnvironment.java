package dev.wharf.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two settings ops give as comma lists in the environment, which HOCON cannot split:
 * WHARF_CONTACT_POINTS (management host:port of nodes to bootstrap from, for config discovery)
 * and WHARF_CASSANDRA_CONTACT_POINTS (host:port of Cassandra nodes).
 */
final class ClusterEnvironment {
  private ClusterEnvironment() {}

  static Config lists(Map<String, String> env) {
    Config config = ConfigFactory.empty();
    String contactPoints = env.get("WHARF_CONTACT_POINTS");
    if (contactPoints != null && !contactPoints.isBlank()) {
      String service = env.getOrDefault("WHARF_SERVICE_NAME", "wharf");
      List<Map<String, Object>> endpoints = new ArrayList<>();
      for (String hostPort : split(contactPoints)) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
          throw new IllegalArgumentException("WHARF_CONTACT_POINTS: expected host:port, got " + hostPort);
        }
        endpoints.add(Map.of("host", hostPort.substring(0, colon), "port", Integer.parseInt(hostPort.substring(colon + 1))));
      }
      config = config.withValue("pekko.discovery.config.services." + service + ".endpoints",
          ConfigValueFactory.fromIterable(endpoints));
    }
    String cassandra = env.get("WHARF_CASSANDRA_CONTACT_POINTS");
    if (cassandra != null && !cassandra.isBlank()) {
      config = config.withValue("wharf.cassandra.contact-points", ConfigValueFactory.fromIterable(split(cassandra)));
    }
    return config;
  }

  private static List<String> split(String commaList) {
    return List.of(commaList.trim().split("\\s*,\\s*"));
  }
}
