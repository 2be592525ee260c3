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

  /** Failed writes asking again while a wake-up is scheduled join it: one resume, not one per failure. */
  @Test
  void manyFailuresOfOneEntityMakeOneChainOfWakeUps() throws Exception {
    List<String> resumed = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> answers = List.of(new CompletableFuture<>(), new CompletableFuture<>());
    var wakeups = new EntityWakeups(testKit.system(), "order", id -> {
      resumed.add(id);
      answers.get(Math.min(resumed.size(), 2) - 1).complete(null);
      return CompletableFuture.completedFuture("answered");
    }, Duration.ofMillis(10), Duration.ofSeconds(5));
    for (int i = 0; i < 5; i++) {
      wakeups.wakeLater("o-2");
    }
    answers.get(0).get(10, TimeUnit.SECONDS);
    wakeups.wakeLater("o-2"); // failed again after it answered: a new chain, with a longer pause
    answers.get(1).get(10, TimeUnit.SECONDS);
    assertEquals(List.of("o-2", "o-2"), resumed);
  }
}
