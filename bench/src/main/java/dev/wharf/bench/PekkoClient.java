package dev.wharf.bench;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The load generator's own actor system, for Pekko HTTP's client connection pool. */
final class PekkoClient {
  private static volatile ActorSystem<Void> system;

  private PekkoClient() {}

  static synchronized ActorSystem<Void> system() {
    if (system == null) {
      system = ActorSystem.create(Behaviors.empty(), "bench-client", ConfigFactory.parseString(
              "pekko.actor.provider = local\npekko.loglevel = WARNING\n"
                  + "pekko.http.host-connection-pool.idle-timeout = 120s\n"
                  + "pekko.http.client.idle-timeout = 120s\n"
                  + "pekko.http.host-connection-pool.response-entity-subscription-timeout = 60s")
          .withFallback(ConfigFactory.load()));
    }
    return system;
  }

  static synchronized void shutdown() {
    if (system != null) {
      system.terminate();
      system = null;
    }
  }
}
