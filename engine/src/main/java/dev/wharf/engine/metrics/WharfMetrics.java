package dev.wharf.engine.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Timer;

/**
 * Every metric Wharf records, through Kamon's API (no agent: its automatic Pekko instrumentation
 * is unreliable on Pekko 1.1+, see docs/decisions/0011). Names become Prometheus series as
 * wharf_orders_ingested_total, wharf_reviews_total, wharf_review_saga_seconds, wharf_persist_seconds,
 * wharf_http_requests_seconds, wharf_entities_alive, wharf_cluster_members, wharf_h2_compaction_seconds,
 * wharf_h2_file_bytes, wharf_h2_stores_total; deploy/grafana charts them.
 *
 * <p>Instruments are cached per tag value so the hot paths do one map lookup and an add.
 */
public final class WharfMetrics {
  private static final Counter ORDERS_INGESTED = Kamon.counter("wharf.orders.ingested",
      "orders accepted by the API (new ones, not retries)").withoutTags();
  private static final Map<String, Counter> REVIEWS = new ConcurrentHashMap<>();
  private static final Map<String, Timer> SAGA_LATENCY = new ConcurrentHashMap<>();
  private static final Map<String, Timer> PERSIST = new ConcurrentHashMap<>();
  private static final Map<String, Timer> HTTP = new ConcurrentHashMap<>();
  private static final Map<String, Gauge> ENTITIES = new ConcurrentHashMap<>();
  private static final Map<String, Gauge> MEMBERS = new ConcurrentHashMap<>();

  private static final Counter VIEW_HITS = Kamon.counter("wharf.order.view.reads",
      "order reads answered from the node's view cache (hit) or by asking the order (miss)").withTag("result", "hit");
  private static final Counter VIEW_MISSES = Kamon.counter("wharf.order.view.reads").withTag("result", "miss");

  private static final Timer H2_COMPACTION = Kamon.timer("wharf.h2.compaction",
      "compaction rounds of the single node's H2 file; the journal's writes wait meanwhile").withoutTags();
  private static final Gauge H2_FILE_BYTES = Kamon.gauge("wharf.h2.file.bytes",
      "size of the single node's H2 file, as its compaction check last saw it").withoutTags();
  private static final Counter H2_STORES = Kamon.counter("wharf.h2.stores",
      "versions the single node's H2 file stored: with WRITE_DELAY=0 one per commit, each writing a chunk").withoutTags();

  private WharfMetrics() {}

  public static void orderViewRead(boolean hit) {
    (hit ? VIEW_HITS : VIEW_MISSES).increment();
  }

  public static void orderIngested() {
    ORDERS_INGESTED.increment();
  }

  /** A review ended with this outcome (ALLOCATED, REVIEW_FAILED, INSUFFICIENT_FUNDS); sagaNanos < 0: no saga ran. */
  public static void reviewed(String outcome, long sagaNanos) {
    REVIEWS.computeIfAbsent(outcome, o -> Kamon.counter("wharf.reviews").withTag("outcome", o)).increment();
    if (sagaNanos < 0) {
      return;
    }
    SAGA_LATENCY.computeIfAbsent(outcome, o -> Kamon.timer("wharf.review.saga",
        "from the review's first event to its closing event").withTag("outcome", o)).record(sagaNanos);
  }

  /** From the command that asked for the write to the journal's confirmation. */
  public static void persisted(String entityType, long nanos) {
    PERSIST.computeIfAbsent(entityType, t -> Kamon.timer("wharf.persist").withTag("entity", t)).record(nanos);
  }

  public static void httpRequest(String route, String method, int status, long nanos) {
    String key = method + ' ' + route + ' ' + status;
    HTTP.computeIfAbsent(key, k -> Kamon.timer("wharf.http.requests").withTag("route", route)
        .withTag("method", method).withTag("status", String.valueOf(status))).record(nanos);
  }

  public static void entitiesAlive(String entityType, int count) {
    ENTITIES.computeIfAbsent(entityType, t -> Kamon.gauge("wharf.entities.alive",
        "entities running on this node").withTag("type", t)).update(count);
  }

  public static void clusterMembers(String status, int count) {
    MEMBERS.computeIfAbsent(status, s -> Kamon.gauge("wharf.cluster.members",
        "members by status as this node sees the cluster").withTag("status", s)).update(count);
  }

  public static void h2CompactionRound(long nanos) {
    H2_COMPACTION.record(nanos);
  }

  public static void h2FileBytes(long bytes) {
    H2_FILE_BYTES.update(bytes);
  }

  public static void h2Stores(long count) {
    H2_STORES.increment(count);
  }
}
