package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.proto.TrackingNoClaimed;
import dev.wharf.proto.TrackingNoCommand;
import dev.wharf.proto.TrackingNoReleased;
import dev.wharf.proto.TrackingNoReply;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tracking number has one holder at a time, kept across a restart; only the holder frees it. */
class TrackingNoEntityTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("tracking", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static TrackingNoReply send(ActorRef<TrackingNoEntity.Request> number, TrackingNoCommand command) {
    TestProbe<TrackingNoReply> probe = testKit.createTestProbe();
    number.tell(new TrackingNoEntity.Request(command, probe.getRef()));
    return probe.receiveMessage();
  }

  private static TrackingNoCommand claim(String holder) {
    return TrackingNoCommand.newBuilder().setClaim(TrackingNoClaimed.newBuilder().setHolder(holder)).build();
  }

  private static TrackingNoCommand release(String holder) {
    return TrackingNoCommand.newBuilder().setRelease(TrackingNoReleased.newBuilder().setHolder(holder)).build();
  }

  @Test
  void theFirstHolderKeepsTheNumberUntilItReleasesIt() {
    String id = "T-" + UUID.randomUUID();
    var number = testKit.spawn(TrackingNoEntity.create(id));
    assertEquals("package:P1", send(number, claim("package:P1")).getHolder());
    TrackingNoReply taken = send(number, claim("package:P2"));
    assertEquals("TRACKING_NO_IN_USE", taken.getRejection().getCode());
    assertEquals("package:P1", taken.getHolder());
    assertEquals("package:P1", send(number, claim("package:P1")).getHolder(), "the holder's retry");
    assertEquals("package:P1", send(number, release("package:P2")).getHolder(), "only the holder frees it");

    testKit.stop(number);
    var restarted = testKit.spawn(TrackingNoEntity.create(id));
    assertEquals("TRACKING_NO_IN_USE", send(restarted, claim("order:O1")).getRejection().getCode());
    assertEquals("", send(restarted, release("package:P1")).getHolder());
    assertEquals("order:O1", send(restarted, claim("order:O1")).getHolder());

    testKit.stop(restarted);
    var again = testKit.spawn(TrackingNoEntity.create(id));
    assertEquals("TRACKING_NO_IN_USE", send(again, claim("package:P1")).getRejection().getCode(), "the new holder survives a restart");
  }
}
