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
import java.util.concurrent.Semaphore;
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

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  Load(String base, String token) {
    this.base = base;
    this.token = token;
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
  Result run(String name, int count, int concurrency, IntFunction<Request> request) throws InterruptedException {
    Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
    Map<String, Long> errors = new ConcurrentHashMap<>();
    AtomicLong ok = new AtomicLong();
    Semaphore inFlight = new Semaphore(concurrency);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      Request r = request.apply(i);
      long sent = System.nanoTime();
      sendAsync(r.method(), r.path(), r.body()).whenComplete((resp, failure) -> {
        latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
        if (failure != null) {
          errors.merge(failure.getClass().getSimpleName(), 1L, Long::sum);
        } else if (resp.statusCode() >= 400) {
          errors.merge(resp.statusCode() + " " + errorCode(resp.body()), 1L, Long::sum);
        } else {
          ok.incrementAndGet();
        }
        inFlight.release();
      });
    }
    inFlight.acquire(concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(name, count, ok.get(), seconds, count / seconds,
        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
        latency.getMaxValue() / 1000.0, Map.copyOf(errors));
  }

  private static String errorCode(String body) {
    try {
      return JSON.readTree(body).path("error").path("code").asText();
    } catch (Exception e) {
      return "?";
    }
  }
}
