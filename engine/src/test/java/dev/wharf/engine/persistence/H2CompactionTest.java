package dev.wharf.engine.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With WRITE_DELAY=0, as the journal runs, every commit appends to H2's file and nothing is ever
 * reclaimed; compaction rounds give the space back while the database stays open and its rows stay.
 */
class H2CompactionTest {
  @TempDir
  Path dir;

  @Test
  void roundsShrinkAFileThatEveryCommitGrewAndKeepTheRows() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    Path file = dir.resolve("db.mv.db");
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("CREATE TABLE rows (id INT PRIMARY KEY, payload VARBINARY(1000))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO rows VALUES (?, ?)")) {
        for (int i = 0; i < 4_000; i++) { // one commit each, as events are acknowledged
          insert.setInt(1, i);
          insert.setBytes(2, new byte[300]);
          insert.executeUpdate();
        }
      }
      long grown = Files.size(file);
      assertTrue(grown > 20_000_000, "every commit appended: " + grown);

      int retentionMillis = H2Compaction.store(c).getRetentionTime();
      assertTrue(retentionMillis > 0, "H2 keeps freed chunks a while by default");
      int rounds = 0;
      while (Files.size(file) > grown / 4 && rounds < 200) {
        assertTrue(H2Compaction.compactSome(c), "a file that is mostly garbage gets a round");
        rounds++;
        // H2's compactFile leaves it at 0: freed chunks overwritten at once, which lost acknowledged
        // commits when a node was killed (CrashRecoveryTest)
        assertEquals(retentionMillis, H2Compaction.store(c).getRetentionTime(), "retention time restored");
      }
      assertTrue(Files.size(file) <= grown / 4, "compacted from " + grown + " to " + Files.size(file));
      try (ResultSet count = c.createStatement().executeQuery("SELECT COUNT(*) FROM rows")) {
        count.next();
        assertEquals(4_000, count.getInt(1));
      }
    }
  }
}
