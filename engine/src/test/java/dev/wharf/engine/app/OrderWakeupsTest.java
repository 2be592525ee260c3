package dev.wharf.engine.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrderWakeupsTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("wakeups");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A wake-up that gets no answer (the order's shard busy, the journal still failing) is sent again until one does. */
  @Test
  void anOrderIsResumedAgainUntilItAnswers() throws Exception {
    List<OrderCommand> sent = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    var wakeups = new OrderWakeups(testKit.system(), (orderId, command) -> {
      assertEquals("o-1", orderId);
      sent.add(command);
      if (sent.size() < 3) {
        return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("no answer"));
      }
      answered.complete(null);
      CompletionStage<OrderReply> reply = CompletableFuture.completedFuture(OrderReply.getDefaultInstance());
      return reply;
    }, Duration.ofMillis(10), Duration.ofMillis(40));
    wakeups.wakeLater("o-1");
    answered.get(10, TimeUnit.SECONDS);
    assertEquals(3, sent.size());
    assertTrue(sent.stream().allMatch(OrderCommand::hasResume), sent::toString);
  }
}
