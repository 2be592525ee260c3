package dev.wharf.engine.app;

import dev.wharf.engine.domain.AccountState;
import dev.wharf.engine.domain.FeeRules;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.Moneys;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.ApproveRecharge;
import dev.wharf.proto.BillingCatalogCommand;
import dev.wharf.proto.BillingCatalogReply;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.CustomerGroup;
import dev.wharf.proto.DefineCustomerGroup;
import dev.wharf.proto.FeeSchedule;
import dev.wharf.proto.GetAccount;
import dev.wharf.proto.GetCancellationRate;
import dev.wharf.proto.GetCustomerGroup;
import dev.wharf.proto.GetPayoutInstructions;
import dev.wharf.proto.GetRecharge;
import dev.wharf.proto.ListCustomerGroups;
import dev.wharf.proto.ListRecharges;
import dev.wharf.proto.Money;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.ReceiptFeeDecided;
import dev.wharf.proto.RechargeDeskCommand;
import dev.wharf.proto.RechargeDeskReply;
import dev.wharf.proto.RechargeStatus;
import dev.wharf.proto.RejectRecharge;
import dev.wharf.proto.SetAccountBilling;
import dev.wharf.proto.SetPayoutInstructions;
import dev.wharf.proto.SubmitRecharge;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Billing use cases: groups, account settings, recharges, ledger, statements, inbound fees. */
public final class BillingService {
  private final Wharf wharf;
  private final CatalogService catalog;
  private final AccountBook book;

  public BillingService(Wharf wharf, CatalogService catalog, AccountBook book) {
    this.wharf = wharf;
    this.catalog = catalog;
    this.book = book;
  }

  // ---------------------------------------------------------------- groups and settings

  public CompletionStage<BillingCatalogReply> defineGroup(String groupId, String name, FeeSchedule fees) {
    return catalogCommand(BillingCatalogCommand.newBuilder()
        .setDefineGroup(DefineCustomerGroup.newBuilder().setGroupId(groupId).setName(name).setFees(fees)).build());
  }

  public CompletionStage<BillingCatalogReply> groups() {
    return catalogCommand(BillingCatalogCommand.newBuilder().setListGroups(ListCustomerGroups.getDefaultInstance()).build());
  }

  public CompletionStage<CustomerGroup> group(String groupId) {
    return catalogCommand(BillingCatalogCommand.newBuilder()
            .setGetGroup(GetCustomerGroup.newBuilder().setGroupId(groupId)).build())
        .thenApply(r -> r.getGroups(0));
  }

  public CompletionStage<BillingCatalogReply> payoutInstructions() {
    return catalogCommand(BillingCatalogCommand.newBuilder().setGetPayout(GetPayoutInstructions.getDefaultInstance()).build());
  }

  public CompletionStage<BillingCatalogReply> setPayoutInstructions(String text) {
    return catalogCommand(BillingCatalogCommand.newBuilder()
        .setSetPayout(SetPayoutInstructions.newBuilder().setText(text)).build());
  }

  private CompletionStage<BillingCatalogReply> catalogCommand(BillingCatalogCommand c) {
    return wharf.catalog(c).thenApply(r -> Rejected.unless(r, BillingCatalogReply::hasRejection, BillingCatalogReply::getRejection));
  }

  // ---------------------------------------------------------------- accounts

