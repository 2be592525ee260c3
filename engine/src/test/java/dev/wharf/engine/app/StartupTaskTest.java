package dev.wharf.engine.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StartupTaskTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("startup");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * A pass that cannot list, then one where every entity failed (a shared cause: sharding not up),
   * leave the node not ready; the first pass where some answered makes it ready, and the one that
   * failed is tried again until it answers.
   */
  @Test
  void theNodeIsReadyAfterThePassWhereSomeAnsweredAndStragglersAreRetried() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    CompletableFuture<Integer> readyAtPass = new CompletableFuture<>();
    ready.thenRun(() -> readyAtPass.complete(passes.get()));
    CompletableFuture<Void> allAnswered = new CompletableFuture<>();
    StartupTask.runUntilDone(testKit.system(), "test task", () -> {
      int n = passes.incrementAndGet();
      return switch (n) {
        case 1 -> CompletableFuture.failedFuture(new IllegalStateException("journal down"));
        case 2 -> CompletableFuture.completedFuture(new StartupTask.Pass(List.of("a", "b"), List.of("a", "b")));
        case 3 -> {
          assertFalse(ready.isDone(), "not ready after a pass where all failed");
          yield CompletableFuture.completedFuture(new StartupTask.Pass(List.of("a", "b"), List.of("b")));
        }
        default -> {
          allAnswered.complete(null);
          yield CompletableFuture.completedFuture(new StartupTask.Pass(List.of("a", "b"), List.of()));
        }
      };
    }, Duration.ofMillis(10), ready);
    allAnswered.get(10, TimeUnit.SECONDS);
    assertEquals(3, readyAtPass.get(10, TimeUnit.SECONDS));
  }
}
