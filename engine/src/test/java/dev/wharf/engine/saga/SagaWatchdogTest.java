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

/**
 * Scans for open sagas are repeated until one succeeds: the watchdog's (which also scans when it
 * starts), and the one a node runs when its journal answers again after an outage.
 */
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
  void theWatchdogRepeatsAFailedScanUntilOneSucceeds() {
    TestProbe<Integer> scans = testKit.createTestProbe();
    testKit.spawn(SagaWatchdog.behavior(failingTwice(scans), Duration.ofMillis(20)));
    assertThreeScans(scans);
  }

  @Test
  void theScanAfterAJournalOutageIsRepeatedUntilOneSucceeds() {
    TestProbe<Integer> scans = testKit.createTestProbe();
    SagaRecoveryDriver.scanUntilDone(testKit.system(), failingTwice(scans), Duration.ofMillis(20));
    assertThreeScans(scans);
  }

  /** A scan that fails the first two times, the way one does when an order could not be woken. */
  private static Supplier<CompletionStage<List<String>>> failingTwice(TestProbe<Integer> scans) {
    AtomicInteger attempt = new AtomicInteger();
    return () -> {
      int n = attempt.incrementAndGet();
      scans.getRef().tell(n);
      return n <= 2
          ? CompletableFuture.failedFuture(new IllegalStateException("could not wake 1 of 1 order(s)"))
          : CompletableFuture.completedFuture(List.of("o-1"));
    };
  }

  private static void assertThreeScans(TestProbe<Integer> scans) {
    assertEquals(1, scans.receiveMessage());
    assertEquals(2, scans.receiveMessage());
    assertEquals(3, scans.receiveMessage());
    // the third succeeded: no further scan unless something asks for one
    scans.expectNoMessage(Duration.ofMillis(300));
  }
}