  public CompletionStage<ClientAccountReply> setBilling(String clientId, String groupId, Money creditLimit) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> wharf.catalog(BillingCatalogCommand.newBuilder()
            .setGetGroup(GetCustomerGroup.newBuilder().setGroupId(groupId)).build()))
        .thenCompose(g -> {
          if (g.hasRejection()) {
            throw Rejected.of(Rejections.UNKNOWN_REFERENCE, "customer group " + groupId + " does not exist", "groupId");
          }
          String feeCurrency = FeeRules.billedIn(g.getGroups(0));
          if (!feeCurrency.isEmpty() && !feeCurrency.equals(creditLimit.getCurrency())) {
            throw Rejected.of(Rejections.CURRENCY_MISMATCH, "group " + groupId + " bills in " + feeCurrency
                + "; the credit limit is in " + creditLimit.getCurrency(), "creditLimit.currency");
          }
          return accountCommand(clientId, ClientAccountCommand.newBuilder()
              .setSetBilling(SetAccountBilling.newBuilder().setGroupId(groupId).setCreditLimit(creditLimit)).build());
        });
  }

  public CompletionStage<ClientAccountReply> account(String clientId) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> accountCommand(clientId, ClientAccountCommand.newBuilder().setGet(GetAccount.getDefaultInstance()).build()));
  }

  /**
   * The account and its entries in [fromMillis, toMillis) after entry {@code afterEntryNo} (0: from
   * the first), at most {@code limit} (0: all), streamed from the journal.
   */
  public CompletionStage<AccountBook.Ledger> ledger(String clientId, long fromMillis, long toMillis, long afterEntryNo,
                                                    int limit) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> book.openLedger(clientId, fromMillis, toMillis, afterEntryNo, limit))
        .thenApply(ledger -> {
          unlessRejected(ledger.account());
          return ledger;
        });
  }

  public CompletionStage<ClientAccountReply> closeStatement(String clientId, long periodToMillis) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> book.closeStatement(clientId, periodToMillis))
        .thenApply(BillingService::unlessRejected);
  }

  /**
   * The client's statements, oldest first, from the one after {@code after} ("": the first), at
   * most {@code limit} (0: all), streamed: each one's orders are read from the journal as it is sent.
   */
  public CompletionStage<AccountBook.StatementList> statements(String clientId, String after, int limit) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> book.openStatements(clientId, after, limit))
        .thenApply(list -> {
          unlessRejected(list.account());
          return list;
        });
  }

  public CompletionStage<ClientAccountReply> statement(String clientId, String statementNo) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> book.statement(clientId, statementNo))
        .thenApply(BillingService::unlessRejected);
  }

  public CompletionStage<ClientAccountReply> cancellationRate(String clientId, String month) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> accountCommand(clientId, ClientAccountCommand.newBuilder()
            .setCancellationRate(GetCancellationRate.newBuilder().setMonth(month)).build()));
  }

  /** A refund or manual adjustment by the warehouse, applied once per (reference, kind). */
  public CompletionStage<ClientAccountReply> adjust(String clientId, MovementKind kind, Money amount, String reference,
                                                    String note) {
    return catalog.requireClient(clientId, null)
        .thenCompose(c -> accountCommand(clientId, ClientAccountCommand.newBuilder().setPost(PostMovement.newBuilder()
            .setKind(kind).setSourceId(reference).setAmount(amount).setNote(note)).build()));
  }

  /** "NoBalance" until a statement settled the order's charges, else the statement no. */
  public CompletionStage<String> settlementOf(OrderView order) {
    return settlementKnownWithoutAsking(order).<CompletionStage<String>>map(CompletableFuture::completedFuture)
        .orElseGet(() -> book.settlementOf(order.getClientId(), order.getOrderId(), order.getChargeEntryNo(),
            order.getIngestedAtMillis()));
  }

  /**
   * The order's settlement when it is known without asking the client's account: most orders are
   * never charged a fee or a penalty, or not yet, so a scanner's read needs no ask ("NoBalance").
   * Empty when only the account knows.
   */
  public Optional<String> settlementKnownWithoutAsking(OrderView order) {
    return AccountState.mayBeOnStatement(order) ? Optional.empty() : Optional.of(AccountState.NO_BALANCE);
  }

  /**
   * The inbound fee of the client's group for a receipt of {@code units}, decided before any stock
   * moves: a fee the account cannot take (another currency, or past the balance limit) is refused
   * while the receipt can still change nothing.
   */
  public CompletionStage<ReceiptFeeDecided> decideInboundFee(String clientId, long units) {
    return accountCommand(clientId, ClientAccountCommand.newBuilder().setGet(GetAccount.getDefaultInstance()).build())
        .thenCompose(account -> {
          String groupId = account.getAccount().getGroupId();
          String currency = account.getAccount().getCurrency();
          if (groupId.isEmpty()) {
            return CompletableFuture.completedFuture(ReceiptFeeDecided.newBuilder()
                .setInboundFee(Money.newBuilder().setCurrency(currency)).build());
          }
          return group(groupId).thenApply(group -> {
            Money fee = FeeRules.inbound(group.getFees(), units);
            if (fee.getAmount() > 0 && !fee.getCurrency().equals(currency)) {
              throw Rejected.of(Rejections.CURRENCY_MISMATCH, "the account of client " + clientId + " is in " + currency
                  + "; its group " + groupId + " charges receipts in " + fee.getCurrency(), "clientId");
            }
            if (!Moneys.balanceStaysWithinLimit(account.getAccount().getBalance(), -fee.getAmount())) {
              throw Rejected.of(Rejections.AMOUNT_TOO_LARGE, "the inbound fee " + fee.getAmount() + " would take the balance of client "
                  + clientId + " past " + Moneys.MAX_BALANCE + " minor units", "lines");
            }
            return ReceiptFeeDecided.newBuilder().setInboundFee(fee).setGroupId(groupId)
                .setRuleVersion(group.getVersion()).build();
          });
        });
  }

  /** Charges a receipt's decided fee, once per warehouse and receipt reference. */
  public CompletionStage<Void> chargeInboundFee(String warehouseId, String clientId, String reference, long units,
                                                ReceiptFeeDecided decided) {
    Money fee = decided.getInboundFee();
    if (fee.getAmount() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return accountCommand(clientId, ClientAccountCommand.newBuilder().setPost(PostMovement.newBuilder()
            .setKind(MovementKind.FEE_INBOUND)
            .setSourceId(Identifiers.receiptFeeSource(warehouseId, reference))
            .setAmount(fee.toBuilder().setAmount(-fee.getAmount()))
            .setGroupId(decided.getGroupId())
            .setRuleVersion(decided.getRuleVersion())
            .setNote("inbound fee, " + units + " unit(s)")).build())
        .thenApply(r -> null);
  }

  private CompletionStage<ClientAccountReply> accountCommand(String clientId, ClientAccountCommand c) {
    return wharf.account(clientId, c).thenApply(BillingService::unlessRejected);
  }

  private static ClientAccountReply unlessRejected(ClientAccountReply r) {
    return Rejected.unless(r, ClientAccountReply::hasRejection, ClientAccountReply::getRejection);
  }

  // ---------------------------------------------------------------- recharges

  public CompletionStage<RechargeDeskReply> submitRecharge(String clientId, Money amount, String method, String reference,
                                                          String note) {
    return account(clientId).thenCompose(account -> {
      if (!account.getAccount().getCurrency().equals(amount.getCurrency())) {
        throw Rejected.of(Rejections.CURRENCY_MISMATCH, "the account of client " + clientId + " is in "
            + account.getAccount().getCurrency() + ", not " + amount.getCurrency(), "amount.currency");
      }
      return desk(RechargeDeskCommand.newBuilder().setSubmit(SubmitRecharge.newBuilder()
          .setClientId(clientId).setAmount(amount).setMethod(method).setReference(reference).setNote(note)).build());
    });
  }

  public CompletionStage<RechargeDeskReply> approve(String rechargeId) {
    return desk(RechargeDeskCommand.newBuilder().setApprove(ApproveRecharge.newBuilder().setRechargeId(rechargeId)).build());
  }

  public CompletionStage<RechargeDeskReply> reject(String rechargeId, String reason) {
    return desk(RechargeDeskCommand.newBuilder()
        .setReject(RejectRecharge.newBuilder().setRechargeId(rechargeId).setReason(reason)).build());
  }

  public CompletionStage<RechargeDeskReply> recharge(String rechargeId) {
    return desk(RechargeDeskCommand.newBuilder().setGet(GetRecharge.newBuilder().setRechargeId(rechargeId)).build());
  }

  public CompletionStage<RechargeDeskReply> recharges(RechargeStatus status, String clientId) {
    return desk(RechargeDeskCommand.newBuilder()
        .setList(ListRecharges.newBuilder().setStatus(status).setClientId(clientId)).build());
  }

  private CompletionStage<RechargeDeskReply> desk(RechargeDeskCommand c) {
    return wharf.recharges(c).thenApply(r -> Rejected.unless(r, RechargeDeskReply::hasRejection, RechargeDeskReply::getRejection));
  }
}
