package dev.wharf.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wharf.engine.persistence.H2Journal;
import dev.wharf.engine.serialization.WharfProtoSerializer;
import dev.wharf.proto.Line;
import dev.wharf.proto.OrderAllocated;
import dev.wharf.proto.OrderIngested;
import dev.wharf.proto.OrderReviewStarted;
import dev.wharf.proto.Recipient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/** What users would pick instead, and the limits under Wharf, measured in the same run. */
final class Baselines {
  private Baselines() {}

  record Rate(String name, long operations, double seconds, double perSecond, double p50Ms, double p99Ms,
              Map<String, Object> checks) {}

  static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/journal/wharf;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /**
   * The storage limit: batched inserts (400 rows a batch, one commit each, as the journal does) of
   * real Wharf order events into the same embedded H2 journal schema. The rows are a real journal
   * too: orders with a review opened and closed, tagged as the node tags them, so W5 starts a node on them.
   */
  static Rate rawJournalInserts(Path dataDir, int events) throws Exception {
    return rawJournalInserts(dataDir, events, false);
  }

  /**
   * {@code hashedIds}: persistence ids as Wharf's orders have them (a hash of store and platform
   * order no., so every order lands on a random index page), else ascending ids (the best case for
   * H2's B-trees; this journal is also the one W5 recovers).
   */
  static Rate rawJournalInserts(Path dataDir, int events, boolean hashedIds) throws Exception {
    String url = h2Url(dataDir);
    H2Journal.ensureSchema(url, "sa", "");
    byte[][] payloads = {
        OrderIngested.newBuilder().setOrderId("o-0000000000000000000000000000").setOrderNo("BN-261122-00001")
            .setStoreId("W5S").setClientId("W5C").setPlatformOrderNo("2012204TH7K8TW").setWarehouseId("W5WH")
            .addLines(Line.newBuilder().setSku("SKU1").setQty(1))
            .setRecipient(Recipient.newBuilder().setName("Junjun Dy").setPhone("639325122495").setCountry("PH")
                .setPostalCode("2307").setCity("Manila").setAddress1("12 Rizal St"))
            .build().toByteArray(),
        OrderReviewStarted.getDefaultInstance().toByteArray(),
        OrderAllocated.getDefaultInstance().toByteArray()};
    String[] manifests = {"wharf.OrderIngested", "wharf.OrderReviewStarted", "wharf.OrderAllocated"};
    long start = System.nanoTime();
    int written = 0;
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.setAutoCommit(false);
      PreparedStatement insert = c.prepareStatement("INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", "
          + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", "
          + "\"event_ser_manifest\") VALUES (?, ?, 'bench', ?, '', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
      PreparedStatement tag = c.prepareStatement("INSERT INTO PUBLIC.\"event_tag\" (\"event_id\", \"tag\") VALUES (?, 'order-saga')");
      while (written < events) {
        int batch = Math.min(400, events - written);
        List<Boolean> tagged = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          int n = written + i;
          int kind = n % 3;
          insert.setString(1, "Order|" + (hashedIds
              ? dev.wharf.engine.domain.OrderIds.orderId("RAW", Integer.toString(n / 3)) : "o-bench" + (n / 3)));
          insert.setLong(2, kind + 1);
          insert.setLong(3, System.currentTimeMillis());
          insert.setBytes(4, payloads[kind]);
          insert.setInt(5, WharfProtoSerializer.IDENTIFIER);
          insert.setString(6, manifests[kind]);
          insert.addBatch();
          tagged.add(kind > 0);
        }
        insert.executeBatch();
        try (ResultSet keys = insert.getGeneratedKeys()) {
          int i = 0;
          while (keys.next()) {
            if (tagged.get(i++)) {
              tag.setLong(1, keys.getLong(1));
              tag.addBatch();
            }
          }
        }
        tag.executeBatch();
        c.commit();
        written += batch;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Rate("raw H2 journal inserts, " + (hashedIds ? "hashed" : "ascending") + " ids (batches of 400)",
        written, seconds, written / seconds, 0, 0, Map.of());
  }

  /** Journal rows a stopped node wrote between two wall-clock instants (the journal stamps every row). */
  static long journalRowsWritten(Path dataDir, long fromMillis, long toMillis) throws Exception {
    try (Connection c = DriverManager.getConnection(h2Url(dataDir), "sa", "");
         PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM PUBLIC.\"event_journal\" "
             + "WHERE \"write_timestamp\" BETWEEN ? AND ?")) {
      q.setLong(1, fromMillis);
      q.setLong(2, toMillis);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * W2 as PostgreSQL users would write it: each reservation its own transaction,
   * {@code UPDATE stock SET reserved = reserved + 1 WHERE sku = ? AND on_hand - reserved >= 1},
   * from {@code senders} threads through a connection pool.
   */
  static Rate postgresFlashSale(String jdbcUrl, long units, int orders, int senders) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(Math.min(senders, 90));
    try (HikariDataSource ds = new HikariDataSource(config)) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS stock");
        s.execute("CREATE TABLE stock (sku text PRIMARY KEY, on_hand bigint NOT NULL, reserved bigint NOT NULL)");
        s.execute("INSERT INTO stock VALUES ('HOT', " + units + ", 0)");
      }
      ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
      AtomicLong reserved = new AtomicLong();
      AtomicLong next = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < senders; t++) {
        workers.add(pool.submit(() -> {
          while (next.getAndIncrement() < orders) {
            long sent = System.nanoTime();
            try (Connection c = ds.getConnection();
                 PreparedStatement u = c.prepareStatement(
                     "UPDATE stock SET reserved = reserved + 1 WHERE sku = ? AND on_hand - reserved >= 1")) {
              u.setString(1, "HOT");
              reserved.addAndGet(u.executeUpdate());
            }
            latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      pool.shutdown();
      double seconds = (System.nanoTime() - start) / 1e9;
      long inTable;
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT reserved FROM stock WHERE sku = 'HOT'")) {
        rs.next();
        inTable = rs.getLong(1);
      }
      return new Rate("PostgreSQL, one UPDATE per reservation", orders, seconds, orders / seconds,
          latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
          Map.of("reserved", reserved.get(), "reservedInTable", inTable, "oversold", inTable > units));
    }
  }
}
