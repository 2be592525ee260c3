package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.CommitStock;
import dev.wharf.proto.GetStock;
import dev.wharf.proto.ReceiveStock;
import dev.wharf.proto.ReleaseStock;
import dev.wharf.proto.ReserveStock;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StockLevel;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SkuStockEntityTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("stock", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static SkuStockReply send(ActorRef<SkuStockEntity.Msg> stock, SkuStockCommand command) {
    TestProbe<SkuStockReply> probe = testKit.createTestProbe();
    stock.tell(new SkuStockEntity.Request(command, probe.getRef()));
    return probe.receiveMessage();
  }

  static SkuStockCommand receive(String ref, long qty) {
    return SkuStockCommand.newBuilder().setReceive(ReceiveStock.newBuilder().setReceiptRef(ref).setQty(qty)).build();
  }

  static SkuStockCommand reserve(String orderId, long qty) {
    return SkuStockCommand.newBuilder().setReserve(ReserveStock.newBuilder().setOrderId(orderId).setQty(qty)).build();
  }

  static SkuStockCommand release(String orderId) {
    return SkuStockCommand.newBuilder().setRelease(ReleaseStock.newBuilder().setOrderId(orderId)).build();
  }

  static SkuStockCommand commit(String orderId) {
    return SkuStockCommand.newBuilder().setCommit(CommitStock.newBuilder().setOrderId(orderId)).build();
  }

  static final SkuStockCommand GET = SkuStockCommand.newBuilder().setGet(GetStock.getDefaultInstance()).build();

  private static String newId() {
    return "WH~C~" + UUID.randomUUID();
  }

  private static StockLevel level(long onHand, long reserved, long available, long shipped) {
    return StockLevel.newBuilder().setOnHand(onHand).setReserved(reserved).setAvailable(available).setShipped(shipped).build();
  }

  /** Passivated or handed off with reservations not yet written: they are written and answered, then it stops. */
  @Test
  void aStockAskedToStopAnswersItsPendingReservationsFirst() {
    String id = newId();
    var stock = testKit.spawn(SkuStockEntity.create(id));
    send(stock, receive("R1", 10));
    TestProbe<SkuStockReply> reviews = testKit.createTestProbe();
    for (int i = 0; i < 5; i++) {
      stock.tell(new SkuStockEntity.Request(reserve("o" + i, 1), reviews.getRef()));
    }
    stock.tell(SkuStockEntity.Stop.INSTANCE);
    List<SkuStockReply> answers = reviews.receiveSeveralMessages(5, Duration.ofSeconds(10));
    assertTrue(answers.stream().allMatch(SkuStockReply::getAccepted), answers::toString);
    testKit.createTestProbe().expectTerminated(stock, Duration.ofSeconds(10));
    assertEquals(level(10, 5, 5, 0), send(testKit.spawn(SkuStockEntity.create(id)), GET).getLevel(), "all five written");
  }

  @Test
  void aReceiptCountsOncePerReference() {
    var stock = testKit.spawn(SkuStockEntity.create(newId()));
    send(stock, receive("R1", 10));
    send(stock, receive("R1", 10));
    assertEquals(level(20, 0, 20, 0), send(stock, receive("R2", 10)).getLevel());
  }

  @Test
  void reservationsNeverTakeMoreThanIsAvailable() {
    var stock = testKit.spawn(SkuStockEntity.create(newId()));
    send(stock, receive("R1", 3));
    assertTrue(send(stock, reserve("o1", 2)).getAccepted());
    SkuStockReply refused = send(stock, reserve("o2", 2));
    assertFalse(refused.getAccepted());
    assertEquals(1, refused.getLevel().getAvailable());
    // the same order asking again gets its reservation, not a second one
    assertTrue(send(stock, reserve("o1", 2)).getAccepted());
    assertEquals(level(3, 2, 1, 0), send(stock, GET).getLevel());
  }

  @Test
  void releaseAndCommitAreIdempotentPerOrder() {
    var stock = testKit.spawn(SkuStockEntity.create(newId()));
    send(stock, receive("R1", 5));
    send(stock, reserve("o1", 2));
    send(stock, reserve("o2", 1));
    send(stock, release("o2"));
    send(stock, release("o2"));
    send(stock, commit("o1"));
    assertTrue(send(stock, commit("o1")).getAccepted());
    assertEquals(level(3, 0, 3, 2), send(stock, GET).getLevel());
    // a late reserve retry for a shipped order must not reserve again
    send(stock, reserve("o1", 2));
    assertEquals(level(3, 0, 3, 2), send(stock, GET).getLevel());
  }

  @Test
  void commitWithoutReservationIsRefused() {
    var stock = testKit.spawn(SkuStockEntity.create(newId()));
    send(stock, receive("R1", 5));
    assertEquals("CONFLICT", send(stock, commit("nobody")).getRejection().getCode());
    assertEquals(level(5, 0, 5, 0), send(stock, GET).getLevel());
  }

  @Test
  void badQuantitiesChangeNothing() {
    var stock = testKit.spawn(SkuStockEntity.create(newId()));
    assertEquals("VALIDATION", send(stock, receive("R1", 0)).getRejection().getCode());
    assertEquals("VALIDATION", send(stock, reserve("o1", -1)).getRejection().getCode());
    assertEquals(level(0, 0, 0, 0), send(stock, GET).getLevel());
  }

  @Test
  void aBurstOfReservesIsBatchedAndNeverOversells() {
    String id = newId();
    var stock = testKit.spawn(SkuStockEntity.create(id));
    send(stock, receive("R1", 100));
    TestProbe<SkuStockReply> probe = testKit.createTestProbe();
    for (int i = 0; i < 500; i++) {
      stock.tell(new SkuStockEntity.Request(reserve("o" + i, 1), probe.getRef()));
      if (i % 50 == 0) {
        stock.tell(new SkuStockEntity.Request(reserve("o" + i, 1), probe.getRef())); // a retry inside the batch
      }
    }
    List<SkuStockReply> replies = probe.receiveSeveralMessages(510, java.time.Duration.ofSeconds(20));
    long accepted = replies.stream().filter(SkuStockReply::getAccepted).count();
    assertEquals(100 + 2, accepted, "100 units, plus the two retries of reserved orders answered with their reservation");
    assertTrue(replies.stream().allMatch(r -> r.getLevel().getAvailable() >= 0));
    assertEquals(level(100, 100, 0, 0), send(stock, GET).getLevel());
    testKit.stop(stock);
    assertEquals(level(100, 100, 0, 0), send(testKit.spawn(SkuStockEntity.create(id)), GET).getLevel(),
        "every acknowledged reservation was persisted");
  }

  @Test
  void aReleaseRightBehindItsReserveStillReleasesIt() {
    var stock = testKit.spawn(SkuStockEntity.create(newId()));
    send(stock, receive("R1", 5));
    TestProbe<SkuStockReply> probe = testKit.createTestProbe();
    stock.tell(new SkuStockEntity.Request(reserve("o1", 2), probe.getRef()));
    stock.tell(new SkuStockEntity.Request(reserve("o2", 2), probe.getRef()));
    stock.tell(new SkuStockEntity.Request(release("o1"), probe.getRef()));
    stock.tell(new SkuStockEntity.Request(commit("o2"), probe.getRef()));
    probe.receiveSeveralMessages(4);
    assertEquals(level(3, 0, 3, 2), send(stock, GET).getLevel());
  }

  @Test
  void aRestartedStockHasEverythingBackIncludingFromSnapshots() {
    String id = newId();
    var stock = testKit.spawn(SkuStockEntity.create(id));
    send(stock, receive("R1", 2000));
    // more than one snapshot interval of events
    for (int i = 0; i < 1200; i++) {
      send(stock, reserve("o" + i, 1));
    }
    for (int i = 0; i < 300; i++) {
      send(stock, release("o" + i));
    }
    send(stock, commit("o1000"));
    testKit.stop(stock);
    var again = testKit.spawn(SkuStockEntity.create(id));
    assertEquals(level(1999, 899, 1100, 1), send(again, GET).getLevel());
    assertTrue(send(again, reserve("o500", 1)).getAccepted());
    assertEquals(899, send(again, GET).getLevel().getReserved(), "o500 already held its unit");
    send(again, receive("R1", 2000));
    assertEquals(1999, send(again, GET).getLevel().getOnHand(), "receipt R1 survived the restart");
  }

  @Test
  void aRestartedStockRemembersItsLatestCommitsOnlyAndInOrder() {
    String id = newId();
    var stock = testKit.spawn(SkuStockEntity.create(id, 50));
    send(stock, receive("R1", 1000));
    // 1,201 events: the restart reads the snapshot taken at event 1,000 and replays the rest
    for (int i = 0; i < 600; i++) {
      send(stock, reserve("o" + i, 1));
      send(stock, commit("o" + i));
    }
    testKit.stop(stock);
    var again = testKit.spawn(SkuStockEntity.create(id, 50));
    assertEquals(level(400, 0, 400, 600), send(again, GET).getLevel());
    assertTrue(send(again, commit("o550")).getAccepted(), "the 50th latest commit is still known");
    assertTrue(send(again, reserve("o599", 1)).getAccepted(), "a late reserve of a shipped order");
    assertEquals(level(400, 0, 400, 600), send(again, GET).getLevel(), "reserved nothing again");
    SkuStockReply forgotten = send(again, commit("o549"));
    assertEquals(Rejections.CONFLICT, forgotten.getRejection().getCode());
    assertTrue(forgotten.getRejection().getMessage().contains("before the last 50 commits"));
    assertEquals(level(400, 0, 400, 600), send(again, GET).getLevel(), "a forgotten commit changes nothing");
  }

  @Test
  void aStockHoldingManyReservationsIsSnapshottedLessOftenAndRestartsWhole() {
    String id = newId();
    var stock = testKit.spawn(SkuStockEntity.create(id));
    send(stock, receive("R1", 10_000));
    // event n holds n ids (one receipt, n - 1 reservations): snapshots after 500 events, then
    // only once half the ledger's size has passed since the last one. Pekko asks before applying
    // each event it persists in a batch, so each snapshot lands one event later.
    for (int i = 2; i <= 4100; i++) {
      send(stock, reserve("o" + i, 1));
    }
    SnapshotTestKit snapshots = new SnapshotTestKit(Adapter.toClassic(testKit.system()));
    List<Long> takenAt = snapshots.persistedInStorage(SkuStockEntity.TYPE_KEY.name() + "|" + id).stream()
        .map(snapshot -> snapshot.first().sequenceNr()).toList();
    assertEquals(List.of(501L, 1001L, 2001L, 4001L), takenAt, "a fixed interval of 500 would have taken 8");
    testKit.stop(stock);
    var again = testKit.spawn(SkuStockEntity.create(id));
    assertEquals(level(10_000, 4099, 5901, 0), send(again, GET).getLevel());
    assertTrue(send(again, reserve("o4100", 1)).getAccepted());
    assertEquals(4099, send(again, GET).getLevel().getReserved(), "o4100's reservation came back from the snapshot and replay");
  }
}
