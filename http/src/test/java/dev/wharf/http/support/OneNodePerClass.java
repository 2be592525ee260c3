package dev.wharf.http.support;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A real node (real port, H2 journal on disk) shared by the tests of one class. */
public abstract class OneNodePerClass {
  protected static TestNode node;
  protected static Api api;
  /** Numbers the ids each test makes, so tests of a class never share data. */
  protected static final AtomicInteger SEQ = new AtomicInteger();
  /** JUnit deletes it after the class (kept when a test failed: junit-platform.properties). */
  @TempDir
  static Path dataDir;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(dataDir);
    api = node.api();
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }
}
