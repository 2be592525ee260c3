package dev.wharf.engine.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Compaction H2 does not do by itself with WRITE_DELAY=0 (its background writer is off): every
 * commit appends a chunk and the file only grows, 728 MB for 10,000 shipped orders whose rows fit
 * in 14 MB (decision 0022). A round moves live chunks down and cuts the file's free tail; it runs
 * only when the file is mostly garbage, because the journal's writes wait while it moves chunks.
 * It reaches the store through H2's own classes (the database runs in this JVM); H2 is pinned,
 * and H2CompactionTest breaks if an upgrade moves them.
 */
final class H2Compaction {
  /** How long one round may move chunks: the journal's writes wait meanwhile. */
  static final int ROUND_MILLIS = 50;
  /** A round runs while less than this share (percent) of the file's chunk space is live rows. */
  static final int RUN_BELOW_FILL_RATE = 50;

  private H2Compaction() {}

  /** One round on the database behind {@code connection} if its file is mostly garbage; whether it ran. */
  static boolean compactSome(Connection connection) throws SQLException {
    MVStore store = store(connection);
    if (store.getFileStore().getChunksFillRate() >= RUN_BELOW_FILL_RATE) {
      return false;
    }
    // compactFile sets the store's retention time to 0 for good, so that chunks freed by later
    // commits are overwritten at once; a node killed then could not find its latest commits on
    // restart (CrashRecoveryTest lost acknowledged orders in 2 of 6 runs): restore it after the round
    int retentionMillis = store.getRetentionTime();
    try {
      store.compactFile(ROUND_MILLIS);
    } finally {
      store.setRetentionTime(retentionMillis);
    }
    return true;
  }

  static MVStore store(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    return session.getDatabase().getStore().getMvStore();
  }
}
