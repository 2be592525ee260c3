package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.PenaltyRules.CancelledBy;
import dev.wharf.proto.FeeSchedule;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeeAndPenaltyRulesTest {
  private static FeeSchedule fees(long perOrder, long perAdditional, long perReceipt, long perInboundUnit,
                                  long perReturn, long perReturnUnit) {
    return FeeSchedule.newBuilder()
        .setOutboundPerOrder(Moneys.of(perOrder, "USD"))
        .setOutboundPerAdditionalUnit(Moneys.of(perAdditional, "USD"))
        .setInboundPerReceipt(Moneys.of(perReceipt, "USD"))
        .setInboundPerUnit(Moneys.of(perInboundUnit, "USD"))
        .setReturnPerReturn(Moneys.of(perReturn, "USD"))
        .setReturnPerUnit(Moneys.of(perReturnUnit, "USD"))
        .build();
  }

  @Test
  void aZeroFeeChargesTheSameAsNoneAndAnyOtherAmountOrCurrencyDoesNot() {
    FeeSchedule onlyPerOrder = FeeSchedule.newBuilder().setOutboundPerOrder(Moneys.of(250, "USD")).build();
    assertTrue(FeeRules.sameCharges(onlyPerOrder, fees(250, 0, 0, 0, 0, 0)));
    assertTrue(FeeRules.sameCharges(FeeSchedule.getDefaultInstance(), fees(0, 0, 0, 0, 0, 0)));
    assertFalse(FeeRules.sameCharges(onlyPerOrder, fees(250, 1, 0, 0, 0, 0)));
    assertFalse(FeeRules.sameCharges(onlyPerOrder, FeeSchedule.newBuilder().setOutboundPerOrder(Moneys.of(250, "EUR")).build()));
  }

  @ParameterizedTest(name = "{0} units: outbound {1}, inbound {2}, return {3}")
  @CsvSource({
      // 2.50 per order + 0.35 per additional unit; 5.00 per receipt + 0.10 per unit; 1.00 + 0.20 per unit
      "1, 250, 510, 120",
      "2, 285, 520, 140",
      "3, 320, 530, 160",
      "100, 3715, 1500, 2100",
  })
  void feesAreExactInMinorUnits(long units, long outbound, long inbound, long returns) {
    FeeSchedule f = fees(250, 35, 500, 10, 100, 20);
    assertEquals(Moneys.of(outbound, "USD"), FeeRules.outbound(f, units));
    assertEquals(Moneys.of(inbound, "USD"), FeeRules.inbound(f, units));
    assertEquals(Moneys.of(returns, "USD"), FeeRules.returns(f, units));
  }

  @Test
  void unsetFeesCostNothingAndUnitsMustBePositive() {
    FeeSchedule onlyOutbound = FeeSchedule.newBuilder().setOutboundPerOrder(Moneys.of(199, "EUR")).build();
    assertEquals(Moneys.of(199, "EUR"), FeeRules.outbound(onlyOutbound, 7));
    assertEquals(Moneys.of(0, "EUR"), FeeRules.inbound(onlyOutbound, 7));
    assertEquals("", FeeRules.currency(FeeSchedule.getDefaultInstance()));
    assertThrows(IllegalArgumentException.class, () -> FeeRules.outbound(onlyOutbound, 0));
  }

  @Test
  void aFeePastWhatALongHoldsIsMoreThanAnyAccountCanPay() {
    FeeSchedule overflowing = fees(0, Long.MAX_VALUE / 2, 0, Moneys.MAX_AMOUNT, 0, 0);
    assertEquals(Moneys.UNPAYABLE, FeeRules.outbound(overflowing, 4).getAmount());
    assertEquals(Moneys.UNPAYABLE, FeeRules.inbound(overflowing, 1_000_000_000L).getAmount());
    assertEquals(Moneys.UNPAYABLE, FeeRules.inbound(overflowing, 2_001).getAmount(), "above the cap, below overflow");
    assertEquals(2_000 * Moneys.MAX_AMOUNT, FeeRules.inbound(overflowing, 2_000).getAmount(), "at the cap: exact");
    assertTrue(Moneys.UNPAYABLE > Moneys.MAX_BALANCE + Moneys.MAX_AMOUNT, "no balance and credit limit reach it");
  }

  private static final PenaltyRules RULES = new PenaltyRules(
      Moneys.of(100, "USD"), Moneys.of(300, "USD"), 13, Moneys.of(300, "USD"));

  @ParameterizedTest(name = "{0} after {1}h x{2} -> {3}")
  @CsvSource({
      "SELLER, 0, 1, 100",
      "SELLER, 287, 1, 100",     // 11 days 23 hours: day 12
      "SELLER, 288, 1, 300",     // 12 full days: day 13
      "SELLER, 1000, 1, 300",
      "BACK_OFFICE, 0, 1, 300",
      "BACK_OFFICE, 0, 4, 1200", // per sub-order
      "SELLER, 5, 3, 300",
  })
  void cancellationPenalties(CancelledBy by, long hours, int subOrders, long expected) {
    assertEquals(Moneys.of(expected, "USD"), RULES.penalty(by, Duration.ofHours(hours), subOrders));
  }

  @Test
  void anAccountInAnotherCurrencyIsChargedNoPenalty() {
    assertEquals(Moneys.of(0, "EUR"), RULES.penalty(CancelledBy.BACK_OFFICE, Duration.ZERO, 1, "EUR"));
    assertEquals(Moneys.of(300, "USD"), RULES.penalty(CancelledBy.BACK_OFFICE, Duration.ZERO, 1, "USD"));
    assertEquals(Moneys.of(300, "USD"), RULES.penalty(CancelledBy.BACK_OFFICE, Duration.ZERO, 1, ""), "not known: as configured");
  }

  @Test
  void theCapLimitsEachSubOrder() {
    PenaltyRules steep = new PenaltyRules(Moneys.of(100, "USD"), Moneys.of(500, "USD"), 13, Moneys.of(300, "USD"));
    assertEquals(Moneys.of(600, "USD"), steep.penalty(CancelledBy.BACK_OFFICE, Duration.ZERO, 2));
    assertEquals(1, PenaltyRules.dayOf(Duration.ofMinutes(-5)), "a clock skew is still day 1");
  }

  @Test
  void penaltyRulesRefuseMixedCurrenciesAndNegativeAmounts() {
    assertThrows(IllegalArgumentException.class,
        () -> new PenaltyRules(Moneys.of(100, "USD"), Moneys.of(300, "EUR"), 13, Moneys.of(300, "USD")));
    assertThrows(IllegalArgumentException.class,
        () -> new PenaltyRules(Moneys.of(-1, "USD"), Moneys.of(300, "USD"), 13, Moneys.of(300, "USD")));
  }

  @ParameterizedTest
  @CsvSource({"USD, true", "EUR, true", "PHP, true", "usd, false", "XYZ, false", "US, false"})
  void currenciesAreIso4217(String code, boolean known) {
    assertEquals(known, Moneys.isKnownCurrency(code));
  }
}
