package dev.wharf.engine.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Compaction H2 does not do by itself with WRITE_DELAY=0 (its background writer is off): every
 * commit appends a chunk and the file only grows, 728 MB for 10,000 shipped orders whose rows fit
 * in 14 MB (decision 0022). A round rewrites sparse chunks and moves live chunks into freed space,
 * as H2's own housekeeping does, keeping H2's retention time (freed space is reused after 45 s); it
 * runs only when the file is mostly garbage, because the journal's writes wait meanwhile.
 * It reaches the store through H2's own classes (the database runs in this JVM); H2 is pinned,
 * and H2CompactionTest breaks if an upgrade moves them.
 */
final class H2Compaction {
  /** A round goes on rewriting and moving chunks until this much time has passed: writes wait meanwhile. */
  static final int ROUND_MILLIS = 50;
  /** Live bytes of sparse chunks one step of a round rewrites, and the chunk bytes it moves (compactFile's). */
  static final int REWRITE_BYTES = 16 * 1024 * 1024;
  static final long MOVE_BYTES = 16 * 1024 * 1024;
  /** Chunks rewritten or moved only while the file is less full than this (percent); H2's own default. */
  static final int REWRITE_BELOW_FILL_RATE = 90;
  static final int MOVE_BELOW_FILL_RATE = 90;
  /** A round runs while less than this share (percent) of the file's chunk space is live rows. */
  static final int RUN_BELOW_FILL_RATE = 50;

  private H2Compaction() {}

  /** One round on the database behind {@code connection} if its file is mostly garbage; whether it ran. */
  static boolean compactSome(Connection connection) throws SQLException {
    MVStore store = store(connection);
    FileStore<?> file = store.getFileStore();
    if (file.getChunksFillRate() >= RUN_BELOW_FILL_RATE) {
      return false;
    }
    // compactFile's loop without compactFile, which sets the retention time to 0 for good (a node
    // killed after that lost acknowledged orders, decision 0022): rewrite the live pages of the
    // sparsest chunks, sync, move live chunks into the space freed chunks left, until time is up;
    // the calls H2's own housekeeping makes, which WRITE_DELAY=0 turns off
    long stopAt = System.nanoTime() + ROUND_MILLIS * 1_000_000L;
    while (file.compact(REWRITE_BELOW_FILL_RATE, REWRITE_BYTES)) {
      store.sync();
      if (file instanceof RandomAccessStore randomAccess) {
        randomAccess.compactMoveChunks(MOVE_BELOW_FILL_RATE, MOVE_BYTES, store);
      }
      if (System.nanoTime() - stopAt > 0) {
        break;
      }
    }
    return true;
  }

  static MVStore store(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    return session.getDatabase().getStore().getMvStore();
  }
}
