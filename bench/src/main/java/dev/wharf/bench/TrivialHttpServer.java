package dev.wharf.bench;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;

/** The HTTP ceiling baseline: one trivial Pekko HTTP route, same server settings as Wharf's. */
public final class TrivialHttpServer extends AllDirectives {
  public static void main(String[] args) throws Exception {
    var config = ConfigFactory.parseString("pekko.http.server.backlog = 1024\npekko.http.server.max-connections = 4096\n"
        + "pekko.actor.provider = local\npekko.loglevel = WARNING").withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "trivial", config);
    TrivialHttpServer d = new TrivialHttpServer();
    var route = d.path("ping", () -> d.get(() -> d.complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"ok\":true}"))));
    ServerBinding b = Http.get(system).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture().get();
    System.out.println("TRIVIAL_READY port=" + b.localAddress().getPort());
  }
}
