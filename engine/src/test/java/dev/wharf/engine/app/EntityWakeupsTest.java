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

  /** Failed writes asking again before a wake-up is sent join it: one resume, not one per failure. */
  @Test
  void manyFailuresOfOneEntityBeforeItsWakeUpMakeOneResume() throws Exception {
    List<String> resumed = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> calls = List.of(new CompletableFuture<>(), new CompletableFuture<>());
    CompletableFuture<Object> firstAnswer = new CompletableFuture<>();
    var wakeups = new EntityWakeups(testKit.system(), "order", id -> {
      resumed.add(id);
      calls.get(Math.min(resumed.size(), 2) - 1).complete(null);
      return resumed.size() == 1 ? firstAnswer : CompletableFuture.completedFuture("answered");
    }, Duration.ofMillis(10), Duration.ofSeconds(5));
    for (int i = 0; i < 5; i++) {
      wakeups.wakeLater("o-2");
    }
    calls.get(0).get(10, TimeUnit.SECONDS);
    firstAnswer.complete("answered");
    wakeups.wakeLater("o-2"); // failed again after (or while) it answered: resumed once more
    calls.get(1).get(10, TimeUnit.SECONDS);
    assertEquals(List.of("o-2", "o-2"), resumed);
  }

  /**
   * A failure reported while a resume is in flight (the entity answered, then its next write failed
   * and stopped it again) is not lost: it is resumed once more.
   */
  @Test
  void aFailureWhileAResumeIsInFlightResumesItAgain() throws Exception {
    List<String> resumed = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> second = new CompletableFuture<>();
    EntityWakeups[] wakeups = new EntityWakeups[1];
    wakeups[0] = new EntityWakeups(testKit.system(), "order", id -> {
      resumed.add(id);
      if (resumed.size() == 1) {
        wakeups[0].wakeLater(id); // its closing write failed again before the answer got back
      } else {
        second.complete(null);
      }
      return CompletableFuture.completedFuture("answered");
    }, Duration.ofMillis(10), Duration.ofSeconds(5));
    wakeups[0].wakeLater("o-3");
    second.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("o-3", "o-3"), resumed);
  }

  /** A resume that throws is retried like one that failed, instead of ending the chain for good. */
  @Test
  void aResumeThatThrowsIsRetried() throws Exception {
    List<String> resumed = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    var wakeups = new EntityWakeups(testKit.system(), "order", id -> {
      resumed.add(id);
      if (resumed.size() == 1) {
        throw new IllegalStateException("shard region not ready");
      }
      answered.complete(null);
      return CompletableFuture.completedFuture("answered");
    }, Duration.ofMillis(10), Duration.ofSeconds(5));
    wakeups.wakeLater("o-4");
    answered.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("o-4", "o-4"), resumed);
  }
}
