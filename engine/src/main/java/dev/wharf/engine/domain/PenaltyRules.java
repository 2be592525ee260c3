package dev.wharf.engine.domain;

import dev.wharf.proto.Money;
import java.time.Duration;

/**
 * Cancellation penalties per sub-order (marketplace-combined-shipping): a seller-caused
 * cancellation before shipment costs {@code seller}; one by the back office, or on day
 * {@code lateFromDay} or later, costs {@code late}; never more than {@code capPerSubOrder}.
 * Day 1 is the day the order came in, so day 13 starts 12 full days after ingest.
 * Amounts and the day come from configuration (wharf.billing.cancellation).
 */
public record PenaltyRules(Money seller, Money late, int lateFromDay, Money capPerSubOrder) {
  public enum CancelledBy {
    SELLER,
    BACK_OFFICE
  }

  public PenaltyRules {
    if (!seller.getCurrency().equals(late.getCurrency()) || !late.getCurrency().equals(capPerSubOrder.getCurrency())) {
      throw new IllegalArgumentException("penalty amounts must share one currency");
    }
    if (seller.getAmount() < 0 || late.getAmount() < 0 || capPerSubOrder.getAmount() < 0 || lateFromDay < 1) {
      throw new IllegalArgumentException("penalty amounts must not be negative and the late day starts at 1");
    }
  }

  /** The day of the order's life at {@code elapsed} after ingest (day 1 = the first 24 hours). */
  public static long dayOf(Duration elapsed) {
    return Math.max(0, elapsed.toDays()) + 1;
  }

  /**
   * The penalty for an account in {@code accountCurrency} (empty: not known). The rules have
   * amounts in one currency only and Wharf converts nothing, so an account in another currency
   * is charged none: a penalty it would refuse would leave the cancellation half done.
   */
  public Money penalty(CancelledBy by, Duration sinceIngest, int subOrders, String accountCurrency) {
    if (!accountCurrency.isEmpty() && !accountCurrency.equals(seller.getCurrency())) {
      return Moneys.of(0, accountCurrency);
    }
    return penalty(by, sinceIngest, subOrders);
  }

  public Money penalty(CancelledBy by, Duration sinceIngest, int subOrders) {
    boolean late = by == CancelledBy.BACK_OFFICE || dayOf(sinceIngest) >= lateFromDay;
    long perSubOrder = Math.min((late ? this.late : seller).getAmount(), capPerSubOrder.getAmount());
    return Moneys.of(Math.multiplyExact(perSubOrder, subOrders), seller.getCurrency());
  }
}
