package dev.wharf.engine.entity;

import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.Money;
import dev.wharf.proto.Rejection;
import java.util.concurrent.CompletionStage;

/** What an order's saga asks of billing: a fee hold at review, and its account's movements. */
public interface BillingGateway {
  /** The outcome of holding an order's outbound fee on its client's account. */
  record FeeHold(boolean accepted, Money fee, String groupId, int ruleVersion, long required, long available,
                 Rejection rejection) {
    public static FeeHold free(String currency) {
      return new FeeHold(true, Money.newBuilder().setCurrency(currency).build(), "", 0, 0, 0, null);
    }
  }

  /** Computes the outbound fee from the client's customer group and holds it (idempotent per order). */
  CompletionStage<FeeHold> holdOutboundFee(String clientId, String orderId, long units);

  CompletionStage<ClientAccountReply> account(String clientId, ClientAccountCommand command);
}
