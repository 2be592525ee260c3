package dev.wharf.engine.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The watchdog scans when it starts, and keeps scanning after a failed scan until one succeeds. */
class SagaWatchdogTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical.port = 0
      pekko.loglevel = WARNING
      """).withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aFailedScanIsRetriedUntilOneSucceeds() {
    TestProbe<Integer> scans = testKit.createTestProbe();
    AtomicInteger attempt = new AtomicInteger();
    // the first two scans fail the way a scan does when an order could not be woken
    Supplier<CompletionStage<List<String>>> scan = () -> {
      int n = attempt.incrementAndGet();
      scans.getRef().tell(n);
      return n <= 2
          ? CompletableFuture.failedFuture(new IllegalStateException("could not wake 1 of 1 order(s)"))
          : CompletableFuture.completedFuture(List.of("o-1"));
    };
    testKit.spawn(SagaWatchdog.behavior(scan, Duration.ofMillis(20)));

    assertEquals(1, scans.receiveMessage());
    assertEquals(2, scans.receiveMessage());
    assertEquals(3, scans.receiveMessage());
    // the third succeeded: no further scan without a member leaving
    scans.expectNoMessage(Duration.ofMillis(300));
  }
}
