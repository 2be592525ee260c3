package dev.wharf.engine.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EntityWakeupsTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("wakeups");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A wake-up that gets no answer (the entity's shard busy, the journal still failing) is sent again until one does. */
  @Test
  void anEntityIsResumedAgainUntilItAnswers() throws Exception {
    List<String> resumed = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    var wakeups = new EntityWakeups(testKit.system(), "order", id -> {
      resumed.add(id);
      if (resumed.size() < 3) {
        return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("no answer"));
      }
      answered.complete(null);
      return CompletableFuture.completedFuture("answered");
    }, Duration.ofMillis(10), Duration.ofMillis(40));
    wakeups.wakeLater("o-1");
    answered.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("o-1", "o-1", "o-1"), resumed);
  }
}
