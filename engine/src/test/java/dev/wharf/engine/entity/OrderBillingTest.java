package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.OrderIds;
import dev.wharf.proto.AccountView;
import dev.wharf.proto.CancelOrder;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.FeeSchedule;
import dev.wharf.proto.GetAccount;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.IngestOrder;
import dev.wharf.proto.Line;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderIngested;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.ReviewOrder;
import dev.wharf.proto.SetAccountBilling;
import dev.wharf.proto.ShipOrder;
import dev.wharf.proto.SkuStockReply;
import dev.wharf.proto.VoidOrder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fees and penalties in the order flow: hold at review, charge at ship, release at void, penalty at cancel. */
class OrderBillingTest {
  private static ActorTestKit testKit;
  private static final MutableClock CLOCK = new MutableClock();
  private static final OrderEntity.Settings SETTINGS =
      new OrderEntity.Settings(Duration.ofMillis(200), OrderEntityTest.PENALTIES, CLOCK);
  private EntityTestKit.LocalStock stocks;
  private EntityTestKit.LocalBilling billing;
  private String warehouse;
  private String client;

  // 2.00 per order + 0.50 per additional unit
  private static final FeeSchedule FEES = FeeSchedule.newBuilder()
      .setOutboundPerOrder(Moneys.of(200, "USD"))
      .setOutboundPerAdditionalUnit(Moneys.of(50, "USD"))
      .build();

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("order-billing", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    stocks = new EntityTestKit.LocalStock(testKit);
    billing = new EntityTestKit.LocalBilling(testKit);
    billing.fees(FEES, 1);
    warehouse = "WH-" + UUID.randomUUID();
    client = "C-" + UUID.randomUUID();
    var a = stocks.spawn(Identifiers.stockEntityId(warehouse, client, "A"));
    TestProbe<SkuStockReply> p = testKit.createTestProbe();
    a.tell(new SkuStockEntity.Request(SkuStockEntityTest.receive("R0", 100), p.getRef()));
    p.receiveMessage();
  }

  private ClientAccountReply account(ClientAccountCommand c) {
    return billing.account(client, c).toCompletableFuture().join();
  }

  private List<LedgerEntry> ledger() {
    return billing.book().ledger(client, 0, dev.wharf.engine.app.AccountBook.NO_END).toCompletableFuture().join().getEntriesList();
  }

  private AccountView view() {
    return account(ClientAccountCommand.newBuilder().setGet(GetAccount.getDefaultInstance()).build()).getAccount();
  }

  private void recharge(long amount) {
    account(ClientAccountCommand.newBuilder().setPost(PostMovement.newBuilder().setKind(MovementKind.RECHARGE)
        .setSourceId("RC-" + UUID.randomUUID()).setAmount(Moneys.of(amount, "USD"))).build());
  }

  private ActorRef<OrderEntity.Msg> order(long units) {
    String id = OrderIds.orderId("S", UUID.randomUUID().toString());
    var order = testKit.spawn(OrderEntity.create(id, stocks, billing, EntityTestKit.NO_PACKING, SETTINGS));
    send(order, OrderCommand.newBuilder().setIngest(IngestOrder.newBuilder().setOrder(OrderIngested.newBuilder()
        .setOrderId(id).setOrderNo("X-1").setStoreId("S").setClientId(client).setPlatformOrderNo(id)
        .setWarehouseId(warehouse).addLines(Line.newBuilder().setSku("A").setQty(units))
        .setRecipient(Recipient.newBuilder().setName("n").setCountry("PH"))
        .setIngestedAtMillis(CLOCK.millis()))).build());
    return order;
  }

