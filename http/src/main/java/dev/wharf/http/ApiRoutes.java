package dev.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.engine.metrics.WharfMetrics;
import dev.wharf.engine.persistence.JournalHealth;
import dev.wharf.http.api.Responses;
import dev.wharf.http.auth.TokenHash;
import dev.wharf.http.routes.BillingRoutes;
import dev.wharf.http.routes.MasterDataRoutes;
import dev.wharf.http.routes.OrderRoutes;
import dev.wharf.http.routes.PackingRoutes;
import dev.wharf.http.routes.StoreRoutes;
import dev.wharf.http.routes.SystemRoutes;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/** The whole HTTP surface: public system routes, bearer-protected /v1, JSON for every error. */
public final class ApiRoutes extends AllDirectives {
  private final Responses responses;
  private final byte[] adminTokenDigest;
  private final SystemRoutes system;
  private final MasterDataRoutes masterData;
  private final StoreRoutes stores;
  private final OrderRoutes orders;
  private final BillingRoutes billing;
  private final PackingRoutes packing;
  private final JournalHealth journal;
  private static final String ORDER_PATH = "/v1/orders/";
  private final RouteTemplates templates = RouteTemplates.fromOpenApi();
  private final String orderTemplate = templates.templateOf("/v1/orders/o-1");

  public ApiRoutes(ObjectMapper mapper, String adminTokenHash, JournalHealth journal, SystemRoutes system, MasterDataRoutes masterData,
                   StoreRoutes stores, OrderRoutes orders, BillingRoutes billing, PackingRoutes packing) {
    this.responses = new Responses(mapper);
    this.adminTokenDigest = java.util.HexFormat.of().parseHex(adminTokenHash);
    this.journal = journal;
    this.system = system;
    this.masterData = masterData;
    this.stores = stores;
    this.orders = orders;
    this.billing = billing;
    this.packing = packing;
  }

  /**
   * Built once: Pekko's Java DSL re-runs a Supplier each time a request reaches it, so prebuilt
   * route values keep the 40-odd route definitions from being rebuilt for every request.
   */
  public Route route() {
    // orders first: scanners' GET /v1/orders/{id} is the hottest route, and every route tried
    // before the one that matches adds a rejection to be collected (the prefixes do not overlap)
    Route v1 = concat(orders.route(), masterData.route(), stores.route(), packing.route(), billing.route());
    Route journalGated = journalAnswersForWrites(() -> v1);
    // every /v1 route takes the token (issue #2), the API's own description too (last: the hot
    // routes should not collect its rejection; it is a GET, which the journal gate lets through)
    Route openApiAndV1 = concat(journalGated, system.openApiRoute());
    Route gatedV1 = authenticated(() -> openApiAndV1);
    Route all = concat(system.route(), pathPrefix("v1", () -> gatedV1));
    // the handlers too are built here, not in the suppliers (those run once per request)
    RejectionHandler rejectionHandler = rejections();
    ExceptionHandler exceptionHandler = exceptions();
    Route rejectionsHandled = handleRejections(rejectionHandler, () -> all);
    Route handled = handleExceptions(exceptionHandler, () -> rejectionsHandled);
    return measured(() -> handled);
  }

  /**
   * What the node binds: the routes, with scanners' GET /v1/orders/{id} answered ahead of them when
   * it needs no ask (the order's view is cached, its settlement known). Pekko's Java DSL builds the
   * directives under a matched prefix anew for every request; that was most of such a read's cost
   * (decision 0015). Anything else about the request (no or a wrong token, an unknown or uncached
   * order, another method) goes to the routes, which answer it as always.
   */
  public Function<HttpRequest, CompletionStage<HttpResponse>> handler(ClassicActorSystemProvider system) {
    Function<HttpRequest, CompletionStage<HttpResponse>> routed = route().handler(system);
    return request -> {
      Optional<HttpResponse> read = readWithoutAsking(request);
      return read.isPresent() ? CompletableFuture.completedFuture(read.get()) : routed.apply(request);
    };
  }

  private Optional<HttpResponse> readWithoutAsking(HttpRequest request) {
    if (!request.method().equals(HttpMethods.GET)) {
      return Optional.empty();
    }
    String path = request.getUri().path();
    if (!path.startsWith(ORDER_PATH) || path.indexOf('/', ORDER_PATH.length()) >= 0
        || !bearerToken(request.getHeader("Authorization").map(HttpHeader::value)).map(this::validToken).orElse(false)) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    Optional<HttpResponse> read = orders.readWithoutAsking(path.substring(ORDER_PATH.length()));
    read.ifPresent(r -> WharfMetrics.httpRequest(orderTemplate, "GET", r.status().intValue(), System.nanoTime() - start));
    return read;
  }

  /** Requests by route template, method and status, with their latency (wharf_http_requests_seconds). */
  private Route measured(Supplier<Route> inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      String route = templates.templateOf(request.getUri().path());
      String method = request.method().value();
      return mapResponse(response -> {
        WharfMetrics.httpRequest(route, method, response.status().intValue(), System.nanoTime() - start);
        return response;
      }, inner);
    });
  }

  /**
   * While the journal does not answer, a write would only wait for its timeout: refuse it at once
   * with 503 so that the client knows nothing was written and retries later. Reads still go to
   * the entities, which answer from memory when they are awake.
   */
  private Route journalAnswersForWrites(Supplier<Route> inner) {
    return extractMethod(method -> {
      Optional<String> problem = journal.down();
      if (problem.isEmpty() || method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD)) {
        return inner.get();
      }
      return complete(responses.error(StatusCodes.SERVICE_UNAVAILABLE, "JOURNAL_UNAVAILABLE",
              "the " + journal.backend().name() + " journal does not answer, so nothing was written; retry later",
              null, null)
          .addHeader(RetryAfter.create(2L)));
    });
  }

  private Route authenticated(Supplier<Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> token = bearerToken(header);
      if (token.isPresent() && validToken(token.get())) {
        return inner.get();
      }
      return complete(responses.error(StatusCodes.UNAUTHORIZED, "UNAUTHORIZED",
              token.isPresent() ? "the bearer token is not valid" : "an Authorization: Bearer <token> header is required",
              null, null)
          .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "wharf"))));
    });
  }

  private static Optional<String> bearerToken(Optional<String> authorization) {
    return authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim());
  }

  private boolean validToken(String token) {
    return TokenHash.matches(token, adminTokenDigest);
  }

  /** Pekko's default rejections answer in plain text; every Wharf error is JSON. */
  private HttpResponse asJsonError(HttpResponse response) {
    if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)
        || !(response.entity() instanceof HttpEntity.Strict strict)) {
      return response;
    }
    String code = response.status().reason().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]+", "_");
    return responses.error(response.status(), code, strict.getData().utf8String(), null, null)
        .addHeaders(response.getHeaders());
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(Throwable.class, t -> complete(responses.failure(t)))
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> complete(
            r.getCause() instanceof EntityStreamSizeException
                ? responses.error(StatusCodes.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "request body is too large", null, null)
                : responses.error(StatusCodes.BAD_REQUEST, "MALFORMED_REQUEST", r.message(), null, null)))
        .handle(UnsupportedRequestContentTypeRejection.class, r -> complete(responses.error(
            StatusCodes.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "send application/json", null, null)))
        .handleAll(MethodRejection.class, rs -> complete(responses.error(StatusCodes.METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED", "method not allowed here", null, null)))
        .handleNotFound(complete(responses.error(StatusCodes.NOT_FOUND, "NOT_FOUND", "no such route", null, null)))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(this::asJsonError);
  }
}
