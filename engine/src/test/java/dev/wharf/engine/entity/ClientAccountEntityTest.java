package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.AccountState;
import dev.wharf.proto.OrderCancelled;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.AccountView;
import dev.wharf.proto.CaptureFee;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.CloseStatement;
import dev.wharf.proto.GetAccount;
import dev.wharf.proto.GetLedger;
import dev.wharf.proto.GetOrderSettlement;
import dev.wharf.proto.HoldFee;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.ReleaseFee;
import dev.wharf.proto.SetAccountBilling;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientAccountEntityTest {
  private static ActorTestKit testKit;
  private static final MutableClock CLOCK = new MutableClock();

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("accounts", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<ClientAccountEntity.Request> account(String id) {
    return testKit.spawn(ClientAccountEntity.create(id, "USD", CLOCK));
  }

  private static ClientAccountReply send(ActorRef<ClientAccountEntity.Request> a, ClientAccountCommand c) {
    TestProbe<ClientAccountReply> probe = testKit.createTestProbe();
    a.tell(new ClientAccountEntity.Request(c, probe.getRef()));
    return probe.receiveMessage();
  }

  static ClientAccountCommand post(MovementKind kind, String source, long amount, String currency) {
    return ClientAccountCommand.newBuilder().setPost(PostMovement.newBuilder()
        .setKind(kind).setSourceId(source).setAmount(Moneys.of(amount, currency))).build();
  }

  static ClientAccountCommand hold(String orderId, long amount) {
    return ClientAccountCommand.newBuilder().setHold(HoldFee.newBuilder()
        .setOrderId(orderId).setAmount(Moneys.of(amount, "USD")).setGroupId("G").setRuleVersion(2)).build();
  }

  static final ClientAccountCommand GET = ClientAccountCommand.newBuilder().setGet(GetAccount.getDefaultInstance()).build();
  static final ClientAccountCommand LEDGER = ClientAccountCommand.newBuilder().setLedger(GetLedger.getDefaultInstance()).build();

  @Test
  void aRetriedMovementNeverDoubles() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 5000, "USD"));
    send(a, post(MovementKind.RECHARGE, "RC-1", 5000, "USD"));
    send(a, post(MovementKind.FEE_INBOUND, "GRN-1", -700, "USD"));
    send(a, post(MovementKind.FEE_INBOUND, "GRN-1", -700, "USD"));
    assertEquals(4300, send(a, GET).getAccount().getBalance());
    assertEquals(2, send(a, LEDGER).getEntriesCount());
  }

  @Test
  void holdsRespectCreditAndAreCapturedOrReleasedOnce() {
    var a = account("A-" + UUID.randomUUID());
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(500, "USD"))).build());
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    assertTrue(!send(a, hold("o1", 1200)).getInsufficientFunds());
    ClientAccountReply refused = send(a, hold("o2", 301));
    assertTrue(refused.getInsufficientFunds());
    assertEquals(301, refused.getRequired());
    assertEquals(300, refused.getAvailable());
    send(a, hold("o1", 1200)); // retried: not held twice
    assertEquals(1200, send(a, GET).getAccount().getHeld());
    send(a, ClientAccountCommand.newBuilder().setCapture(CaptureFee.newBuilder().setOrderId("o1")).build());
    send(a, ClientAccountCommand.newBuilder().setCapture(CaptureFee.newBuilder().setOrderId("o1")).build());
    AccountView v = send(a, GET).getAccount();
    assertEquals(-200, v.getBalance(), "the fee used 200 of the credit");
    assertEquals(0, v.getHeld());
    assertEquals(300, v.getAvailable());
    send(a, hold("o3", 100));
    send(a, ClientAccountCommand.newBuilder().setRelease(ReleaseFee.newBuilder().setOrderId("o3")).build());
    send(a, ClientAccountCommand.newBuilder().setRelease(ReleaseFee.newBuilder().setOrderId("o3")).build());
    assertEquals(0, send(a, GET).getAccount().getHeld());
    LedgerEntry fee = send(a, LEDGER).getEntriesList().stream()
        .filter(e -> e.getKind() == MovementKind.FEE_OUTBOUND).findFirst().orElseThrow();
    assertEquals(2, fee.getRuleVersion(), "a charge records the rule version it used");
    assertEquals("G", fee.getGroupId());
  }

  @Test
  void currencyIsFixedByTheFirstMovement() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "EUR"));
    ClientAccountReply wrong = send(a, post(MovementKind.RECHARGE, "RC-2", 1000, "USD"));
    assertEquals("CURRENCY_MISMATCH", wrong.getRejection().getCode());
    assertEquals("EUR", send(a, GET).getAccount().getCurrency());
    assertEquals(1000, send(a, GET).getAccount().getBalance());
  }

  @Test
  void billingSettingsDecideTheCurrencyUntilMoneyMoves() {
    var a = account("A-" + UUID.randomUUID());
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(100, "USD"))).build());
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(100, "EUR"))).build());
    assertEquals("EUR", send(a, GET).getAccount().getCurrency());
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "EUR"));
    ClientAccountReply late = send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(100, "USD"))).build());
    assertEquals("CURRENCY_MISMATCH", late.getRejection().getCode());
  }

  @Test
  void aThousandConcurrentHoldsNeverOverdrawAndTheLedgerAddsUp() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id);
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(2_000, "USD"))).build());
    send(a, post(MovementKind.RECHARGE, "RC-1", 10_000, "USD"));
    // 1,000 holds of 0.25 to 0.49 from many senders at once: funds for only part of them
    TestProbe<ClientAccountReply> probe = testKit.createTestProbe();
    long asked = 0;
    for (int i = 0; i < 1000; i++) {
      long amount = 25 + (i % 25);
      asked += amount;
      a.tell(new ClientAccountEntity.Request(hold("o" + i, amount), probe.getRef()));
    }
    List<ClientAccountReply> replies = probe.receiveSeveralMessages(1000, Duration.ofSeconds(30));
    long refused = replies.stream().filter(ClientAccountReply::getInsufficientFunds).count();
    assertTrue(asked > 12_000 && refused > 0, "the test must ask for more than there is");
    AccountView v = send(a, GET).getAccount();
    assertTrue(v.getAvailable() >= 0, "available never below zero: " + v);
    assertTrue(v.getAvailable() < 49, "holds stop only when the next one no longer fits: " + v);
    assertEquals(v.getBalance() + v.getCreditLimit() - v.getHeld(), v.getAvailable());

    // the ledger sums to the balance and the held amount, also after a restart
    testKit.stop(a);
    var again = account(id);
    List<LedgerEntry> ledger = send(again, LEDGER).getEntriesList();
    assertEquals(1000 - refused + 1, ledger.size());
    assertEquals(v.getBalance(), ledger.stream().mapToLong(LedgerEntry::getBalanceDelta).sum());
    assertEquals(v.getHeld(), ledger.stream().mapToLong(LedgerEntry::getHeldDelta).sum());
    assertEquals(v, send(again, GET).getAccount());
  }

  @Test
  void aStatementSettlesThePeriodAndTheOrdersInIt() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    send(a, hold("o1", 300));
    send(a, ClientAccountCommand.newBuilder().setCapture(CaptureFee.newBuilder().setOrderId("o1")).build());
    ClientAccountCommand settlementO1 = ClientAccountCommand.newBuilder()
        .setOrderSettlement(GetOrderSettlement.newBuilder().setOrderId("o1")).build();
    assertEquals("NoBalance", send(a, settlementO1).getSettlement());
    long periodEnd = CLOCK.millis() + 1;
    CLOCK.advance(Duration.ofHours(1));
    send(a, post(MovementKind.RECHARGE, "RC-2", 500, "USD")); // after the period: stays open
    ClientAccountReply closed = send(a, ClientAccountCommand.newBuilder()
        .setCloseStatement(CloseStatement.newBuilder().setPeriodToMillis(periodEnd)).build());
    var st = closed.getStatements(0);
    assertEquals(0, st.getOpeningBalance());
    assertEquals(700, st.getClosingBalance());
    assertEquals(1000, st.getTotalCredits());
    assertEquals(300, st.getTotalDebits());
    assertEquals(List.of("o1"), st.getOrderIdsList());
    assertEquals(st.getStatementNo(), send(a, settlementO1).getSettlement());
    // nothing new before the same period end: nothing to settle
    assertEquals("CONFLICT", send(a, ClientAccountCommand.newBuilder()
        .setCloseStatement(CloseStatement.newBuilder().setPeriodToMillis(periodEnd)).build()).getRejection().getCode());
  }

  /** The shortcut scanner reads take (AccountState.mayBeOnStatement) must agree with statements. */
  @Test
  void onlyOrdersWithAFeeOrAPenaltyAreEverOnAStatement() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    send(a, hold("o-fee", 300));
    send(a, ClientAccountCommand.newBuilder().setCapture(CaptureFee.newBuilder().setOrderId("o-fee")).build());
    send(a, post(MovementKind.PENALTY, "o-penalty", -100, "USD"));
    // money moved with an order's id as reference, but neither fee nor penalty
    send(a, post(MovementKind.REFUND, "o-refund", 50, "USD"));
    send(a, post(MovementKind.ADJUSTMENT, "o-adjusted", -20, "USD"));
    long periodEnd = CLOCK.millis() + 1;
    CLOCK.advance(Duration.ofHours(1));
    var st = send(a, ClientAccountCommand.newBuilder()
        .setCloseStatement(CloseStatement.newBuilder().setPeriodToMillis(periodEnd)).build()).getStatements(0);
    assertEquals(List.of("o-fee", "o-penalty"), st.getOrderIdsList());

    OrderView noCharge = OrderView.newBuilder().setOrderId("o-refund").build();
    OrderView withFee = OrderView.newBuilder().setOrderId("o-fee").setOutboundFee(Moneys.of(300, "USD")).build();
    OrderView withPenalty = OrderView.newBuilder().setOrderId("o-penalty")
        .setCancellation(OrderCancelled.newBuilder().setPenalty(Moneys.of(100, "USD"))).build();
    assertFalse(AccountState.mayBeOnStatement(noCharge));
    assertEquals(AccountState.NO_BALANCE, settlement(a, "o-refund"));
    assertEquals(AccountState.NO_BALANCE, settlement(a, "o-adjusted"));
    assertTrue(AccountState.mayBeOnStatement(withFee));
    assertTrue(AccountState.mayBeOnStatement(withPenalty));
    assertEquals(st.getStatementNo(), settlement(a, "o-fee"));
    assertEquals(st.getStatementNo(), settlement(a, "o-penalty"));
  }

  private static String settlement(ActorRef<ClientAccountEntity.Request> a, String orderId) {
    return send(a, ClientAccountCommand.newBuilder()
        .setOrderSettlement(GetOrderSettlement.newBuilder().setOrderId(orderId)).build()).getSettlement();
  }
}
