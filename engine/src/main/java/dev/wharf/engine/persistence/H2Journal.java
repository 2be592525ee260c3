package dev.wharf.engine.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the journal, tag and snapshot tables of the embedded H2 database if they are missing. */
public final class H2Journal {
  private H2Journal() {}

  public static void ensureSchema(String jdbcUrl, String user, String password) {
    String ddl = readSchema();
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
         Statement s = c.createStatement()) {
      for (String statement : ddl.split(";")) {
        String sql = statement.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
        if (!sql.isEmpty()) {
          s.execute(sql);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the H2 journal schema at " + jdbcUrl, e);
    }
  }

  private static String readSchema() {
    try (InputStream in = H2Journal.class.getResourceAsStream("/db/h2-journal-schema.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("db/h2-journal-schema.sql missing from the classpath", e);
    }
  }
}
