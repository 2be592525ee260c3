package dev.wharf.http.support;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A real node (real port, H2 journal on disk) shared by the tests of one class. */
public abstract class OneNodePerClass {
  protected static TestNode node;
  protected static Api api;
  /** Numbers the ids each test makes, so tests of a class never share data. */
  protected static final AtomicInteger SEQ = new AtomicInteger();

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start();
    api = node.api();
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }
}
