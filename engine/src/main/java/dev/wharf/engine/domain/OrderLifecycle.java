package dev.wharf.engine.domain;

import dev.wharf.proto.OrderStatus;
import java.util.Optional;

/**
 * Which actions each order state allows. The Order entity asks here before persisting anything;
 * a refusal becomes a 409 naming the current state.
 */
public final class OrderLifecycle {
  private OrderLifecycle() {}

  public enum Action {
    REVIEW,
    FREEZE,
    UNFREEZE,
    VOID,
    CANCEL,
    SHIP,
    RELEASE,
    CHOOSE_WAREHOUSE,
    PACK,
    UNPACK
  }

  /** What to do with an action in a state. */
  public enum Verdict {
    /** Persist the transition. */
    PROCEED,
    /** Already done (or in progress): answer with the order as it is, change nothing. */
    ALREADY,
    /** The state forbids it. */
    FORBIDDEN
  }

  public static Verdict decide(OrderStatus status, Action action) {
    return switch (action) {
      case REVIEW -> switch (status) {
        case PENDING, REVIEW_FAILED -> Verdict.PROCEED;
        case REVIEWING, ALLOCATED, RELEASED, PACKED -> Verdict.ALREADY;
        default -> Verdict.FORBIDDEN;
      };
      case FREEZE -> switch (status) {
        case PENDING, REVIEW_FAILED, ALLOCATED, RELEASED -> Verdict.PROCEED;
        case FROZEN -> Verdict.ALREADY;
        // REVIEWING is transient: freeze once the review has finished
        default -> Verdict.FORBIDDEN;
      };
      case UNFREEZE -> status == OrderStatus.FROZEN ? Verdict.PROCEED : Verdict.FORBIDDEN;
      case VOID -> switch (status) {
        case PENDING, REVIEW_FAILED, ALLOCATED, RELEASED, FROZEN -> Verdict.PROCEED;
        case VOID -> Verdict.ALREADY;
        default -> Verdict.FORBIDDEN;
      };
      case CANCEL -> switch (status) {
        case PENDING, REVIEW_FAILED, ALLOCATED, RELEASED, FROZEN -> Verdict.PROCEED;
        case CANCELLED -> Verdict.ALREADY;
        default -> Verdict.FORBIDDEN;
      };
      // a PACKED order ships with its package (the entity checks it comes from that package)
      case SHIP -> switch (status) {
        case ALLOCATED, PACKED -> Verdict.PROCEED;
        case SHIPPED -> Verdict.ALREADY;
        default -> Verdict.FORBIDDEN;
      };
      case RELEASE -> switch (status) {
        case ALLOCATED -> Verdict.PROCEED;
        case RELEASED, PACKED -> Verdict.ALREADY;
        default -> Verdict.FORBIDDEN;
      };
      case CHOOSE_WAREHOUSE -> status == OrderStatus.PENDING || status == OrderStatus.REVIEW_FAILED
          ? Verdict.PROCEED : Verdict.FORBIDDEN;
      case PACK -> switch (status) {
        case RELEASED -> Verdict.PROCEED;
        case PACKED -> Verdict.ALREADY;
        default -> Verdict.FORBIDDEN;
      };
      case UNPACK -> switch (status) {
        case PACKED -> Verdict.PROCEED;
        case RELEASED -> Verdict.ALREADY;
        default -> Verdict.FORBIDDEN;
      };
    };
  }

  /** A human explanation for a forbidden action, if there is a more useful one than the state. */
  public static Optional<String> hint(OrderStatus status, Action action) {
    if (status == OrderStatus.FROZEN && (action == Action.REVIEW || action == Action.SHIP)) {
      return Optional.of("the order is frozen: unfreeze it first");
    }
    if (status == OrderStatus.REVIEWING) {
      return Optional.of("the order is being reviewed: retry once the review has finished");
    }
    if (action == Action.SHIP && (status == OrderStatus.PENDING || status == OrderStatus.REVIEW_FAILED)) {
      return Optional.of("only an ALLOCATED order can be shipped: review it first");
    }
    if (action == Action.SHIP && status == OrderStatus.RELEASED) {
      return Optional.of("a released order ships in a package: build packages first");
    }
    if (status == OrderStatus.PACKED && action != Action.SHIP) {
      return Optional.of("the order is in a package: take it out of the package first");
    }
    if (action == Action.RELEASE) {
      return Optional.of("only an ALLOCATED order can be released to its warehouse");
    }
    if (action == Action.CHOOSE_WAREHOUSE) {
      return Optional.of("the warehouse can be chosen by hand only before review");
    }
    return Optional.empty();
  }
}
