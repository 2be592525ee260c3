package dev.wharf.engine.domain;

import dev.wharf.proto.CustomerGroup;
import dev.wharf.proto.FeeSchedule;
import dev.wharf.proto.Money;
import java.util.List;

/**
 * A customer group's fees, as the 3PL bills them:
 * outbound = per order + per additional unit beyond the first;
 * inbound = per receipt + per unit; return = per return + per unit.
 * Integer minor units throughout, so there is nothing to round.
 */
public final class FeeRules {
  private FeeRules() {}

  public static Money outbound(FeeSchedule fees, long units) {
    requirePositive(units);
    return sum(fees, fees.getOutboundPerOrder(), fees.getOutboundPerAdditionalUnit(), 1, units - 1);
  }

  public static Money inbound(FeeSchedule fees, long units) {
    requirePositive(units);
    return sum(fees, fees.getInboundPerReceipt(), fees.getInboundPerUnit(), 1, units);
  }

  public static Money returns(FeeSchedule fees, long units) {
    requirePositive(units);
    return sum(fees, fees.getReturnPerReturn(), fees.getReturnPerUnit(), 1, units);
  }

  /**
   * The currency a group bills in, for good: recorded with its first fees, so clearing them keeps
   * it; groups written before that record know it from their fees. Empty until it has fees.
   */
  public static String billedIn(CustomerGroup group) {
    return group.getCurrency().isEmpty() ? currency(group.getFees()) : group.getCurrency();
  }

  /**
   * Whether two schedules charge the same: every fee the same amount (a zero fee is no fee, whether
   * sent or left out) in the same currency. Only a change of charges makes a new version.
   */
  public static boolean sameCharges(FeeSchedule a, FeeSchedule b) {
    List<Money> left = fees(a);
    List<Money> right = fees(b);
    for (int i = 0; i < left.size(); i++) {
      if (left.get(i).getAmount() != right.get(i).getAmount()) {
        return false;
      }
    }
    String ca = currency(a);
    String cb = currency(b);
    return ca.isEmpty() || cb.isEmpty() || ca.equals(cb);
  }

  private static List<Money> fees(FeeSchedule f) {
    return List.of(f.getInboundPerReceipt(), f.getInboundPerUnit(), f.getOutboundPerOrder(),
        f.getOutboundPerAdditionalUnit(), f.getReturnPerReturn(), f.getReturnPerUnit());
  }

  /** The one currency of a schedule; every fee in it must use it. */
  public static String currency(FeeSchedule fees) {
    return fees(fees).stream()
        .map(Money::getCurrency)
        .filter(c -> !c.isEmpty())
        .findFirst()
        .orElse("");
  }

  /** Fee amounts are never negative (the routes refuse them); a sum past a long is {@link Moneys#UNPAYABLE}. */
  private static Money sum(FeeSchedule fees, Money fixed, Money perUnit, long fixedCount, long unitCount) {
    long amount;
    try {
      amount = Math.min(Moneys.UNPAYABLE, Math.addExact(Math.multiplyExact(fixed.getAmount(), fixedCount),
          Math.multiplyExact(perUnit.getAmount(), unitCount)));
    } catch (ArithmeticException overflow) {
      amount = Moneys.UNPAYABLE;
    }
    return Moneys.of(amount, currency(fees));
  }

  private static void requirePositive(long units) {
    if (units < 1) {
      throw new IllegalArgumentException("units must be at least 1");
    }
  }
}
