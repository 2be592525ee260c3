package dev.wharf.http.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.http.api.ApiError;
import dev.wharf.http.api.Body;
import dev.wharf.http.api.Responses;
import dev.wharf.http.api.Views;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** What every route class shares: JSON in, JSON out, failures mapped in one place. */
abstract class RouteSupport extends AllDirectives {
  protected final ObjectMapper mapper;
  protected final Responses responses;
  protected final Views views;

  RouteSupport(ObjectMapper mapper) {
    this.mapper = mapper;
    this.responses = new Responses(mapper);
    this.views = new Views(mapper);
  }

  /** Completes with the stage's response, or with the JSON error its failure maps to. */
  protected Route respond(Supplier<CompletionStage<HttpResponse>> handler) {
    CompletionStage<HttpResponse> stage;
    try {
      stage = handler.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return completeWithFuture(stage.handle((response, failure) ->
        failure == null ? response : responses.failure(failure)));
  }

  /** Reads the JSON body, then runs the handler with it. */
  protected Route withBody(Function<Body, CompletionStage<HttpResponse>> handler) {
    return entity(Unmarshaller.entityToByteString(), bytes ->
        respond(() -> handler.apply(Body.parse(mapper, bytes))));
  }

  protected static String requireId(String value, String what) {
    if (!Identifiers.isValidId(value)) {
      throw new ApiError(StatusCodes.NOT_FOUND, "NOT_FOUND", what + " " + value + " not found", null);
    }
    return value;
  }
}
