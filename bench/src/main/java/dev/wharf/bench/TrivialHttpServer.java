package dev.wharf.bench;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.wharf.engine.domain.OrderIds;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The HTTP ceilings: trivial Pekko HTTP routes with Wharf's server settings. GET /ping for reads;
 * POST /v1/stores/{storeId}/orders takes an order as Wharf's ingest does (body read, JSON parsed,
 * order id derived, small JSON answer) and does nothing with it: what the HTTP layer and the load
 * generator sustain for W1 and W2 with no engine behind them.
 */
public final class TrivialHttpServer extends AllDirectives {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    var config = ConfigFactory.parseString("pekko.http.server.backlog = 1024\npekko.http.server.max-connections = 4096\n"
        + "pekko.actor.provider = local\npekko.loglevel = WARNING").withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "trivial", config);
    TrivialHttpServer d = new TrivialHttpServer();
    ServerBinding b = Http.get(system).newServerAt("127.0.0.1", 0).bind(d.routes()).toCompletableFuture().get();
    System.out.println("TRIVIAL_READY port=" + b.localAddress().getPort());
  }

  private Route routes() {
    return concat(
        path("ping", () -> get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"ok\":true}")))),
        // the intake script's filler request once every order is sent, answered as Wharf answers it
        path("health", () -> get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"status\":\"UP\"}")))),
        path(segment("v1").slash("stores").slash(segment()).slash("orders"), storeId -> post(() ->
            entity(Unmarshaller.entityToString(), body -> takeOrder(storeId, body)))));
  }

  private Route takeOrder(String storeId, String body) {
    JsonNode order;
    try {
      order = JSON.readTree(body);
    } catch (Exception e) {
      order = null;
    }
    String platformOrderNo = order == null ? "" : order.path("platformOrderNo").asText("");
    if (platformOrderNo.isEmpty()) {
      return complete(StatusCodes.BAD_REQUEST, HttpEntities.create(ContentTypes.APPLICATION_JSON,
          "{\"code\":\"VALIDATION\",\"message\":\"platformOrderNo is required\"}"));
    }
    return complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.createObjectNode()
        .put("orderId", OrderIds.orderId(storeId, platformOrderNo)).put("state", "RECEIVED").toString()));
  }
}
