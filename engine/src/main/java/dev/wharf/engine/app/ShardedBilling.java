package dev.wharf.engine.app;

import dev.wharf.engine.domain.FeeRules;
import dev.wharf.engine.entity.BillingGateway;
import dev.wharf.proto.BillingCatalogCommand;
import dev.wharf.proto.BillingCatalogReply;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.CustomerGroup;
import dev.wharf.proto.GetAccount;
import dev.wharf.proto.GetCustomerGroup;
import dev.wharf.proto.HeldFee;
import dev.wharf.proto.HoldFee;
import dev.wharf.proto.Money;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The fee hold at review: the client's group decides the fee (at the group's current rule
 * version), the account holds it if it fits. A client without a group pays no fee.
 */
final class ShardedBilling implements BillingGateway {
  private final Wharf wharf;

  ShardedBilling(Wharf wharf) {
    this.wharf = wharf;
  }

  @Override
  public CompletionStage<FeeHold> holdOutboundFee(String clientId, String orderId, long units) {
    return wharf.account(clientId, ClientAccountCommand.newBuilder().setGet(GetAccount.getDefaultInstance()).build())
        .thenCompose(account -> {
          String groupId = account.getAccount().getGroupId();
          if (groupId.isEmpty()) {
            return CompletableFuture.completedFuture(FeeHold.free(account.getAccount().getCurrency()));
          }
          return wharf.catalog(BillingCatalogCommand.newBuilder()
                  .setGetGroup(GetCustomerGroup.newBuilder().setGroupId(groupId)).build())
              .thenCompose(catalog -> hold(clientId, orderId, units, catalog, account));
        });
  }

  private CompletionStage<FeeHold> hold(String clientId, String orderId, long units, BillingCatalogReply catalog,
                                        ClientAccountReply account) {
    if (catalog.hasRejection()) {
      return CompletableFuture.completedFuture(
          new FeeHold(false, Money.getDefaultInstance(), "", 0, 0, 0, catalog.getRejection()));
    }
    CustomerGroup group = catalog.getGroups(0);
    Money fee = FeeRules.outbound(group.getFees(), units);
    if (fee.getCurrency().isEmpty()) {
      fee = fee.toBuilder().setCurrency(account.getAccount().getCurrency()).build();
    }
    Money held = fee;
    return wharf.account(clientId, ClientAccountCommand.newBuilder()
            .setHold(HoldFee.newBuilder().setOrderId(orderId).setAmount(fee)
                .setGroupId(group.getGroupId()).setRuleVersion(group.getVersion()))
            .build())
        .thenApply(r -> {
          if (r.hasRejection()) {
            return new FeeHold(false, held, group.getGroupId(), group.getVersion(), 0, 0, r.getRejection());
          }
          if (r.getInsufficientFunds()) {
            return new FeeHold(false, held, group.getGroupId(), group.getVersion(), r.getRequired(), r.getAvailable(), null);
          }
          if (r.hasOpenHold()) { // held by an earlier try whose answer was lost: what it held counts
            HeldFee open = r.getOpenHold();
            return new FeeHold(true, held.toBuilder().setAmount(open.getAmount()).build(), open.getGroupId(),
                open.getRuleVersion(), 0, 0, null);
          }
          return new FeeHold(true, held, group.getGroupId(), group.getVersion(), 0, 0, null);
        });
  }

  @Override
  public CompletionStage<ClientAccountReply> account(String clientId, ClientAccountCommand command) {
    return wharf.account(clientId, command);
  }
}
