package dev.wharf.engine.entity;

import static dev.wharf.engine.entity.SkuStockEntityTest.GET;
import static dev.wharf.engine.entity.SkuStockEntityTest.receive;
import static dev.wharf.engine.entity.SkuStockEntityTest.reserve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.OrderIds;
import dev.wharf.engine.domain.OrderState;
import dev.wharf.engine.domain.PenaltyRules;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.FreezeOrder;
import dev.wharf.proto.ChooseWarehouse;
import dev.wharf.proto.GetOrder;
import dev.wharf.proto.IngestOrder;
import dev.wharf.proto.Line;
import dev.wharf.proto.OrderAllocated;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderIngested;
import dev.wharf.proto.OrderIngestedForReview;
import dev.wharf.proto.OrderIngestedShort;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.Shortage;
import dev.wharf.proto.Routing;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.OrderReviewStarted;
import dev.wharf.proto.OrderShipped;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.PlatformLine;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.ResumeOrderSaga;
import dev.wharf.proto.ReviewOrder;
import dev.wharf.proto.ShipOrder;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.StockLevel;
import dev.wharf.proto.UnfreezeOrder;
import dev.wharf.proto.VoidOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Order entity with real SkuStock entities on the in-memory journal. */
class OrderEntityTest {
  private static ActorTestKit testKit;
  private static PersistenceTestKit journal;
  private EntityTestKit.LocalStock stocks;
  private String warehouse;
  private static final String CLIENT = "C1";
  private static final MutableClock CLOCK = new MutableClock();
  static final PenaltyRules PENALTIES = new PenaltyRules(
      Moneys.of(100, "USD"), Moneys.of(300, "USD"), 13, Moneys.of(300, "USD"));
  private static final OrderEntity.Settings SETTINGS = new OrderEntity.Settings(Duration.ofMillis(200), PENALTIES, CLOCK);
  private EntityTestKit.LocalBilling billing;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("orders", EntityTestKit.config());
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshWarehouse() {
    stocks = new EntityTestKit.LocalStock(testKit);
    billing = new EntityTestKit.LocalBilling(testKit);
    warehouse = "WH-" + UUID.randomUUID();
  }

  // ---------------------------------------------------------------- helpers

  private ActorRef<SkuStockEntity.Msg> stock(String sku, long onHand) {
    var ref = stocks.spawn(Identifiers.stockEntityId(warehouse, CLIENT, sku));
    if (onHand > 0) {
      TestProbe<SkuStockReply> probe = testKit.createTestProbe();
      ref.tell(new SkuStockEntity.Request(receive("R0", onHand), probe.getRef()));
      probe.receiveMessage();
    }
    return ref;
  }

  private StockLevel level(ActorRef<SkuStockEntity.Msg> stock) {
    TestProbe<SkuStockReply> probe = testKit.createTestProbe();
    stock.tell(new SkuStockEntity.Request(GET, probe.getRef()));
    return probe.receiveMessage().getLevel();
  }

  private OrderIngested ingested(String orderId, List<Line> lines, List<String> unmapped) {
    return OrderIngested.newBuilder()
        .setOrderId(orderId)
        .setOrderNo("HMKJ-261122-00001")
        .setStoreId("S1")
        .setClientId(CLIENT)
        .setPlatformOrderNo(orderId)
        .setWarehouseId(warehouse)
        .addAllLines(lines)
        .addPlatformLines(PlatformLine.newBuilder().setPlatformSku("P").setQty(1))
        .addAllUnmappedSkus(unmapped)
        .setRecipient(Recipient.newBuilder().setName("Junjun").setCountry("PH"))
        .setIngestedAtMillis(CLOCK.millis())
        .build();
  }

  private static Line line(String sku, long qty) {
    return Line.newBuilder().setSku(sku).setQty(qty).build();
  }

  private ActorRef<OrderEntity.Msg> spawnOrder(String orderId) {
    return testKit.spawn(OrderEntity.create(orderId, stocks, billing, EntityTestKit.NO_PACKING, SETTINGS));
  }