  private static OrderReply send(ActorRef<OrderEntity.Msg> order, OrderCommand c) {
    TestProbe<OrderReply> probe = testKit.createTestProbe();
    order.tell(new OrderEntity.Request(c, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static final OrderCommand REVIEW = OrderCommand.newBuilder().setReview(ReviewOrder.getDefaultInstance()).build();

  private static OrderCommand cancel(String by) {
    return OrderCommand.newBuilder().setCancel(CancelOrder.newBuilder().setReason("out of stock").setBy(by)).build();
  }

  private long reservedA() {
    var probe = testKit.<SkuStockReply>createTestProbe();
    stocks.ask(Identifiers.stockEntityId(warehouse, client, "A"), SkuStockEntityTest.GET)
        .thenAccept(r -> probe.getRef().tell(r));
    return probe.receiveMessage().getLevel().getReserved();
  }

  @Test
  void reviewHoldsTheOutboundFeeAndShipChargesIt() {
    recharge(1000);
    var o = order(3); // 2.00 + 2 x 0.50
    OrderReply allocated = send(o, REVIEW);
    assertEquals(OrderStatus.ALLOCATED, allocated.getOrder().getStatus());
    assertEquals(Moneys.of(300, "USD"), allocated.getOrder().getOutboundFee());
    assertEquals(1, allocated.getOrder().getFeeRuleVersion());
    assertEquals(300, view().getHeld());
    assertEquals(700, view().getAvailable());
    OrderCommand ship = OrderCommand.newBuilder().setShip(ShipOrder.newBuilder().setCarrier("JNT").setTrackingNo("T")).build();
    send(o, ship);
    // a retried ship answers once the step has finished
    OrderReply shipped = send(o, ship);
    AccountView after = view();
    assertEquals(700, after.getBalance());
    assertEquals(0, after.getHeld());
    LedgerEntry fee = ledger().stream().filter(e -> e.getKind() == MovementKind.FEE_OUTBOUND).findFirst().orElseThrow();
    assertEquals(fee.getEntryNo(), shipped.getOrder().getChargeEntryNo(), "the order keeps the entry that charged it");
  }

  @Test
  void aFeeThatDoesNotFitFailsTheReviewAndReleasesTheStock() {
    recharge(250);
    account(ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(40, "USD"))).build());
    var o = order(3); // needs 300, has 250 + 40 credit
    OrderReply failed = send(o, REVIEW);
    assertEquals(OrderStatus.REVIEW_FAILED, failed.getOrder().getStatus());
    var failure = failed.getOrder().getReviewFailure();
    assertEquals("INSUFFICIENT_FUNDS", failure.getCode());
    assertEquals(300, failure.getRequired().getAmount());
    assertEquals(290, failure.getAvailable().getAmount());
    assertEquals(0, reservedA(), "the stock reserved for it was given back");
    assertEquals(0, view().getHeld());
    // once funds arrive the same order passes
    recharge(100);
    assertEquals(OrderStatus.ALLOCATED, send(o, REVIEW).getOrder().getStatus());
  }

  @Test
  void voidReleasesTheHeldFee() {
    recharge(1000);
    var o = order(1);
    send(o, REVIEW);
    assertEquals(200, view().getHeld());
    send(o, OrderCommand.newBuilder().setVoid(VoidOrder.getDefaultInstance()).build());
    assertEquals(0, view().getHeld());
    assertEquals(1000, view().getBalance());
    assertEquals(0, reservedA());
  }

  @Test
  void aSellerCancellationCostsOneDollarAndReleasesEverything() {
    recharge(1000);
    var o = order(1);
    send(o, REVIEW);
    OrderReply cancelled = send(o, cancel("SELLER"));
    assertEquals(OrderStatus.CANCELLED, cancelled.getOrder().getStatus());
    assertEquals(100, cancelled.getOrder().getCancellation().getPenalty().getAmount());
    AccountView after = view();
    assertEquals(900, after.getBalance());
    assertEquals(0, after.getHeld());
    assertEquals(0, reservedA());
    // cancelling again charges nothing more
    assertEquals(OrderStatus.CANCELLED, send(o, cancel("SELLER")).getOrder().getStatus());
    assertEquals(900, view().getBalance());
    List<LedgerEntry> penalties = ledger().stream().filter(e -> e.getKind() == MovementKind.PENALTY).toList();
    assertEquals(1, penalties.size());
    // the order keeps the entry that charged it: its settlement is found without the account remembering it
    assertEquals(penalties.get(0).getEntryNo(), send(o, cancel("SELLER")).getOrder().getChargeEntryNo());
  }

  @Test
  void backOfficeAndDay13CancellationsCostThree() {
    recharge(1000);
    assertEquals(300, send(order(1), cancel("BACK_OFFICE")).getOrder().getCancellation().getPenalty().getAmount());
    var late = order(1);
    CLOCK.advance(Duration.ofDays(12)); // day 13
    assertEquals(300, send(late, cancel("SELLER")).getOrder().getCancellation().getPenalty().getAmount());
    assertEquals(600, 1000 - view().getBalance());
  }

  @Test
  void cancelAfterShipIsRefused() {
    recharge(1000);
    var o = order(1);
    send(o, REVIEW);
    send(o, OrderCommand.newBuilder().setShip(ShipOrder.newBuilder().setCarrier("JNT").setTrackingNo("T")).build());
    OrderReply refused = send(o, cancel("SELLER"));
    assertEquals("INVALID_STATE", refused.getRejection().getCode());
    assertEquals("SHIPPED", refused.getRejection().getCurrentState());
    assertTrue(send(o, cancel("NOBODY")).getRejection().getCode().equals("VALIDATION"));
  }

  @Test
  void aClientWithoutAGroupPaysNoFee() {
    billing.fees(null, 0);
    var o = order(2);
    OrderReply allocated = send(o, REVIEW);
    assertEquals(OrderStatus.ALLOCATED, allocated.getOrder().getStatus());
    assertEquals(false, allocated.getOrder().hasOutboundFee());
    assertEquals(List.of(), ledger());
  }
}
