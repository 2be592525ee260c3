package dev.wharf.engine.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.IntFunction;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With WRITE_DELAY=0, as the journal runs, every commit appends to H2's file and nothing is ever
 * reclaimed; compaction rounds give the space back while the database stays open and its rows stay.
 */
class H2CompactionTest {
  @TempDir
  Path dir;

  /** A database on disk holding 4,000 rows of 300 bytes, inserted with a commit each, as events are acknowledged. */
  private Connection databaseOfRows(IntFunction<byte[]> payload) throws SQLException {
    Connection c = DriverManager.getConnection(
        "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    c.createStatement().execute("CREATE TABLE rows (id INT PRIMARY KEY, payload VARBINARY(1000))");
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO rows VALUES (?, ?)")) {
      for (int i = 0; i < 4_000; i++) {
        insert.setInt(1, i);
        insert.setBytes(2, payload.apply(i));
        insert.executeUpdate();
      }
    }
    return c;
  }

  @Test
  void roundsShrinkAFileThatEveryCommitGrewAndKeepTheRows() throws Exception {
    Path file = dir.resolve("db.mv.db");
    try (Connection c = databaseOfRows(i -> new byte[300])) {
      long grown = Files.size(file);
      assertTrue(grown > 20_000_000, "every commit appended: " + grown);

      MVStore store = H2Compaction.store(c);
      assertTrue(store.getRetentionTime() > 0, "H2 keeps freed chunks a while (45 s) before it reuses their space");
      // a running node's old chunks pass those 45 s; here they pass a shorter retention time
      store.setRetentionTime(100);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      try (PreparedStatement touch = c.prepareStatement("UPDATE rows SET payload = ? WHERE id = ?")) {
        int i = 0;
        while (Files.size(file) > grown / 4 && Instant.now().isBefore(deadline)) {
          H2Compaction.compactSome(c, H2Compaction.Steps.WHILE_WRITING);
          touch.setBytes(1, new byte[300]); // the journal keeps committing meanwhile
          touch.setInt(2, i++ % 4_000);
          touch.executeUpdate();
        }
      }
      assertTrue(Files.size(file) <= grown / 4, "compacted from " + grown + " to " + Files.size(file));
      // compactFile would have set it to 0, after which a killed node lost acknowledged orders
      assertEquals(100, store.getRetentionTime(), "rounds leave the retention time alone");
      try (ResultSet count = c.createStatement().executeQuery("SELECT COUNT(*) FROM rows")) {
        count.next();
        assertEquals(4_000, count.getInt(1));
      }
    }
  }

  @Test
  void roundsGiveBackTheFreeSpaceABurstLeavesBetweenDenseChunks() throws Exception {
    Path file = dir.resolve("db.mv.db");
    Random random = new Random(7);
    try (Connection c = databaseOfRows(i -> {
      byte[] payload = new byte[300];
      random.nextBytes(payload);
      return payload;
    })) {
      // What a node's file looks like some time after a burst: the live pages were rewritten into
      // dense chunks, and the dead chunks, once past the retention time, are free space between them
      MVStore store = H2Compaction.store(c);
      FileStore<?> fileStore = store.getFileStore();
      store.setRetentionTime(100);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      try (PreparedStatement touch = c.prepareStatement("UPDATE rows SET payload = ? WHERE id = 0")) {
        while (!(fileStore.getFillRate() < 50 && fileStore.getChunksFillRate() >= 50) && Instant.now().isBefore(deadline)) {
          fileStore.compact(90, 64 * 1024 * 1024);
          store.sync();
          touch.setBytes(1, new byte[300]);
          touch.executeUpdate();
        }
      }
      long burst = Files.size(file);
      assertTrue(fileStore.getFillRate() < 50 && fileStore.getChunksFillRate() >= 50,
          "arranged: a mostly free file of mostly live chunks, fill " + fileStore.getFillRate() + "%, chunks " + fileStore.getChunksFillRate() + "%");

      while (Files.size(file) > burst / 10 && Instant.now().isBefore(deadline)) {
        H2Compaction.compactSome(c, H2Compaction.Steps.WHILE_IDLE);
      }
      assertTrue(Files.size(file) <= burst / 10, "compacted from " + burst + " to " + Files.size(file));
      assertEquals(Files.size(file), H2Compaction.fileBytes(c));
      // every row reads back as written after its chunk moved (row 0 as last touched)
      Random same = new Random(7);
      try (ResultSet rows = c.createStatement().executeQuery("SELECT id, payload FROM rows ORDER BY id")) {
        for (int i = 0; i < 4_000; i++) {
          assertTrue(rows.next(), "row " + i);
          byte[] written = new byte[300];
          same.nextBytes(written);
          assertEquals(i, rows.getInt(1));
          assertArrayEquals(i == 0 ? new byte[300] : written, rows.getBytes(2), "row " + i);
        }
        assertFalse(rows.next());
      }
    }
  }

  /** A node's rounds take small steps unless nothing was committed since the last round ended. */
  @Test
  void roundsTakeSmallStepsWhileTheJournalWrites() {
    assertEquals(H2Compaction.Steps.WHILE_WRITING, H2Compaction.Steps.after(-1, 0), "the first round");
    assertEquals(H2Compaction.Steps.WHILE_WRITING, H2Compaction.Steps.after(10, 12));
    assertEquals(H2Compaction.Steps.WHILE_IDLE, H2Compaction.Steps.after(12, 12));
  }

  /** What wharf_h2_stores_total counts: with WRITE_DELAY=0 each commit stores a version, and reads store none. */
  @Test
  void storedVersionsCountTheCommits() throws Exception {
    try (Connection c = databaseOfRows(i -> new byte[300])) {
      long before = H2Compaction.storedVersions(c);
      try (PreparedStatement touch = c.prepareStatement("UPDATE rows SET payload = ? WHERE id = ?")) {
        for (int i = 0; i < 25; i++) {
          touch.setBytes(1, new byte[300]);
          touch.setInt(2, i);
          touch.executeUpdate();
        }
      }
      assertEquals(before + 25, H2Compaction.storedVersions(c));
      try (ResultSet count = c.createStatement().executeQuery("SELECT COUNT(*) FROM rows")) {
        count.next();
      }
      assertEquals(before + 25, H2Compaction.storedVersions(c));
    }
  }
}
