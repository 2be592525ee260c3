package dev.wharf.engine.domain;

import static dev.wharf.engine.domain.OrderLifecycle.Verdict.ALREADY;
import static dev.wharf.engine.domain.OrderLifecycle.Verdict.FORBIDDEN;
import static dev.wharf.engine.domain.OrderLifecycle.Verdict.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.engine.domain.OrderLifecycle.Action;
import dev.wharf.engine.domain.OrderLifecycle.Verdict;
import dev.wharf.proto.OrderStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderLifecycleTest {
  @ParameterizedTest(name = "{1} in {0} -> {2}")
  @CsvSource({
      "PENDING, REVIEW, PROCEED",
      "REVIEW_FAILED, REVIEW, PROCEED",
      "REVIEWING, REVIEW, ALREADY",
      "ALLOCATED, REVIEW, ALREADY",
      "FROZEN, REVIEW, FORBIDDEN",
      "VOID, REVIEW, FORBIDDEN",
      "SHIPPED, REVIEW, FORBIDDEN",
      "PENDING, FREEZE, PROCEED",
      "ALLOCATED, FREEZE, PROCEED",
      "REVIEW_FAILED, FREEZE, PROCEED",
      "FROZEN, FREEZE, ALREADY",
      "REVIEWING, FREEZE, FORBIDDEN",
      "SHIPPED, FREEZE, FORBIDDEN",
      "VOID, FREEZE, FORBIDDEN",
      "FROZEN, UNFREEZE, PROCEED",
      "PENDING, UNFREEZE, FORBIDDEN",
      "ALLOCATED, VOID, PROCEED",
      "FROZEN, VOID, PROCEED",
      "PENDING, VOID, PROCEED",
      "VOID, VOID, ALREADY",
      "SHIPPED, VOID, FORBIDDEN",
      "REVIEWING, VOID, FORBIDDEN",
      "ALLOCATED, SHIP, PROCEED",
      "SHIPPED, SHIP, ALREADY",
      "PENDING, SHIP, FORBIDDEN",
      "FROZEN, SHIP, FORBIDDEN",
      "REVIEW_FAILED, SHIP, FORBIDDEN",
      "VOID, SHIP, FORBIDDEN",
  })
  void decides(OrderStatus status, Action action, Verdict expected) {
    assertEquals(expected, OrderLifecycle.decide(status, action));
  }

  @ParameterizedTest
  @CsvSource({"FROZEN, SHIP, frozen", "REVIEWING, VOID, being reviewed", "PENDING, SHIP, review it first"})
  void explainsTheCommonRefusals(OrderStatus status, Action action, String fragment) {
    assertEquals(true, OrderLifecycle.hint(status, action).orElseThrow().contains(fragment));
  }
}