  private ActorRef<OrderEntity.Msg> newOrder(String orderId, List<Line> lines, boolean autoReview) {
    var order = spawnOrder(orderId);
    OrderReply reply = send(order, OrderCommand.newBuilder()
        .setIngest(IngestOrder.newBuilder().setOrder(ingested(orderId, lines, List.of())).setAutoReview(autoReview))
        .build());
    assertTrue(reply.getCreated());
    return order;
  }

  private static OrderReply send(ActorRef<OrderEntity.Msg> order, OrderCommand command) {
    TestProbe<OrderReply> probe = testKit.createTestProbe();
    order.tell(new OrderEntity.Request(command, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static final OrderCommand REVIEW = OrderCommand.newBuilder().setReview(ReviewOrder.getDefaultInstance()).build();
  private static final OrderCommand GET_ORDER = OrderCommand.newBuilder().setGet(GetOrder.getDefaultInstance()).build();
  private static final OrderCommand FREEZE = OrderCommand.newBuilder().setFreeze(FreezeOrder.getDefaultInstance()).build();
  private static final OrderCommand UNFREEZE = OrderCommand.newBuilder().setUnfreeze(UnfreezeOrder.getDefaultInstance()).build();
  private static final OrderCommand VOID = OrderCommand.newBuilder().setVoid(VoidOrder.getDefaultInstance()).build();

  private static OrderCommand ship(String tracking) {
    return OrderCommand.newBuilder().setShip(ShipOrder.newBuilder().setCarrier("JNT").setTrackingNo(tracking)).build();
  }

  private static String orderId() {
    return OrderIds.orderId("S1", UUID.randomUUID().toString());
  }

  // ---------------------------------------------------------------- behaviour

  @Test
  void aResentOrderChangesNothing() {
    String id = orderId();
    var order = newOrder(id, List.of(line("A", 1)), false);
    OrderReply again = send(order, OrderCommand.newBuilder()
        .setIngest(IngestOrder.newBuilder().setOrder(ingested(id, List.of(line("B", 9)), List.of())))
        .build());
    assertFalse(again.getCreated());
    assertEquals(List.of(line("A", 1)), again.getOrder().getLinesList());
    assertEquals(OrderStatus.PENDING, again.getOrder().getStatus());
  }

  @Test
  void reviewReservesEveryLineAndAllocates() {
    var a = stock("A", 5);
    var b = stock("B", 5);
    var order = newOrder(orderId(), List.of(line("A", 2), line("B", 1)), false);
    assertEquals(OrderStatus.ALLOCATED, send(order, REVIEW).getOrder().getStatus());
    assertEquals(2, level(a).getReserved());
    assertEquals(1, level(b).getReserved());
    // reviewing again changes nothing
    assertEquals(OrderStatus.ALLOCATED, send(order, REVIEW).getOrder().getStatus());
    assertEquals(2, level(a).getReserved());
  }

  @Test
  void aBundleReservesBothOrNeither() {
    var a = stock("A", 2);
    var b = stock("B", 0);
    var order = newOrder(orderId(), List.of(line("A", 2), line("B", 1)), false);
    OrderReply reply = send(order, REVIEW);
    assertEquals(OrderStatus.REVIEW_FAILED, reply.getOrder().getStatus());
    var failure = reply.getOrder().getReviewFailure();
    assertEquals("INSUFFICIENT_STOCK", failure.getCode());
    assertEquals(1, failure.getShortagesCount());
    assertEquals("B", failure.getShortages(0).getSku());
    assertEquals(1, failure.getShortages(0).getRequested());
    assertEquals(0, failure.getShortages(0).getAvailable());
    assertEquals(0, level(a).getReserved(), "A's reservation was given back");
    assertEquals(2, level(a).getAvailable());
    // after restocking B the same order passes
    TestProbe<SkuStockReply> probe = testKit.createTestProbe();
    b.tell(new SkuStockEntity.Request(receive("R1", 1), probe.getRef()));
    probe.receiveMessage();
    assertEquals(OrderStatus.ALLOCATED, send(order, REVIEW).getOrder().getStatus());
  }

  @Test
  void anUnmappedOrderCannotBeReviewedUntilItIsMapped() {
    stock("A", 5);
    String id = orderId();
    var order = spawnOrder(id);
    send(order, OrderCommand.newBuilder()
        .setIngest(IngestOrder.newBuilder().setOrder(ingested(id, List.of(), List.of("P-NEW"))).setAutoReview(true))
        .build());
    assertEquals(OrderStatus.PENDING, send(order, GET_ORDER).getOrder().getStatus(), "autoReview waits for mappings");
    OrderReply refused = send(order, REVIEW);
    assertEquals("UNMAPPED_SKU", refused.getRejection().getCode());
    assertTrue(refused.getRejection().getMessage().contains("P-NEW"));
    OrderReply reviewed = send(order, OrderCommand.newBuilder()
        .setReview(ReviewOrder.newBuilder().setRemapped(true).addRemappedLines(line("A", 1)))
        .build());
    assertEquals(OrderStatus.ALLOCATED, reviewed.getOrder().getStatus());
    assertEquals(0, reviewed.getOrder().getUnmappedSkusCount());
  }

  @Test
  void autoReviewStartsAtIngest() {
    var a = stock("A", 1);
    String id = orderId();
    var order = newOrder(id, List.of(line("A", 1)), true);
    // a review request joins the review already running and answers when it has finished
    assertEquals(OrderStatus.ALLOCATED, send(order, REVIEW).getOrder().getStatus());
    assertEquals(1, level(a).getReserved());
  }

  @Test
  void frozenOrdersCannotBeShippedOrReviewedAndThawBackToWhereTheyWere() {
    stock("A", 1);
    var order = newOrder(orderId(), List.of(line("A", 1)), false);
    send(order, REVIEW);
    assertEquals(OrderStatus.FROZEN, send(order, FREEZE).getOrder().getStatus());
    OrderReply refused = send(order, ship("T1"));
    assertEquals("INVALID_STATE", refused.getRejection().getCode());
    assertEquals("FROZEN", refused.getRejection().getCurrentState());
    assertEquals("INVALID_STATE", send(order, REVIEW).getRejection().getCode());
    assertEquals(OrderStatus.ALLOCATED, send(order, UNFREEZE).getOrder().getStatus());
    assertEquals("INVALID_STATE", send(order, UNFREEZE).getRejection().getCode());
  }

  /**
   * The review service read the order as frozen and sent a review with no routing, only to learn
   * the state; an unfreeze landed in between. The entity starts no review from it (it would skip
   * routing and the store's autoRelease) but says to review again.
   */
  @Test
  void aReviewSentOnlyToLearnTheStateStartsNothing() {
    var a = stock("A", 3);
    var order = newOrder(orderId(), List.of(line("A", 1)), false);
    OrderCommand answerOnly = OrderCommand.newBuilder().setReview(ReviewOrder.newBuilder().setAnswerOnly(true)).build();
    OrderReply reply = send(order, answerOnly);
    assertEquals("CONFLICT", reply.getRejection().getCode(), reply::toString);
    assertEquals(OrderStatus.PENDING, send(order, GET_ORDER).getOrder().getStatus());
    assertEquals(0, level(a).getReserved());
    send(order, FREEZE);
    assertEquals(OrderStatus.FROZEN, send(order, GET_ORDER).getOrder().getStatus());
    assertEquals("INVALID_STATE", send(order, answerOnly).getRejection().getCode(), "a frozen order answers as before");
  }

  @Test
  void voidReleasesReservationsOnce() {
    var a = stock("A", 3);
    var order = newOrder(orderId(), List.of(line("A", 2)), false);
    send(order, REVIEW);
    send(order, FREEZE);
    assertEquals(OrderStatus.VOID, send(order, VOID).getOrder().getStatus());
    assertEquals(0, level(a).getReserved());
    assertEquals(OrderStatus.VOID, send(order, VOID).getOrder().getStatus());
    assertEquals("INVALID_STATE", send(order, REVIEW).getRejection().getCode());
    assertEquals(3, level(a).getAvailable());
  }

  /**
   * Voiding an order that holds nothing opens no step, but its event is one saga recovery reads as
   * opening one: woken once, the order writes the closing event, so later scans leave it be.
   */
  @Test
  void anOrderWokenWithNoStepOpenClosesItSoScansStopWakingIt() {
    String id = orderId();
    var order = newOrder(id, List.of(line("A", 1)), false);
    assertEquals(OrderStatus.VOID, send(order, VOID).getOrder().getStatus());
    List<Object> voided = journal.persistedInStorage("Order|" + id);
    assertTrue(OrderState.opensSaga((com.google.protobuf.Message) voided.get(voided.size() - 1)));
    OrderCommand resume = OrderCommand.newBuilder().setResume(ResumeOrderSaga.getDefaultInstance()).build();
    assertEquals(OrderStatus.VOID, send(order, resume).getOrder().getStatus());
    List<Object> closed = journal.persistedInStorage("Order|" + id);
    assertEquals(voided.size() + 1, closed.size());
    assertTrue(OrderState.closesSaga((com.google.protobuf.Message) closed.get(closed.size() - 1)));
    send(order, resume);
    assertEquals(closed.size(), journal.persistedInStorage("Order|" + id).size(), "closed once");
  }

  @Test
  void shipCommitsTheReservationsAndIsIdempotentPerTrackingNo() {
    var a = stock("A", 3);
    var order = newOrder(orderId(), List.of(line("A", 2)), false);
    assertEquals("INVALID_STATE", send(order, ship("T1")).getRejection().getCode(), "PENDING cannot ship");
    send(order, REVIEW);
    OrderReply shipped = send(order, ship("T1"));
    assertEquals(OrderStatus.SHIPPED, shipped.getOrder().getStatus());
    assertEquals("T1", shipped.getOrder().getTrackingNo());
    assertEquals(StockLevel.newBuilder().setOnHand(1).setAvailable(1).setShipped(2).build(), level(a));
    assertEquals(OrderStatus.SHIPPED, send(order, ship("T1")).getOrder().getStatus());
    assertEquals("INVALID_STATE", send(order, ship("T2")).getRejection().getCode());
    assertEquals("INVALID_STATE", send(order, VOID).getRejection().getCode());
    assertEquals(1, level(a).getOnHand());
  }

  /**
   * Reads served from the view cache see what the entity would answer: the view is published
   * before every reply (also for a saga step that closes after the command answered) and again
   * when a stopped order recovers.
   */
  @Test
  void theViewCacheHoldsWhatTheEntityAnswers() {
    var cache = new OrderViewCache(1000);
    var settings = new OrderEntity.Settings(Duration.ofMillis(200), PENALTIES, CLOCK, true, cache);
    stock("A", 1);
    String id = orderId();
    var order = testKit.spawn(OrderEntity.create(id, stocks, billing, EntityTestKit.NO_PACKING, settings));
    assertTrue(cache.get(id).isEmpty(), "nothing before the order exists");
    OrderReply ingested = send(order, OrderCommand.newBuilder()
        .setIngest(IngestOrder.newBuilder().setOrder(ingested(id, List.of(line("A", 1)), List.of())).setAutoReview(true))
        .build());
    assertTrue(cache.get(id).isPresent(), "published before the ingest answered");
    // the review runs on after the ingest answered; the review request answers once it closed
    OrderView allocated = send(order, REVIEW).getOrder();
    assertEquals(OrderStatus.ALLOCATED, allocated.getStatus());
    assertEquals(allocated, cache.get(id).orElseThrow());
    assertEquals(send(order, FREEZE).getOrder(), cache.get(id).orElseThrow());
    assertEquals(send(order, GET_ORDER).getOrder(), cache.get(id).orElseThrow());
    cache.drop(id);
    assertEquals(send(order, GET_ORDER).getOrder(), cache.get(id).orElseThrow(), "a read that missed puts the view back");

    testKit.stop(order);
    var emptied = new OrderViewCache(1000);
    var again = testKit.spawn(OrderEntity.create(id, stocks, billing, EntityTestKit.NO_PACKING,
        new OrderEntity.Settings(Duration.ofMillis(200), PENALTIES, CLOCK, true, emptied)));
    OrderView recovered = send(again, GET_ORDER).getOrder();
    assertEquals(OrderStatus.FROZEN, recovered.getStatus());
    assertEquals(recovered, emptied.get(id).orElseThrow(), "published on recovery");
    assertTrue(ingested.getCreated());
  }

  @Test
  void theViewCacheStaysBoundedKeepsWhatWasJustWrittenOrReadAndADisabledOneHoldsNothing() {
    var cache = new OrderViewCache(100);
    for (int i = 0; i < 5000; i++) {
      cache.publish("o-" + i, OrderView.newBuilder().setOrderId("o-" + i).build());
    }
    assertTrue(cache.size() <= 100, "bounded: " + cache.size());
    assertTrue(cache.get("o-4999").isPresent(), "the newest stays");
    assertTrue(cache.get("o-0").isEmpty(), "the oldest went");

    // a flash sale's orders, written once, stay against older orders that were read again and again
    // (scanners come for what was just taken in)
    // (the default bound, split over many locks)
    var flash = new OrderViewCache(100_000);
    for (int i = 0; i < 100_000; i++) {
      flash.publish("busy-" + i, OrderView.newBuilder().build());
      for (int read = 0; read < 3; read++) {
        flash.get("busy-" + i);
      }
    }
    for (int i = 0; i < 20_000; i++) {
      flash.publish("sale-" + i, OrderView.newBuilder().setOrderId("sale-" + i).build());
    }
    long kept = java.util.stream.IntStream.range(0, 20_000).filter(i -> flash.get("sale-" + i).isPresent()).count();
    assertEquals(20_000, kept, "every order of the sale is cached");
    assertTrue(flash.size() <= 100_000, "bounded: " + flash.size());

    // what scanners keep reading stays while new orders pass through between their reads
    var scanned = new OrderViewCache(1000);
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 100; i++) {
        if (scanned.get("hot-" + i).isEmpty()) {
          scanned.publish("hot-" + i, OrderView.newBuilder().setOrderId("hot-" + i).build());
        }
      }
      for (int i = 0; i < 300; i++) {
        scanned.publish("new-" + round + "-" + i, OrderView.newBuilder().build());
      }
      long stayed = java.util.stream.IntStream.range(0, 100).filter(i -> scanned.get("hot-" + i).isPresent()).count();
      assertEquals(100, stayed, "round " + round + ": read orders stayed");
    }
    OrderViewCache.DISABLED.publish("o-1", OrderView.newBuilder().setOrderId("o-1").build());
    assertTrue(OrderViewCache.DISABLED.get("o-1").isEmpty());
  }

  @Test
  void aRestartedOrderKeepsItsState() {
    stock("A", 3);
    String id = orderId();
    var order = newOrder(id, List.of(line("A", 2)), false);
    send(order, REVIEW);
    send(order, FREEZE);
    testKit.stop(order);
    var again = spawnOrder(id);
    var view = send(again, GET_ORDER).getOrder();
    assertEquals(OrderStatus.FROZEN, view.getStatus());
    assertEquals(OrderStatus.ALLOCATED, send(again, UNFREEZE).getOrder().getStatus());
  }

  /**
   * A review prepared (routed) on the order as it was, arriving after a warehouse was chosen for it
   * by hand, is refused and starts nothing: the choice the operator was answered 200 for wins.
   */
  @Test
  void aReviewPreparedBeforeTheOrderChangedIsRefusedAndStartsNothing() {
    stock("A", 3);
    String id = orderId();
    var order = newOrder(id, List.of(line("A", 1)), false);
    OrderReply read = send(order, GET_ORDER);
    assertTrue(read.getSequenceNr() > 0, read::toString);
    OrderReply chosen = send(order, OrderCommand.newBuilder()
        .setChooseWarehouse(ChooseWarehouse.newBuilder().setWarehouseId("WH-BY-HAND")).build());
    assertEquals("WH-BY-HAND", chosen.getOrder().getManualWarehouseId(), chosen::toString);
    int written = journal.persistedInStorage("Order|" + id).size();

    OrderReply stale = send(order, OrderCommand.newBuilder().setReview(ReviewOrder.newBuilder()
        .setRouting(Routing.newBuilder().setWarehouseId(warehouse).setRule("COVERAGE"))
        .setPreparedAtSequenceNr(read.getSequenceNr())).build());
    assertEquals(Rejections.CONFLICT, stale.getRejection().getCode(), stale::toString);
    assertEquals(written, journal.persistedInStorage("Order|" + id).size(), "nothing written");
    assertEquals(OrderStatus.PENDING, send(order, GET_ORDER).getOrder().getStatus());

    OrderReply fresh = send(order, OrderCommand.newBuilder().setReview(ReviewOrder.newBuilder()
        .setRouting(Routing.newBuilder().setWarehouseId(warehouse).setRule("MANUAL"))
        .setPreparedAtSequenceNr(chosen.getSequenceNr())).build());
    assertEquals(OrderStatus.ALLOCATED, fresh.getOrder().getStatus(), fresh::toString);
  }

  @Test
  void anAutoReviewedIngestIsOneJournalEventThatReplaysToTheSameOrder() {
    var a = stock("A", 3);
    String id = orderId();
    var order = spawnOrder(id);
    Routing routing = Routing.newBuilder().setWarehouseId(warehouse).setRule("COVERAGE").addReasons("covers PH").build();
    assertTrue(send(order, OrderCommand.newBuilder().setIngest(IngestOrder.newBuilder()
        .setOrder(ingested(id, List.of(line("A", 2)), List.of())).setAutoReview(true).setRouting(routing)).build())
        .getCreated());
    assertEquals(OrderStatus.ALLOCATED, send(order, REVIEW).getOrder().getStatus());
    List<Object> events = journal.persistedInStorage("Order|" + id);
    assertEquals(OrderIngestedForReview.newBuilder().setIngested(ingested(id, List.of(line("A", 2)), List.of()))
        .setRouting(routing).build(), events.get(0), "ingest, routing and review start in one event");
    assertTrue(events.get(1) instanceof OrderAllocated, events::toString);
    assertEquals(2, events.size(), events::toString);
    assertEquals(2, level(a).getReserved());
    testKit.stop(order);
    OrderView replayed = send(spawnOrder(id), GET_ORDER).getOrder();
    assertEquals(OrderStatus.ALLOCATED, replayed.getStatus());
    assertEquals(warehouse, replayed.getWarehouseId());
    assertEquals(2, level(a).getReserved(), "a replay reserves nothing more");
  }

  @Test
  void anIngestThatRoutingFoundShortFailsItsReviewInOneEventWithoutReserving() {
    var a = stock("A", 1);
    String id = orderId();
    var order = spawnOrder(id);
    Routing routing = Routing.newBuilder().setWarehouseId(warehouse).setRule("COVERAGE").build();
    ReviewFailure shortage = ReviewFailure.newBuilder().setCode("INSUFFICIENT_STOCK").setMessage("insufficient stock: A")
        .addShortages(Shortage.newBuilder().setSku("A").setRequested(2).setAvailable(1)).build();
    OrderReply created = send(order, OrderCommand.newBuilder().setIngest(IngestOrder.newBuilder()
        .setOrder(ingested(id, List.of(line("A", 2)), List.of())).setAutoReview(true).setRouting(routing)
        .setShortAtRouting(shortage)).build());
    assertTrue(created.getCreated());
    assertEquals(OrderStatus.REVIEW_FAILED, created.getOrder().getStatus(), "failed in the ingest's own write");
    assertEquals(shortage, created.getOrder().getReviewFailure());
    assertEquals(List.of(OrderIngestedShort.newBuilder().setIngested(ingested(id, List.of(line("A", 2)), List.of()))
        .setRouting(routing).setFailure(shortage).build()), journal.persistedInStorage("Order|" + id));
    assertEquals(0, level(a).getReserved(), "nothing was reserved");

    testKit.stop(order);
    var again = spawnOrder(id);
    assertEquals(OrderStatus.REVIEW_FAILED, send(again, GET_ORDER).getOrder().getStatus());
    // a review later, with the stock there, allocates as usual
    TestProbe<SkuStockReply> probe = testKit.createTestProbe();
    a.tell(new SkuStockEntity.Request(receive("R1", 1), probe.getRef()));
    probe.receiveMessage();
    assertEquals(OrderStatus.ALLOCATED, send(again, REVIEW).getOrder().getStatus());
    assertEquals(2, level(a).getReserved());
  }

  @Test
  void anOrderThatCrashedMidReviewResumesItsSagaOnRecovery() {
    resumesAfterCrash(List.of(ingested(orderIdForCrash, List.of(line("A", 2)), List.of()),
        OrderReviewStarted.getDefaultInstance()));
  }

  @Test
  void anOrderThatCrashedRightAfterAnAutoReviewedIngestResumesItsSagaOnRecovery() {
    resumesAfterCrash(List.of(OrderIngestedForReview.newBuilder()
        .setIngested(ingested(orderIdForCrash, List.of(line("A", 2)), List.of()))
        .setRouting(Routing.newBuilder().setWarehouseId(warehouse).setRule("STORE_DEFAULT")).build()));
  }

  private final String orderIdForCrash = orderId();

  private void resumesAfterCrash(List<Object> journalAsLeft) {
    var a = stock("A", 5);
    String id = orderIdForCrash;
    // the journal as a crash left it: review opened, no answer recorded
    journal.persistForRecovery("Order|" + id, journalAsLeft);
    var order = spawnOrder(id);
    TestProbe<OrderReply> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      order.tell(new OrderEntity.Request(GET_ORDER, probe.getRef()));
      assertEquals(OrderStatus.ALLOCATED, probe.receiveMessage().getOrder().getStatus());
      return null;
    });
    assertEquals(2, level(a).getReserved());
  }

  @Test
  void anOrderThatCrashedMidShipCommitsOnRecovery() {
    var a = stock("A", 5);
    String id = orderId();
    TestProbe<SkuStockReply> stockProbe = testKit.createTestProbe();
    a.tell(new SkuStockEntity.Request(reserve(id, 2), stockProbe.getRef()));
    stockProbe.receiveMessage();
    journal.persistForRecovery("Order|" + id, List.of(
        ingested(id, List.of(line("A", 2)), List.of()),
        OrderReviewStarted.getDefaultInstance(),
        OrderAllocated.getDefaultInstance(),
        OrderShipped.newBuilder().setCarrier("JNT").setTrackingNo("T9").build()));
    spawnOrder(id);
    stockProbe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(StockLevel.newBuilder().setOnHand(3).setAvailable(3).setShipped(2).build(), level(a));
      return null;
    });
  }

  @Test
  void aStockThatDoesNotAnswerIsAskedAgain() {
    String id = orderId();
    String stockId = Identifiers.stockEntityId(warehouse, CLIENT, "A");
    var order = newOrder(id, List.of(line("A", 1)), false);
    TestProbe<OrderReply> probe = testKit.createTestProbe();
    order.tell(new OrderEntity.Request(REVIEW, probe.getRef()));
    // the stock entity is unreachable for the first attempts, then appears
    probe.expectNoMessage(Duration.ofMillis(300));
    var a = stocks.spawn(stockId);
    TestProbe<SkuStockReply> sp = testKit.createTestProbe();
    a.tell(new SkuStockEntity.Request(receive("R1", 1), sp.getRef()));
    sp.receiveMessage();
    assertEquals(OrderStatus.ALLOCATED, probe.receiveMessage(Duration.ofSeconds(10)).getOrder().getStatus());
  }

  @Test
  void anOrderAskedToStopMidReviewFinishesTheReviewFirst() {
    String id = orderId();
    var order = newOrder(id, List.of(line("A", 1)), false);
    TestProbe<OrderReply> reviewer = testKit.createTestProbe();
    order.tell(new OrderEntity.Request(REVIEW, reviewer.getRef()));
    // the stock does not answer yet, so the review is in flight when sharding passivates the order
    order.tell(OrderEntity.Stop.INSTANCE);
    assertEquals(OrderStatus.REVIEWING, send(order, GET_ORDER).getOrder().getStatus(), "still running");

    stock("A", 1);
    assertEquals(OrderStatus.ALLOCATED, reviewer.receiveMessage(Duration.ofSeconds(10)).getOrder().getStatus());
    testKit.createTestProbe().expectTerminated(order, Duration.ofSeconds(10));
    assertEquals(OrderStatus.ALLOCATED, send(spawnOrder(id), GET_ORDER).getOrder().getStatus());
  }

  /**
   * A write that fails mid-step stops the order; its cached view, which shows the step in flight,
   * is dropped, so the next read restarts the order, which finishes the step.
   */
  @Test
  void anOrderStoppedByAFailedWriteMidReviewIsNotLeftInTheCache() {
    var cache = new OrderViewCache(1000);
    var wakeups = new java.util.concurrent.CopyOnWriteArrayList<String>();
    var settings = new OrderEntity.Settings(Duration.ofMillis(200), PENALTIES, CLOCK, true, cache, wakeups::add);
    String id = orderId();
    var order = testKit.spawn(OrderEntity.create(id, stocks, billing, EntityTestKit.NO_PACKING, settings));
    send(order, OrderCommand.newBuilder()
        .setIngest(IngestOrder.newBuilder().setOrder(ingested(id, List.of(line("A", 1)), List.of()))).build());
    order.tell(new OrderEntity.Request(REVIEW, testKit.<OrderReply>createTestProbe().getRef()));
    // the stock does not answer yet: the review is open, and the cache shows it
    TestProbe<Object> watcher = testKit.createTestProbe();
    watcher.awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(OrderStatus.REVIEWING, cache.get(id).orElseThrow().getStatus());
      return null;
    });
    journal.failNextPersisted(OrderEntity.TYPE_KEY.name() + "|" + id);
    var a = stock("A", 1); // the reservation comes; writing the allocation fails
    watcher.expectTerminated(order, Duration.ofSeconds(10));
    assertTrue(cache.get(id).isEmpty(), "reads go to the order again");
    // nobody may ask it again (the review's caller may have had its answer): it asked to be woken
    assertEquals(List.of(id), wakeups);

    var again = testKit.spawn(OrderEntity.create(id, stocks, billing, EntityTestKit.NO_PACKING, settings));
    watcher.awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(OrderStatus.ALLOCATED, send(again, GET_ORDER).getOrder().getStatus());
      return null;
    });
    assertEquals(1, level(a).getReserved(), "reserved once");
  }

  @Test
  void anIdleOrderStopsAtOnceWhenAsked() {
    var order = newOrder(orderId(), List.of(line("A", 1)), false);
    order.tell(OrderEntity.Stop.INSTANCE);
    testKit.createTestProbe().expectTerminated(order, Duration.ofSeconds(10));
  }

  @Test
  void concurrentReviewsNeverOversell() {
    var a = stock("A", 20);
    List<ActorRef<OrderEntity.Msg>> orders = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      orders.add(newOrder(orderId(), List.of(line("A", 1)), false));
    }
    TestProbe<OrderReply> probe = testKit.createTestProbe();
    orders.forEach(o -> o.tell(new OrderEntity.Request(REVIEW, probe.getRef())));
    List<OrderReply> replies = probe.receiveSeveralMessages(60, Duration.ofSeconds(20));
    long allocated = replies.stream().filter(r -> r.getOrder().getStatus() == OrderStatus.ALLOCATED).count();
    long failed = replies.stream().filter(r -> r.getOrder().getStatus() == OrderStatus.REVIEW_FAILED).count();
    assertEquals(20, allocated);
    assertEquals(40, failed);
    assertEquals(StockLevel.newBuilder().setOnHand(20).setReserved(20).setAvailable(0).build(), level(a));
  }
}
