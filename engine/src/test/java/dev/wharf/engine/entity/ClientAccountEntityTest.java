package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.app.AccountBook;
import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.AccountState;
import dev.wharf.engine.domain.Statements;
import dev.wharf.proto.OrderCancelled;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.AccountView;
import dev.wharf.proto.CaptureFee;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.CloseStatement;
import dev.wharf.proto.GetAccount;
import dev.wharf.proto.GetLedger;
import dev.wharf.proto.GetStatementBasis;
import dev.wharf.proto.HoldFee;
import dev.wharf.proto.JournalRange;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.ReleaseFee;
import dev.wharf.proto.SetAccountBilling;
import dev.wharf.proto.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientAccountEntityTest {
  private static ActorTestKit testKit;
  private static final MutableClock CLOCK = new MutableClock();

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("accounts", EntityTestKit.config());
    book = new AccountBook(testKit.system(), "pekko.persistence.testkit.query", (clientId, command) -> {
      LARGEST_MESSAGE.merge(clientId, command.getSerializedSize(), Math::max);
      return AskPattern.ask(ACCOUNTS.get(clientId), (ActorRef<ClientAccountReply> replyTo) ->
              new ClientAccountEntity.Request(command, replyTo), Duration.ofSeconds(10), testKit.scheduler())
          .thenApply(reply -> {
            LARGEST_MESSAGE.merge(clientId, reply.getSerializedSize(), Math::max);
            return reply;
          });
    });
  }

  /** By client: the largest command or reply the book exchanged with its account, in protobuf bytes. */
  private static final Map<String, Integer> LARGEST_MESSAGE = new ConcurrentHashMap<>();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static final Map<String, ActorRef<ClientAccountEntity.Msg>> ACCOUNTS = new ConcurrentHashMap<>();
  private static AccountBook book;

  private static ActorRef<ClientAccountEntity.Msg> account(String id) {
    return account(id, AccountState.ORDER_KEY_WINDOW);
  }

  private static ActorRef<ClientAccountEntity.Msg> account(String id, int orderKeyWindow) {
    ActorRef<ClientAccountEntity.Msg> ref = testKit.spawn(ClientAccountEntity.create(id, "USD", CLOCK, orderKeyWindow));
    ACCOUNTS.put(id, ref);
    return ref;
  }

  private static String idOf(ActorRef<ClientAccountEntity.Msg> a) {
    return ACCOUNTS.entrySet().stream().filter(e -> e.getValue().equals(a)).map(Map.Entry::getKey).findFirst().orElseThrow();
  }

  private static List<LedgerEntry> ledger(ActorRef<ClientAccountEntity.Msg> a) {
    return ledger(a, 0, AccountBook.NO_END);
  }

  private static List<LedgerEntry> ledger(ActorRef<ClientAccountEntity.Msg> a, long from, long to) {
    return await(book.ledger(idOf(a), from, to)).getEntriesList();
  }

  private static ClientAccountReply close(ActorRef<ClientAccountEntity.Msg> a, long periodTo) {
    return await(book.closeStatement(idOf(a), periodTo));
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ClientAccountReply send(ActorRef<ClientAccountEntity.Msg> a, ClientAccountCommand c) {
    TestProbe<ClientAccountReply> probe = testKit.createTestProbe();
    a.tell(new ClientAccountEntity.Request(c, probe.getRef()));
    return probe.receiveMessage();
  }

  static ClientAccountCommand post(MovementKind kind, String source, long amount, String currency) {
    return ClientAccountCommand.newBuilder().setPost(PostMovement.newBuilder()
        .setKind(kind).setSourceId(source).setAmount(Moneys.of(amount, currency))).build();
  }

  static ClientAccountCommand capture(String orderId) {
    return ClientAccountCommand.newBuilder().setCapture(CaptureFee.newBuilder().setOrderId(orderId)).build();
  }

  static ClientAccountCommand hold(String orderId, long amount) {
    return ClientAccountCommand.newBuilder().setHold(HoldFee.newBuilder()
        .setOrderId(orderId).setAmount(Moneys.of(amount, "USD")).setGroupId("G").setRuleVersion(2)).build();
  }

  static final ClientAccountCommand GET = ClientAccountCommand.newBuilder().setGet(GetAccount.getDefaultInstance()).build();

  @Test
  void aRetriedMovementNeverDoubles() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 5000, "USD"));
    send(a, post(MovementKind.RECHARGE, "RC-1", 5000, "USD"));
    send(a, post(MovementKind.FEE_INBOUND, "GRN-1", -700, "USD"));
    send(a, post(MovementKind.FEE_INBOUND, "GRN-1", -700, "USD"));
    assertEquals(4300, send(a, GET).getAccount().getBalance());
    assertEquals(2, ledger(a).size());
  }

  /** A copy of a hold still waiting to be written learns the hold as written, like a later retry does. */
  @Test
  void aCopyOfAPendingHoldLearnsTheHoldAsWritten() {
    var a = account("A-" + UUID.randomUUID());
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(5000, "USD"))).build());
    TestProbe<ClientAccountReply> first = testKit.createTestProbe();
    TestProbe<ClientAccountReply> copy = testKit.createTestProbe();
    // both are in the mailbox before the write the first one starts: the copy meets it pending
    a.tell(new ClientAccountEntity.Request(hold("o1", 200), first.getRef()));
    a.tell(new ClientAccountEntity.Request(hold("o1", 500), copy.getRef()));
    assertEquals(200, first.receiveMessage().getOpenHold().getAmount());
    assertEquals(200, copy.receiveMessage().getOpenHold().getAmount(), "the copy computed other fees: it learns what is held");
    assertEquals(200, send(a, GET).getAccount().getHeld());
  }

  /** Passivated or handed off with holds not yet written: they are written and answered, then it stops. */
  @Test
  void anAccountAskedToStopAnswersItsPendingHoldsFirst() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id);
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(5000, "USD"))).build());
    TestProbe<ClientAccountReply> reviews = testKit.createTestProbe();
    for (int i = 0; i < 5; i++) {
      a.tell(new ClientAccountEntity.Request(hold("o" + i, 100), reviews.getRef()));
    }
    a.tell(ClientAccountEntity.Stop.INSTANCE);
    List<ClientAccountReply> answers = reviews.receiveSeveralMessages(5, java.time.Duration.ofSeconds(10));
    assertTrue(answers.stream().allMatch(r -> r.getOpenHold().getAmount() == 100), answers::toString);
    testKit.createTestProbe().expectTerminated(a, java.time.Duration.ofSeconds(10));
    assertEquals(500, send(account(id), GET).getAccount().getHeld(), "all five written");
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
    ClientAccountReply retried = send(a, hold("o1", 1200)); // retried: not held twice
    assertEquals(1200, send(a, GET).getAccount().getHeld());
    assertEquals(1200, retried.getOpenHold().getAmount(), "a retry learns what is held");
    // a retry that computed another fee since (the group's fees changed) learns the held one too
    assertEquals(1200, send(a, hold("o1", 0)).getOpenHold().getAmount());
    assertEquals("G", send(a, hold("o1", 900)).getOpenHold().getGroupId());
    assertEquals(1200, send(a, GET).getAccount().getHeld());
    send(a, capture("o1"));
    send(a, capture("o1"));
    AccountView v = send(a, GET).getAccount();
    assertEquals(-200, v.getBalance(), "the fee used 200 of the credit");
    assertEquals(0, v.getHeld());
    assertEquals(300, v.getAvailable());
    send(a, hold("o3", 100));
    send(a, ClientAccountCommand.newBuilder().setRelease(ReleaseFee.newBuilder().setOrderId("o3")).build());
    send(a, ClientAccountCommand.newBuilder().setRelease(ReleaseFee.newBuilder().setOrderId("o3")).build());
    assertEquals(0, send(a, GET).getAccount().getHeld());
    LedgerEntry fee = ledger(a).stream()
        .filter(e -> e.getKind() == MovementKind.FEE_OUTBOUND).findFirst().orElseThrow();
    assertEquals(2, fee.getRuleVersion(), "a charge records the rule version it used");
    assertEquals("G", fee.getGroupId());
  }

  @Test
  void aMovementPastTheBalanceLimitIsRefusedAndAnUnpayableFeeIsNotHeld() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", Moneys.MAX_BALANCE, "USD"));
    ClientAccountReply tooMuch = send(a, post(MovementKind.ADJUSTMENT, "ADJ-1", 1, "USD"));
    assertEquals("AMOUNT_TOO_LARGE", tooMuch.getRejection().getCode());
    assertEquals(Moneys.MAX_BALANCE, send(a, GET).getAccount().getBalance(), "nothing moved");
    assertEquals(1, ledger(a).size());
    send(a, post(MovementKind.FEE_INBOUND, "GRN-1", -1, "USD"));
    assertEquals(Moneys.MAX_BALANCE - 1, send(a, GET).getAccount().getBalance());
    assertTrue(send(a, hold("o1", Moneys.UNPAYABLE)).getInsufficientFunds());
    assertEquals("AMOUNT_TOO_LARGE",
        send(a, post(MovementKind.FEE_INBOUND, "GRN-2", -Moneys.UNPAYABLE, "USD")).getRejection().getCode());
    assertEquals(0, send(a, GET).getAccount().getHeld());
  }

  /** Money moves only in the currency the account shows: the default, until billing settings choose another. */
  @Test
  void moneyMovesOnlyInTheCurrencyTheAccountShows() {
    var a = account("A-" + UUID.randomUUID());
    ClientAccountReply foreign = send(a, post(MovementKind.ADJUSTMENT, "ADJ-1", 1000, "EUR"));
    assertEquals("CURRENCY_MISMATCH", foreign.getRejection().getCode(), "a first movement does not choose the currency");
    assertEquals("USD", send(a, GET).getAccount().getCurrency());
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(0, "EUR"))).build());
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
    List<LedgerEntry> ledger = ledger(again);
    assertEquals(1000 - refused + 1, ledger.size());
    assertEquals(v.getBalance(), ledger.stream().mapToLong(LedgerEntry::getBalanceDelta).sum());
    assertEquals(v.getHeld(), ledger.stream().mapToLong(LedgerEntry::getHeldDelta).sum());
    assertEquals(v, send(again, GET).getAccount());
  }

  /** An account remembering thousands of order keys is snapshotted by its size, not every 500 events (decision 0023). */
  @Test
  void anAccountRememberingManyOrdersIsSnapshottedByItsSizeAndRestartsWhole() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id);
    send(a, post(MovementKind.RECHARGE, "RC-1", 1_000_000, "USD"));
    TestProbe<ClientAccountReply> probe = testKit.createTestProbe();
    for (int i = 0; i < 2000; i++) {
      a.tell(new ClientAccountEntity.Request(hold("o" + i, 10), probe.getRef()));
    }
    probe.receiveSeveralMessages(2000, Duration.ofSeconds(30));
    for (int i = 0; i < 2000; i++) {
      a.tell(new ClientAccountEntity.Request(capture("o" + i), probe.getRef()));
    }
    probe.receiveSeveralMessages(2000, Duration.ofSeconds(30));
    AccountView before = send(a, GET).getAccount();
    assertEquals(1_000_000 - 20_000, before.getBalance());

    // 4,001 events. Each hold adds an open hold and a key (two entries), so none is due while they
    // come; once ~2,000 events have passed the state's ~4,000 entries are: one snapshot, where a
    // fixed interval of 500 took 8
    List<Long> takenAt = new SnapshotTestKit(Adapter.toClassic(testKit.system()))
        .persistedInStorage(ClientAccountEntity.TYPE_KEY.name() + "|" + id).stream()
        .map(snapshot -> snapshot.first().sequenceNr()).toList();
    assertEquals(1, takenAt.size(), "snapshots at " + takenAt);
    assertTrue(takenAt.get(0) > 2000 && takenAt.get(0) < 2100, "snapshots at " + takenAt);

    testKit.stop(a);
    var again = account(id);
    assertEquals(before, send(again, GET).getAccount());
    send(again, capture("o0")); // a retry, remembered through the snapshot and the replay after it
    assertEquals(before, send(again, GET).getAccount());
    assertEquals(4001, ledger(again).size());
  }

  /** Holds that arrive while one is being written go to the journal together; whatever follows sees them. */
  @Test
  void holdsArrivingTogetherAreWrittenOnceAndSeenInOrder() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id);
    send(a, ClientAccountCommand.newBuilder().setSetBilling(SetAccountBilling.newBuilder()
        .setGroupId("G").setCreditLimit(Moneys.of(250, "USD"))).build());
    TestProbe<ClientAccountReply> holds = testKit.createTestProbe();
    TestProbe<ClientAccountReply> after = testKit.createTestProbe();
    a.tell(new ClientAccountEntity.Request(hold("o1", 100), holds.getRef()));
    a.tell(new ClientAccountEntity.Request(hold("o1", 100), holds.getRef())); // a copy
    a.tell(new ClientAccountEntity.Request(hold("o2", 100), holds.getRef()));
    a.tell(new ClientAccountEntity.Request(hold("o3", 100), holds.getRef())); // 50 left: refused
    a.tell(new ClientAccountEntity.Request(GET, after.getRef()));
    List<ClientAccountReply> replies = holds.receiveSeveralMessages(4);
    assertEquals(1, replies.stream().filter(ClientAccountReply::getInsufficientFunds).count(), replies::toString);
    assertEquals(50, replies.stream().filter(ClientAccountReply::getInsufficientFunds).findFirst().orElseThrow().getAvailable());
    assertEquals(200, after.receiveMessage().getAccount().getHeld(), "the read after the holds sees them");

    testKit.stop(a);
    var again = account(id);
    assertEquals(List.of("o1", "o2"), ledger(again).stream().map(LedgerEntry::getSourceId).toList());
    assertEquals(List.of(1L, 2L), ledger(again).stream().map(LedgerEntry::getEntryNo).toList());
    assertEquals(List.of(100L, 200L), ledger(again).stream().map(LedgerEntry::getHeldAfter).toList());
    assertEquals(200, send(again, GET).getAccount().getHeld());
  }

  @Test
  void aStatementSettlesThePeriodAndTheOrdersInIt() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    send(a, hold("o1", 300));
    send(a, capture("o1"));
    assertEquals("NoBalance", settlement(a, "o1"));
    long periodEnd = CLOCK.millis() + 1;
    CLOCK.advance(Duration.ofHours(1));
    send(a, post(MovementKind.RECHARGE, "RC-2", 500, "USD")); // after the period: stays open
    ClientAccountReply closed = close(a, periodEnd);
    var st = closed.getStatements(0);
    assertEquals(0, st.getOpeningBalance());
    assertEquals(700, st.getClosingBalance());
    assertEquals(1000, st.getTotalCredits());
    assertEquals(300, st.getTotalDebits());
    assertEquals(List.of("o1"), st.getOrderIdsList());
    assertEquals(st.getStatementNo(), settlement(a, "o1"));
    // the same period end again (a retry whose answer was lost): the same statement, closed before
    ClientAccountReply again = close(a, periodEnd);
    assertTrue(again.getClosedBefore());
    assertEquals(st.getStatementNo(), again.getStatements(0).getStatementNo());
    assertEquals(List.of("o1"), again.getStatements(0).getOrderIdsList());
    // an earlier period end, with nothing unsettled before it: nothing to settle
    assertEquals("CONFLICT", close(a, periodEnd - 1).getRejection().getCode());
  }

  /** The shortcut scanner reads take (AccountState.mayBeOnStatement) must agree with statements. */
  @Test
  void onlyOrdersWithAFeeOrAPenaltyAreEverOnAStatement() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    send(a, hold("o-fee", 300));
    send(a, capture("o-fee"));
    send(a, post(MovementKind.PENALTY, "o-penalty", -100, "USD"));
    // money moved with an order's id as reference, but neither fee nor penalty
    send(a, post(MovementKind.REFUND, "o-refund", 50, "USD"));
    send(a, post(MovementKind.ADJUSTMENT, "o-adjusted", -20, "USD"));
    long periodEnd = CLOCK.millis() + 1;
    CLOCK.advance(Duration.ofHours(1));
    var st = close(a, periodEnd).getStatements(0);
    assertEquals(List.of("o-fee", "o-penalty"), st.getOrderIdsList());

    OrderView noCharge = OrderView.newBuilder().setOrderId("o-refund").setStatus(OrderStatus.SHIPPED).build();
    OrderView withFee = OrderView.newBuilder().setOrderId("o-fee").setStatus(OrderStatus.SHIPPED)
        .setOutboundFee(Moneys.of(300, "USD")).build();
    OrderView withPenalty = OrderView.newBuilder().setOrderId("o-penalty").setStatus(OrderStatus.CANCELLED)
        .setCancellation(OrderCancelled.newBuilder().setPenalty(Moneys.of(100, "USD"))).build();
    assertFalse(AccountState.mayBeOnStatement(noCharge));
    // a fee is charged when the order ships: held for an allocated order, it is on no statement yet
    assertFalse(AccountState.mayBeOnStatement(withFee.toBuilder().setStatus(OrderStatus.ALLOCATED).build()));
    assertEquals(AccountState.NO_BALANCE, settlement(a, "o-refund"));
    assertEquals(AccountState.NO_BALANCE, settlement(a, "o-adjusted"));
    assertTrue(AccountState.mayBeOnStatement(withFee));
    assertTrue(AccountState.mayBeOnStatement(withPenalty));
    assertEquals(st.getStatementNo(), settlement(a, "o-fee"));
    assertEquals(st.getStatementNo(), settlement(a, "o-penalty"));
  }

  /**
   * In a cluster the account may live on another node, and a remote message is at most a frame
   * (256 KiB, ~6,000 order ids): what the book and the account exchange to close a statement must
   * not grow with the orders it settles. The orders are read back from the journal.
   */
  @Test
  void closingAStatementExchangesTheSameFewBytesForOneOrderOrAThousand() {
    Map<Integer, Integer> largestByOrders = new TreeMap<>();
    for (int orders : new int[] {1, 1_000}) {
      var a = account("A-" + UUID.randomUUID(), 4); // remembers only the latest 4 order movements
      send(a, post(MovementKind.RECHARGE, "RC-1", 1_000_000, "USD"));
      List<String> orderIds = new ArrayList<>();
      for (int i = 0; i < orders; i++) {
        String orderId = "ORD-" + UUID.randomUUID();
        orderIds.add(orderId);
        send(a, hold(orderId, 100));
        send(a, capture(orderId));
      }
      CLOCK.advance(Duration.ofMinutes(1));
      ClientAccountReply closed = close(a, CLOCK.millis());
      largestByOrders.put(orders, LARGEST_MESSAGE.get(idOf(a)));

      Statement st = closed.getStatements(0);
      assertEquals(orderIds, st.getOrderIdsList(), "the close answers with its orders");
      assertEquals(List.of(st), await(book.statements(idOf(a))).getStatementsList(), "listed as closed");
      assertEquals(st.getStatementNo(), settlement(a, orderIds.get(0)), "the settlement of a forgotten order, from the entries");
    }
    int one = largestByOrders.get(1);
    int thousand = largestByOrders.get(1_000);
    assertTrue(thousand <= one + 16 && thousand < 1_000, "largest message, 1 order: " + one + " bytes, 1,000 orders: " + thousand);
  }

  /** Statements closed before their orders were read from their entries keep the list in their event. */
  @Test
  void aStatementWithItsOrderListInItsEventIsStillListedWithIt() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id);
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    send(a, hold("o1", 300));
    send(a, capture("o1"));
    CLOCK.advance(Duration.ofMinutes(1));
    long periodEnd = CLOCK.millis();
    // closed as the earlier book did: the draft with its order list, no place of its entries
    Statement draft = draftOverBasis(a, periodEnd);
    assertEquals(0, draft.getFirstSequenceNr());
    Statement closed = closeWith(a, periodEnd, draft, 0);

    testKit.stop(a);
    a = account(id);
    List<Statement> listed = await(book.statements(id)).getStatementsList();
    assertEquals(List.of(closed.toBuilder().addOrderIds("o1").build()), listed);
    assertEquals(closed.getStatementNo(), settlement(a, "o1"));
  }

  @Test
  void theLedgerOfAPeriodIsReadFromItsMonthOn() {
    var a = account("A-" + UUID.randomUUID());
    for (int i = 0; i < 5; i++) {
      send(a, post(MovementKind.RECHARGE, "NOV-" + i, 100, "USD"));
    }
    CLOCK.advance(Duration.ofDays(31));
    long december = CLOCK.millis();
    send(a, post(MovementKind.RECHARGE, "DEC-1", 200, "USD"));
    send(a, post(MovementKind.ADJUSTMENT, "DEC-2", -50, "USD"));
    CLOCK.advance(Duration.ofDays(31));
    long january = CLOCK.millis();
    send(a, post(MovementKind.RECHARGE, "JAN-1", 300, "USD"));

    assertEquals(List.of("DEC-1", "DEC-2"),
        ledger(a, december, january).stream().map(LedgerEntry::getSourceId).toList());
    assertEquals(List.of("JAN-1"), ledger(a, january, AccountBook.NO_END).stream().map(LedgerEntry::getSourceId).toList());
    assertEquals(8, ledger(a).size());
    // the account points the read past November's events
    var range = send(a, ClientAccountCommand.newBuilder().setLedger(GetLedger.newBuilder().setFromMillis(december)).build()).getRange();
    assertEquals(6, range.getFromSequenceNr());
    assertEquals(8, range.getLastEntryNo());
  }

  @Test
  void entriesAfterThePeriodEndGoOnTheNextStatementAlsoAfterARestart() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id);
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    send(a, hold("o1", 300));
    send(a, capture("o1"));
    long firstEnd = CLOCK.millis() + 1;
    CLOCK.advance(Duration.ofHours(1));
    send(a, hold("o2", 200));
    long o2Fee = send(a, capture("o2")).getEntryNo();
    var first = close(a, firstEnd).getStatements(0);
    assertEquals(List.of(1L, 3L), List.of(first.getFirstEntryNo(), first.getLastEntryNo()));

    testKit.stop(a);
    a = account(id);
    CLOCK.advance(Duration.ofHours(1));
    var second = close(a, CLOCK.millis()).getStatements(0);
    assertEquals(4, second.getFirstEntryNo());
    assertEquals(5, second.getLastEntryNo(), "the hold and the fee of o2");
    assertEquals(firstEnd, second.getPeriodFromMillis());
    assertEquals(700, second.getOpeningBalance());
    assertEquals(500, second.getClosingBalance());
    assertEquals(List.of("o2"), second.getOrderIdsList());
    assertEquals(first.getStatementNo(), settlement(a, "o1"));
    assertEquals(second.getStatementNo(), settlement(a, "o2", o2Fee));
    List<Statement> listed = await(book.statements(id)).getStatementsList();
    assertEquals(List.of(first, second), listed, "listed with the orders they settled");
  }

  /**
   * In a cluster the account may move between the basis of a statement and its close, to a node
   * whose clock is behind: an entry written there is still dated at or after the period end, so
   * the ledger of the period holds exactly the entries its statement settled.
   */
  @Test
  void entriesWrittenBetweenBasisAndCloseOnASlowerClockBelongToTheNextPeriod() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id);
    send(a, post(MovementKind.RECHARGE, "RC-1", 1000, "USD"));
    CLOCK.advance(Duration.ofMinutes(10));
    long periodEnd = CLOCK.millis();
    // the book's first steps: the basis, and the statement drawn from the journal over it
    Statement draft = draftOverBasis(a, periodEnd);

    // meanwhile the account restarts on a node whose clock is five minutes behind, and takes a movement
    testKit.stop(a);
    a = account(id);
    CLOCK.advance(Duration.ofMinutes(-5));
    send(a, post(MovementKind.RECHARGE, "RC-2", 500, "USD"));
    CLOCK.advance(Duration.ofMinutes(5));

    // the first entry left open is after RC-1 (event 1), as the book's read would find
    Statement st = closeWith(a, periodEnd, draft, 2);
    assertEquals(1, st.getLastEntryNo());
    assertEquals(List.of("RC-1"), ledger(a, 0, periodEnd).stream().map(LedgerEntry::getSourceId).toList(),
        "the period's ledger is what its statement settled");
    LedgerEntry late = ledger(a, periodEnd, AccountBook.NO_END).get(0);
    assertEquals("RC-2", late.getSourceId());
    assertEquals(periodEnd, late.getAtMillis(), "dated at the period end, not by the slower clock");
    CLOCK.advance(Duration.ofMinutes(1));
    assertEquals(2, close(a, CLOCK.millis()).getStatements(0).getFirstEntryNo(), "on the next statement");
  }

  @Test
  void twoClosesAtOnceSettleEachEntryOnceAndAnswerTheSameStatement() {
    var a = account("A-" + UUID.randomUUID());
    for (int i = 0; i < 50; i++) {
      send(a, post(MovementKind.RECHARGE, "RC-" + i, 10, "USD"));
    }
    CLOCK.advance(Duration.ofMinutes(1));
    long periodEnd = CLOCK.millis();
    var one = book.closeStatement(idOf(a), periodEnd);
    var other = book.closeStatement(idOf(a), periodEnd);
    List<ClientAccountReply> replies = List.of(await(one), await(other));
    // one closes it; the other finds it closed before, with the same period end, and answers it
    assertEquals(1, replies.stream().filter(r -> r.getStatementsCount() == 1 && !r.getClosedBefore()).count(), replies::toString);
    assertEquals(1, replies.stream().filter(ClientAccountReply::getClosedBefore).count(), replies::toString);
    assertEquals(replies.get(0).getStatements(0).getStatementNo(), replies.get(1).getStatements(0).getStatementNo());
    var statements = await(book.statements(idOf(a))).getStatementsList();
    assertEquals(1, statements.size());
    assertEquals(50, statements.get(0).getLastEntryNo());
  }

  @Test
  void aPeriodThatHasNotEndedCannotClose() {
    var a = account("A-" + UUID.randomUUID());
    send(a, post(MovementKind.RECHARGE, "RC-1", 10, "USD"));
    ClientAccountReply refused = close(a, CLOCK.millis() + Duration.ofMinutes(5).toMillis());
    assertEquals("CONFLICT", refused.getRejection().getCode());
    assertEquals(0, await(book.statements(idOf(a))).getStatementsCount(), "nothing closed");
  }

  /**
   * The account remembers only the latest order movements (a window of 4 here); retries of recent
   * ones change nothing, and every order's settlement is still found: from the entry the order
   * keeps, or from the statements' order lists.
   */
  @Test
  void oldOrderMovementsAreForgottenButTheirSettlementIsNot() {
    String id = "A-" + UUID.randomUUID();
    var a = account(id, 4);
    send(a, post(MovementKind.RECHARGE, "RC-1", 100_000, "USD"));
    long[] feeEntries = new long[20];
    for (int i = 0; i < 20; i++) {
      send(a, hold("o" + i, 100));
      feeEntries[i] = send(a, capture("o" + i))
          .getEntryNo();
    }
    assertEquals(41, feeEntries[19]);
    // a retried capture of the latest order: the same entry, no second charge
    ClientAccountReply retried = send(a, capture("o19"));
    assertEquals(41, retried.getEntryNo());
    assertEquals(100_000 - 2_000, retried.getAccount().getBalance());
    // copies of a hold retried behind more movements than the window: held once
    send(a, hold("late", 100));
    for (int i = 0; i < 6; i++) {
      send(a, hold("other" + i, 1));
    }
    assertEquals(106, send(a, hold("late", 100)).getAccount().getHeld());
    send(a, ClientAccountCommand.newBuilder().setRelease(ReleaseFee.newBuilder().setOrderId("late")).build());
    for (int i = 0; i < 6; i++) {
      send(a, ClientAccountCommand.newBuilder().setRelease(ReleaseFee.newBuilder().setOrderId("other" + i)).build());
    }
    CLOCK.advance(Duration.ofMinutes(1));
    var st = close(a, CLOCK.millis()).getStatements(0);
    assertEquals(20, st.getOrderIdsCount());

    testKit.stop(a);
    a = account(id, 4);
    assertEquals(st.getStatementNo(), settlement(a, "o0", feeEntries[0]), "from the entry the order keeps");
    assertEquals(st.getStatementNo(), settlement(a, "o0"), "from the statement's order list");
    long cameInBeforeTheStatement = st.getPeriodToMillis() - Duration.ofMinutes(5).toMillis();
    assertEquals(st.getStatementNo(), await(book.settlementOf(id, "o0", 0, cameInBeforeTheStatement)));
    // only statements since the order came in are searched: one that came in a day after this period is not on it
    long cameInADayLater = st.getPeriodToMillis() + Duration.ofDays(1).toMillis();
    assertEquals(AccountState.NO_BALANCE, await(book.settlementOf(id, "o0", 0, cameInADayLater)));
    assertEquals(st.getStatementNo(), settlement(a, "o19"), "remembered by the account");
    assertEquals(AccountState.NO_BALANCE, settlement(a, "never-charged"));
    assertEquals(100_000 - 2_000, send(a, GET).getAccount().getBalance());
  }

  /** The book's first steps, by hand: the account's basis, and the statement drawn over it from every entry. */
  private static Statement draftOverBasis(ActorRef<ClientAccountEntity.Msg> a, long periodEnd) {
    JournalRange basis = send(a, ClientAccountCommand.newBuilder()
        .setStatementBasis(GetStatementBasis.newBuilder().setPeriodToMillis(periodEnd)).build()).getRange();
    return Statements.draft(basis, ledger(a), periodEnd);
  }

  /** The book's last step, by hand: the account numbers and writes the draft (0: open after it). */
  private static Statement closeWith(ActorRef<ClientAccountEntity.Msg> a, long periodEnd, Statement draft, long nextOpenSequenceNr) {
    return send(a, ClientAccountCommand.newBuilder().setCloseStatement(CloseStatement.newBuilder()
        .setPeriodToMillis(periodEnd).setDraft(draft).setNextOpenSequenceNr(nextOpenSequenceNr)).build()).getStatements(0);
  }

  private static String settlement(ActorRef<ClientAccountEntity.Msg> a, String orderId) {
    return settlement(a, orderId, 0);
  }

  private static String settlement(ActorRef<ClientAccountEntity.Msg> a, String orderId, long chargeEntryNo) {
    return await(book.settlementOf(idOf(a), orderId, chargeEntryNo, 0));
  }
}
