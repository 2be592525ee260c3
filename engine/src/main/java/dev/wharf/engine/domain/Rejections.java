package dev.wharf.engine.domain;

import dev.wharf.proto.Rejection;

/** Stable rejection codes that entities answer with; http maps them to statuses. */
public final class Rejections {
  private Rejections() {}

  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String INVALID_STATE = "INVALID_STATE";
  public static final String UNMAPPED_SKU = "UNMAPPED_SKU";
  public static final String UNKNOWN_SKU = "UNKNOWN_SKU";
  public static final String VALIDATION = "VALIDATION";
  public static final String CONFLICT = "CONFLICT";
  public static final String UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE";
  public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
  public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";
  /** A movement that would take an account's balance past {@link Moneys#MAX_BALANCE}. */
  public static final String AMOUNT_TOO_LARGE = "AMOUNT_TOO_LARGE";
  /** A carrier's tracking no. already shipped (or shipping) another package or order. */
  public static final String TRACKING_NO_IN_USE = "TRACKING_NO_IN_USE";
  /** A package with more orders than its carrier takes per package now. */
  public static final String PACKAGE_TOO_LARGE = "PACKAGE_TOO_LARGE";

  public static Rejection of(String code, String message) {
    return Rejection.newBuilder().setCode(code).setMessage(message).build();
  }

  public static Rejection of(String code, String message, String field) {
    return Rejection.newBuilder().setCode(code).setMessage(message).setField(field).build();
  }

  public static Rejection notFound(String what) {
    return of(NOT_FOUND, what + " not found");
  }

  public static Rejection invalidState(String currentState, String message) {
    return Rejection.newBuilder()
        .setCode(INVALID_STATE)
        .setMessage(message)
        .setCurrentState(currentState)
        .build();
  }
}
