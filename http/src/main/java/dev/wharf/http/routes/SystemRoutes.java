package dev.wharf.http.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ReadinessCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** Liveness and readiness (no token needed), and the OpenAPI document (under /v1, with the token). */
public final class SystemRoutes extends RouteSupport {
  private final ReadinessCheck readiness;
  private final byte[] openApi;

  public SystemRoutes(ObjectMapper mapper, ReadinessCheck readiness) {
    super(mapper);
    this.readiness = readiness;
    try (InputStream in = SystemRoutes.class.getResourceAsStream("/openapi.yaml")) {
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Route route() {
    return concat(
        path("health", () -> get(() -> complete(responses.ok(views.object().put("status", "UP"))))),
        path("ready", () -> get(() -> respond(() -> readiness.check().thenApply(problems -> {
          if (problems.isEmpty()) {
            return responses.ok(views.object().put("status", "READY"));
          }
          var body = views.object().put("status", "NOT_READY");
          var arr = body.putArray("problems");
          problems.forEach(arr::add);
          return responses.json(StatusCodes.SERVICE_UNAVAILABLE, body);
        })))));
  }

  /** GET openapi.yaml, matched inside /v1 (after its token check). */
  public Route openApiRoute() {
    return path("openapi.yaml", () -> get(() ->
        complete(StatusCodes.OK, HttpEntities.create(
            ContentTypes.create(MediaTypes.applicationWithOpenCharset("yaml"),
                org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8), openApi))));
  }
}
