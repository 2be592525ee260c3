package dev.wharf.engine.domain;

import dev.wharf.proto.Money;
import java.util.Currency;

/** Money is integer minor units with an ISO 4217 currency: {"amount":1250,"currency":"USD"} is 12.50 USD. */
public final class Moneys {
  private Moneys() {}

  public static Money of(long amount, String currency) {
    return Money.newBuilder().setAmount(amount).setCurrency(currency).build();
  }

  public static boolean isKnownCurrency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** An unset money field means zero (fees not configured cost nothing). */
  public static long amountOr0(Money m) {
    return m == null ? 0 : m.getAmount();
  }

  public static boolean isZero(Money m) {
    return m == null || m.getAmount() == 0;
  }
}
