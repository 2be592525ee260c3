package dev.wharf.engine.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * What H2's background writer would do if WRITE_DELAY=0 did not turn it off: rewrite the live
 * rows of mostly-empty chunks so their space is reused. Without it every commit appends a chunk
 * and the file only grows: 728 MB for 10,000 shipped orders whose rows fit in 14 MB (decision 0022).
 * It reaches the store through H2's own classes (the database runs in this JVM); H2 is pinned,
 * and H2CompactionTest breaks if an upgrade moves them.
 */
final class H2Compaction {
  /** How long one round may move chunks: the journal's writes wait meanwhile. */
  static final int ROUND_MILLIS = 50;

  private H2Compaction() {}

  /** One round on the database behind {@code connection}: moves live chunks down and cuts the file's free tail. */
  static void compactSome(Connection connection) throws SQLException {
    store(connection).compactFile(ROUND_MILLIS);
  }

  /** The share of the file that is live rows, in percent. */
  static int fillRate(Connection connection) throws SQLException {
    return store(connection).getFillRate();
  }

  private static MVStore store(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    return session.getDatabase().getStore().getMvStore();
  }
}
