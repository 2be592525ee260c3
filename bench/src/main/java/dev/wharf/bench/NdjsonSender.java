package dev.wharf.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The load generator's stream ingest: one NDJSON request per store, all at once, each order made
 * as it is sent and the results read while it is sent. At most {@code concurrency} orders per
 * stream are unanswered at a time: socket and stream buffers would otherwise take in tens of
 * megabytes of orders ahead of the node, and a duration would bound only their making.
 */
final class NdjsonSender {
  private final Load api;
  private final LoadSpec spec;
  private final OrderMix mix;
  private final long deadlineNanos;

  NdjsonSender(Load api, LoadSpec spec, OrderMix mix, long deadlineNanos) {
    this.api = api;
    this.spec = spec;
    this.mix = mix;
    this.deadlineNanos = deadlineNanos;
  }

  Load.Result send(LoadGenerator.Accepted accepted) {
    var system = PekkoClient.system();
    AtomicLong sent = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    Map<String, Long> errors = new ConcurrentHashMap<>();
    int stores = mix.storeCount();
    long start = System.nanoTime();
    CompletableFuture<?>[] streams = new CompletableFuture<?>[stores];
    // one thread per stream waits for room in its window, off Pekko's threads
    var waiters = java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ndjson-window");
      t.setDaemon(true);
      return t;
    });
    for (int g = 0; g < stores; g++) {
      long first = g;
      Map<String, OrderMix.Order> pending = new ConcurrentHashMap<>(); // platform order no. -> order, until answered
      Semaphore window = new Semaphore(spec.concurrency());
      String storeId = OrderMix.storeId(spec, g % spec.clients(), g / spec.clients());
      Source<ByteString, ?> body = Source.unfold(first, i -> java.util.Optional.of(
              org.apache.pekko.japi.Pair.create(i + stores, i)))
          .takeWhile(i -> i < spec.orders() && System.nanoTime() < deadlineNanos)
          .mapAsync(1, i -> CompletableFuture.supplyAsync(() -> {
            try {
              window.acquire();
            } catch (InterruptedException e) {
              throw new java.util.concurrent.CompletionException("the stream to " + storeId + " was stopped", e);
            }
            return i;
          }, waiters))
          .takeWhile(i -> System.nanoTime() < deadlineNanos) // the deadline may have passed while waiting
          .map(i -> {
            OrderMix.Order o = mix.order(i);
            pending.put(o.platformOrderNo(), o);
            sent.incrementAndGet();
            return ByteString.fromString(o.body() + "\n", StandardCharsets.UTF_8);
          });
      HttpRequest request = HttpRequest.POST(api.base() + "/v1/stores/" + storeId + "/orders:stream")
          .addHeader(RawHeader.create("Authorization", "Bearer " + api.token()))
          .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_OCTET_STREAM, body));
      streams[g] = Http.get(system).singleRequest(request)
          .thenCompose(response -> {
            if (response.status().intValue() >= 300) {
              response.discardEntityBytes(system);
              errors.merge(response.status().intValue() + " stream refused", 1L, Long::sum);
              return CompletableFuture.completedFuture(null);
            }
            return response.entity().getDataBytes()
                .via(Framing.delimiter(ByteString.fromString("\n"), 1 << 20, FramingTruncation.ALLOW))
                .runWith(Sink.foreach(line -> {
                  window.release();
                  answered(line.utf8String(), pending, accepted, ok, errors);
                }), system);
          })
          .toCompletableFuture();
    }
    try {
      CompletableFuture.allOf(streams).orTimeout(3_600, TimeUnit.SECONDS).join();
    } finally {
      waiters.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Load.Result("orders (NDJSON)", sent.get(), ok.get(), seconds, sent.get() / seconds, 0, 0, 0, Map.copyOf(errors));
  }

  private static void answered(String line, Map<String, OrderMix.Order> pending, LoadGenerator.Accepted accepted,
                               AtomicLong ok, Map<String, Long> errors) {
    try {
      var result = Load.JSON.readTree(line);
      OrderMix.Order order = pending.remove(result.path("platformOrderNo").asText());
      if (result.has("orderId") && order != null) {
        ok.incrementAndGet();
        accepted.accept(order);
      } else {
        errors.merge("line " + result.path("error").path("code").asText("?"), 1L, Long::sum);
      }
    } catch (Exception e) {
      errors.merge("unreadable result line", 1L, Long::sum);
    }
  }
}
