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
  /** Chunks rewritten or moved only while the file is less full than this (percent); H2's own default. */
  static final int REWRITE_BELOW_FILL_RATE = 90;
  static final int MOVE_BELOW_FILL_RATE = 90;
  /** A round runs while less than this share (percent) of the chunks' space, or of the file, is live. */
  static final int RUN_BELOW_FILL_RATE = 50;

  /**
   * How much one step of a round rewrites (live bytes of sparse chunks) and moves (chunk bytes).
   * A step holds the store's lock, so the journal's commits wait for it: while the journal writes,
   * steps are small, as in H2's own housekeeping when busy (a quarter of its 1 MB auto-commit
   * buffer rewritten, 2 MB moved), and commits get the (fair) lock between them; the round is longer,
   * or the file fills with chunks of dead pages (4.75 GB after five minutes with 50-ms rounds). With
   * 16 MB steps under load W1 paced's p99 was 238-594 ms, with these 149-380 ms (benchmarks round
   * 13). Once the journal is idle, 16 MB steps give a burst's space back quickly.
   */
  enum Steps {
    WHILE_WRITING(256 * 1024, 2 * 1024 * 1024, 500),
    WHILE_IDLE(16 * 1024 * 1024, 16 * 1024 * 1024, 50);

    final int rewriteBytes;
    final long moveBytes;
    /** A round goes on taking steps until this much time has passed (or nothing is left to do). */
    final long roundMillis;

    Steps(int rewriteBytes, long moveBytes, long roundMillis) {
      this.rewriteBytes = rewriteBytes;
      this.moveBytes = moveBytes;
      this.roundMillis = roundMillis;
    }

    /**
     * Small steps if the store has stored versions (commits) since the last round ended, or if
     * there was no round yet ({@code versionsBefore} -1).
     */
    static Steps after(long versionsBefore, long versionsNow) {
      return versionsBefore >= 0 && versionsNow == versionsBefore ? WHILE_IDLE : WHILE_WRITING;
    }
  }

  private H2Compaction() {}

  /**
   * One round on the database behind {@code connection} if its chunks or its file are mostly
   * garbage, in steps of the given size; whether it ran.
   */
  static boolean compactSome(Connection connection, Steps steps) throws SQLException {
    MVStore store = store(connection);
    FileStore<?> file = store.getFileStore();
    // Two kinds of garbage: dead pages inside chunks (rewrite them), and free space between live
    // chunks (move chunks down and cut the tail). After a burst of writes the second one is what
    // is left: once 45 s have passed the dead chunks are free space, the live ones are dense, and a
    // gate on the chunks alone kept a 580 MB file holding 60 MB of chunks for good (decision 0022).
    if (file.getChunksFillRate() >= RUN_BELOW_FILL_RATE && file.getFillRate() >= RUN_BELOW_FILL_RATE) {
      return false;
    }
    // H2's own housekeeping, which WRITE_DELAY=0 turns off, not compactFile, which sets the
    // retention time to 0 for good (a node killed after that lost acknowledged orders, decision
    // 0022): rewrite the live pages of the sparsest chunks, move live chunks into the space freed
    // chunks left, until time is up or nothing moves. No fsync of the whole file between the two as
    // compactFile does (up to 0.2 s under load, benchmarks round 10): the move syncs what it needs.
    long stopAt = System.nanoTime() + steps.roundMillis * 1_000_000L;
    while (true) {
      boolean rewrote = file.compact(REWRITE_BELOW_FILL_RATE, steps.rewriteBytes);
      boolean moved = false;
      if (file instanceof RandomAccessStore randomAccess) {
        long sizeBefore = file.size();
        int fillBefore = file.getFillRate();
        randomAccess.compactMoveChunks(MOVE_BELOW_FILL_RATE, steps.moveBytes, store);
        moved = file.size() != sizeBefore || file.getFillRate() != fillBefore;
      }
      if (!(rewrote || moved) || System.nanoTime() - stopAt > 0) {
        return true;
      }
    }
  }

  /** How many versions the store behind {@code connection} has stored since it opened (its commits). */
  static long storedVersions(Connection connection) throws SQLException {
    return store(connection).getCurrentVersion();
  }

  /** The bytes of the database file behind {@code connection}. */
  static long fileBytes(Connection connection) throws SQLException {
    return store(connection).getFileStore().size();
  }

  static MVStore store(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    return session.getDatabase().getStore().getMvStore();
  }
}
