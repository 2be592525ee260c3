package dev.wharf.engine.domain;

import dev.wharf.proto.Money;
import java.util.Currency;

/** Money is integer minor units with an ISO 4217 currency: {"amount":1250,"currency":"USD"} is 12.50 USD. */
public final class Moneys {
  /**
   * The largest amount, either way, one request may name: 10^15 minor units (ten trillion of a
   * two-decimal currency). Bounded so that running totals of many such amounts fit a long.
   */
  public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
  /** The largest balance, either way, an account may reach; a movement past it is refused (422 AMOUNT_TOO_LARGE). */
  public static final long MAX_BALANCE = 1_000_000_000_000_000_000L;
  /**
   * What a fee whose rules give more than fits a long is taken to be: more than any account can
   * hold or pay, so a hold of it fails for funds and a charge of it is refused, instead of the
   * arithmetic overflowing.
   */
  public static final long UNPAYABLE = 2 * MAX_BALANCE;

  private Moneys() {}

  /** Whether a balance (within the limit) moved by {@code delta} stays within {@link #MAX_BALANCE} either way. */
  public static boolean balanceStaysWithinLimit(long balance, long delta) {
    if (delta < -UNPAYABLE || delta > UNPAYABLE) {
      return false; // and the sum below cannot overflow: |balance| <= MAX_BALANCE
    }
    long after = balance + delta;
    return after >= -MAX_BALANCE && after <= MAX_BALANCE;
  }

  public static boolean withinMaxAmount(long amount) {
    return amount >= -MAX_AMOUNT && amount <= MAX_AMOUNT;
  }

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
