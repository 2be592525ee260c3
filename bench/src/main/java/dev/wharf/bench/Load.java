package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator's engine: sends requests over HTTP with at most {@code concurrency} in
 * flight, records each latency in an HdrHistogram and counts errors by code.
 */
final class Load {
  static final ObjectMapper JSON = new ObjectMapper();

  record Request(String method, String path, String body) {}

  record Result(String name, long requests, long ok, double seconds, double perSecond, double p50Ms, double p99Ms,
                double maxMs, Map<String, Long> errors) {}

  // HTTP/1.1 with keep-alive, as connectors send; no h2c upgrade attempts on loopback
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  Load(String base, String token) {
    this.base = base;
    this.token = token;
  }

  String base() {
    return base;
  }

  String token() {
    return token;
  }

  HttpResponse<String> send(String method, String path, String body) {
    return sendAsync(method, path, body).join();
  }

  JsonNode json(String method, String path, String body) {
    try {
      return JSON.readTree(send(method, path, body).body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String body) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return client.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Runs requests 0..count-1 (made by {@code request}) with bounded concurrency. */
  Result run(String name, int count, int concurrency, IntFunction<Request> request) {
    return run(name, count, concurrency, request, null);
  }

  /**
   * The load itself goes through Pekko HTTP's client connection pool ({@code concurrency}
   * keep-alive connections, streamed and back-pressured): the JDK HttpClient used for set-up
   * tops out around 2,500 requests/s on 2 cores, an order of magnitude below the servers.
   * {@code onBody} (optional) gets every 2xx body.
   */
  Result run(String name, int count, int concurrency, IntFunction<Request> request,
             java.util.function.BiConsumer<Integer, String> onBody) {
    return run(name, count, Long.MAX_VALUE, concurrency, request, onBody);
  }

  /**
   * The same, sending no new request once {@code System.nanoTime()} has passed {@code deadlineNanos}
   * (requests in flight are still answered); the result counts the requests sent.
   */
  Result run(String name, int count, long deadlineNanos, int concurrency, IntFunction<Request> request,
             java.util.function.BiConsumer<Integer, String> onBody) {
    AtomicLong sentCount = new AtomicLong();
    Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
    Map<String, Long> errors = new ConcurrentHashMap<>();
    AtomicLong ok = new AtomicLong();
    var system = PekkoClient.system();
    var settings = org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings.create(system.settings().config())
        .withMaxConnections(concurrency)
        .withMaxOpenRequests(Integer.highestOneBit(Math.max(concurrency, 1) * 4));
    var pool = org.apache.pekko.http.javadsl.Http.get(system).<long[]>superPool(settings,
        org.apache.pekko.event.Logging.getLogger(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system), "bench"));
    long start = System.nanoTime();
    org.apache.pekko.stream.javadsl.Source.range(0, count - 1)
        .takeWhile(i -> System.nanoTime() < deadlineNanos)
        .map(i -> {
          sentCount.incrementAndGet();
          Request r = request.apply(i);
          var req = org.apache.pekko.http.javadsl.model.HttpRequest.create(base + r.path())
              .withMethod(org.apache.pekko.http.javadsl.model.HttpMethods.lookup(r.method()).get());
          if (r.body() != null) {
            req = req.withEntity(org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON, r.body());
          }
          if (token != null) {
            req = req.addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Authorization", "Bearer " + token));
          }
          return org.apache.pekko.japi.Pair.create(req, new long[] {System.nanoTime(), i});
        })
        .via(pool)
        .mapAsyncUnordered(concurrency, pair -> {
          long sent = pair.second()[0];
          int index = (int) pair.second()[1];
          if (pair.first().isFailure()) {
            latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
            errors.merge(pair.first().failed().get().getClass().getSimpleName(), 1L, Long::sum);
            return java.util.concurrent.CompletableFuture.completedFuture(0);
          }
          var response = pair.first().get();
          return response.entity().toStrict(60_000, system).thenApply(strict -> {
            latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
            String body = strict.getData().utf8String();
            if (response.status().intValue() >= 400) {
              errors.merge(response.status().intValue() + " " + errorCode(body), 1L, Long::sum);
            } else {
              ok.incrementAndGet();
              if (onBody != null) {
                onBody.accept(index, body);
              }
            }
            return 0;
          });
        })
        .runWith(org.apache.pekko.stream.javadsl.Sink.ignore(), system)
        .toCompletableFuture().join();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(name, sentCount.get(), ok.get(), seconds, sentCount.get() / seconds,
        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
        latency.getMaxValue() / 1000.0, Map.copyOf(errors));
  }

  /**
   * Each order's state, read back through GET /v1/orders/{id} (64 at a time): id -> state, or
   * UNREADABLE for a body without one; an order that was not found is missing from the map.
   */
  Map<String, String> orderStates(java.util.List<String> orderIds) {
    Map<String, String> states = new ConcurrentHashMap<>();
    run("read-back", orderIds.size(), 64, i -> new Request("GET", "/v1/orders/" + orderIds.get(i), null),
        (i, body) -> {
          try {
            states.put(orderIds.get(i), JSON.readTree(body).path("state").asText());
          } catch (Exception e) {
            states.put(orderIds.get(i), "UNREADABLE");
          }
        });
    return states;
  }

  private static String errorCode(String body) {
    try {
      return JSON.readTree(body).path("error").path("code").asText();
    } catch (Exception e) {
      return "?";
    }
  }
}
