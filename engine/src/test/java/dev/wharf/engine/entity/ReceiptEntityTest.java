package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.proto.Line;
import dev.wharf.proto.Money;
import dev.wharf.proto.ReceiptBooked;
import dev.wharf.proto.ReceiptCommand;
import dev.wharf.proto.ReceiptCompleted;
import dev.wharf.proto.ReceiptFeeDecided;
import dev.wharf.proto.ReceiptReply;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A receipt reference stands for one set of lines, and a finished receipt stays finished, across restarts. */
class ReceiptEntityTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("receipts", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Line line(String sku, long qty) {
    return Line.newBuilder().setSku(sku).setQty(qty).build();
  }

  private static ReceiptCommand book(Line... lines) {
    return ReceiptCommand.newBuilder().setBook(ReceiptBooked.newBuilder().setReference("GRN-1").addAllLines(List.of(lines))).build();
  }

  private static ReceiptReply send(ActorRef<ReceiptEntity.Request> receipt, ReceiptCommand c) {
    TestProbe<ReceiptReply> probe = testKit.createTestProbe();
    receipt.tell(new ReceiptEntity.Request(c, probe.getRef()));
    return probe.receiveMessage();
  }

  @Test
  void theSameLinesInAnyOrderAreTheSameReceiptAndOtherLinesAreRefused() {
    String id = "WH~C~" + UUID.randomUUID();
    var receipt = testKit.spawn(ReceiptEntity.create(id));
    ReceiptReply booked = send(receipt, book(line("CUP", 2), line("MUG", 1), line("CUP", 3)));
    assertEquals(List.of(line("CUP", 5), line("MUG", 1)), booked.getReceipt().getLinesList(), "one line per SKU, summed");
    assertFalse(booked.getCompleted());

    assertEquals(booked, send(receipt, book(line("MUG", 1), line("CUP", 5))));
    ReceiptReply other = send(receipt, book(line("CUP", 5)));
    assertEquals("CONFLICT", other.getRejection().getCode(), other::toString);
    assertEquals("CONFLICT", send(receipt, book(line("CUP", 5), line("MUG", 1), line("TEA", 1))).getRejection().getCode());

    Money fee = Money.newBuilder().setAmount(550).setCurrency("USD").build();
    ReceiptCommand complete = ReceiptCommand.newBuilder().setComplete(ReceiptCompleted.newBuilder().setInboundFee(fee)).build();
    assertTrue(send(receipt, complete).getCompleted());
    Money otherFee = fee.toBuilder().setAmount(999).build();
    assertEquals(fee, send(receipt, ReceiptCommand.newBuilder().setComplete(ReceiptCompleted.newBuilder()
        .setInboundFee(otherFee)).build()).getInboundFee(), "completed once");

    testKit.stop(receipt);
    var restarted = testKit.spawn(ReceiptEntity.create(id));
    ReceiptReply replayed = send(restarted, book(line("CUP", 5), line("MUG", 1)));
    assertTrue(replayed.getCompleted());
    assertEquals(fee, replayed.getInboundFee());
    assertEquals("CONFLICT", send(restarted, book(line("CUP", 6), line("MUG", 1))).getRejection().getCode());
  }

  @Test
  void aReceiptNeverBookedCannotBeCompleted() {
    var receipt = testKit.spawn(ReceiptEntity.create("WH~C~" + UUID.randomUUID()));
    ReceiptReply reply = send(receipt, ReceiptCommand.newBuilder().setComplete(ReceiptCompleted.getDefaultInstance()).build());
    assertEquals("NOT_FOUND", reply.getRejection().getCode());
    assertEquals("NOT_FOUND", send(receipt, decide(ReceiptFeeDecided.getDefaultInstance())).getRejection().getCode());
  }

  private static ReceiptCommand decide(ReceiptFeeDecided fee) {
    return ReceiptCommand.newBuilder().setDecideFee(fee).build();
  }

  /** A retry after the group's fees changed charges what the first try decided: it may be charged already. */
  @Test
  void theFirstFeeDecidedStandsAcrossRetriesAndRestarts() {
    String id = "WH~C~" + UUID.randomUUID();
    var receipt = testKit.spawn(ReceiptEntity.create(id));
    assertFalse(send(receipt, book(line("CUP", 5))).hasFee(), "no fee decided yet");
    ReceiptFeeDecided first = ReceiptFeeDecided.newBuilder().setGroupId("VIP").setRuleVersion(1)
        .setInboundFee(Money.newBuilder().setAmount(550).setCurrency("USD")).build();
    assertEquals(first, send(receipt, decide(first)).getFee());
    ReceiptFeeDecided later = first.toBuilder().setRuleVersion(2).setInboundFee(first.getInboundFee().toBuilder().setAmount(800))
        .build();
    assertEquals(first, send(receipt, decide(later)).getFee());

    testKit.stop(receipt);
    var restarted = testKit.spawn(ReceiptEntity.create(id));
    assertEquals(first, send(restarted, book(line("CUP", 5))).getFee());
    assertEquals(first, send(restarted, decide(later)).getFee());

    // a decision that replaces (the recorded fee's currency is no longer the account's) does, for good
    ReceiptFeeDecided euros = ReceiptFeeDecided.newBuilder().setGroupId("EU").setRuleVersion(1).setReplaces(true)
        .setInboundFee(Money.newBuilder().setAmount(500).setCurrency("EUR")).build();
    assertEquals(euros, send(restarted, decide(euros)).getFee());
    testKit.stop(restarted);
    assertEquals(euros, send(testKit.spawn(ReceiptEntity.create(id)), book(line("CUP", 5))).getFee());
  }
}
