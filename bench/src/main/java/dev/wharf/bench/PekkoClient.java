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

  /** Pools first: a pool still open when its system stops logs "Pool shutdown unexpectedly" with a stack trace. */
  static synchronized void shutdown() {
    if (system != null) {
      try {
        org.apache.pekko.http.javadsl.Http.get(system).shutdownAllConnectionPools().toCompletableFuture()
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("bench client: connection pools did not shut down in 10 s (" + e + ")");
      }
      system.terminate();
      system = null;
    }
  }
}
