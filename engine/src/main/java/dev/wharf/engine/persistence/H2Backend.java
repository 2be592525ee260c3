package dev.wharf.engine.persistence;

import com.typesafe.config.Config;
import dev.wharf.engine.app.Wharf;
import dev.wharf.engine.metrics.WharfMetrics;
import dev.wharf.engine.saga.SagaRecoveryDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Single node: the embedded H2 file journal. JDBC blocks, so it runs on its own thread. */
final class H2Backend implements JournalBackend {
  private static final Logger log = LoggerFactory.getLogger(H2Backend.class);
  private final String url;
  private final String user;
  private final String password;
  private final boolean scanJournal;
  private final String readJournal;
  /** Used only on the probe thread (probes and compaction rounds), and by close() once it has ended. */
  private Connection probeConnection;
  private final ScheduledExecutorService blocking = Executors.newSingleThreadScheduledExecutor(daemon("wharf-h2-probe"));
  /**
   * The saga scan reads the whole journal (seconds on a large one): on the probe's thread it would
   * hold probes past their timeout, the journal would be reported down and writes refused, and
   * the recovery would queue another scan.
   */
  private final ExecutorService scanning = Executors.newSingleThreadExecutor(daemon("wharf-h2-saga-scan"));
  private final Duration compactEvery;
  /**
   * The store's version at the end of the last compaction check (-1: none yet): whether the
   * journal wrote since (the rounds' step size), and wharf_h2_stores_total, which a node with
   * compaction off does not count. Probe thread only.
   */
  private long versionsSeen = -1;

  H2Backend(Config config) {
    Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    this.url = db.getString("url");
    this.user = db.getString("user");
    this.password = db.getString("password");
    this.scanJournal = config.getString("wharf.saga-recovery.strategy").equals("journal-scan");
    this.readJournal = config.getString("wharf.saga-recovery.read-journal");
    this.compactEvery = config.getDuration("wharf.h2.compact-every");
  }

  @Override
  public void prepare() {
    H2Journal.ensureSchema(url, user, password);
  }

  @Override
  public void startBackgroundWork() {
    if (!compactEvery.isZero()) {
      blocking.scheduleWithFixedDelay(this::compactSome, compactEvery.toMillis(), compactEvery.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * On the probe's thread and connection: H2 does not compact by itself with WRITE_DELAY=0 (decision
   * 0022). A round takes up to ~0.5 s, which a probe queued behind it waits out well inside its 2 s.
   */
  private void compactSome() {
    try {
      Connection connection = connection();
      var steps = H2Compaction.Steps.after(versionsSeen, H2Compaction.storedVersions(connection));
      long start = System.nanoTime();
      if (H2Compaction.compactSome(connection, steps)) {
        WharfMetrics.h2CompactionRound(System.nanoTime() - start);
      }
      WharfMetrics.h2FileBytes(H2Compaction.fileBytes(connection));
      long versions = H2Compaction.storedVersions(connection);
      if (versionsSeen >= 0 && versions > versionsSeen) {
        WharfMetrics.h2Stores(versions - versionsSeen);
      }
      versionsSeen = versions;
    } catch (SQLException | RuntimeException e) {
      log.warn("H2 compaction round failed: {}", e.toString());
    }
  }

  private Connection connection() throws SQLException {
    if (probeConnection == null || !probeConnection.isValid(1)) {
      closeProbeConnection();
      // one connection kept open: opening one per probe re-applies the URL's settings each time
      probeConnection = DriverManager.getConnection(url, user, password);
    }
    return probeConnection;
  }

  @Override
  public CompletionStage<Optional<String>> probe(ActorSystem<?> system) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        connection().createStatement().execute("SELECT 1");
        return Optional.<String>empty();
      } catch (SQLException e) {
        closeProbeConnection();
        return Optional.of("the H2 journal does not answer: " + e.getMessage());
      }
    }, blocking);
  }

  private void closeProbeConnection() {
    if (probeConnection != null) {
      try {
        probeConnection.close();
      } catch (SQLException ignored) {
        // it is being replaced
      }
      probeConnection = null;
    }
  }

  @Override
  public CompletionStage<List<String>> resumeOpenSagas(Wharf wharf) {
    return scanJournal
        ? SagaRecoveryDriver.resumeOpenSagasByJournalScan(wharf, url, user, password, scanning)
        : SagaRecoveryDriver.resumeOpenSagas(wharf, readJournal);
  }

  /** A range read on the journal's primary key (persistence id first), not the read journal's scan of every row. */
  @Override
  public CompletionStage<List<String>> persistenceIdsStartingWith(ActorSystem<?> system, String prefix) {
    return CompletableFuture.supplyAsync(() -> {
      List<String> ids = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(url, user, password);
           PreparedStatement q = c.prepareStatement("SELECT DISTINCT \"persistence_id\" FROM PUBLIC.\"event_journal\" "
               + "WHERE \"persistence_id\" >= ? AND \"persistence_id\" < ?")) {
        q.setString(1, prefix);
        q.setString(2, prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1));
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("listing persistence ids failed", e);
      }
      return ids;
    }, scanning);
  }

  @Override
  public boolean listsByPrefixCheaply() {
    return true;
  }

  @Override
  public String name() {
    return "H2";
  }

  /**
   * Returns once this backend has let go of the database. Its threads finish what is queued (a
   * probe, a saga scan; periodic compaction stops) first: a task run after the connection's close
   * would open the database again, and re-create its files if a test has deleted its dir.
   * Closing the last connection closes the database (the journal plugin's pool closed first).
   */
  @Override
  public synchronized void close() {
    blocking.shutdown();
    scanning.shutdown();
    awaitEnd(blocking, "probe");
    awaitEnd(scanning, "saga scan");
    closeProbeConnection();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void awaitEnd(ExecutorService executor, String what) {
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("the H2 {} thread did not finish within 30 s; closing the journal anyway", what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
