package dev.wharf.engine.app;

import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.Rejection;
import java.util.function.Function;
import java.util.function.Predicate;

/** An entity or a service refused a request; carried through CompletionStages to the edge. */
public final class Rejected extends RuntimeException {
  private final transient Rejection rejection;

  public Rejected(Rejection rejection) {
    super(rejection.getCode() + ": " + rejection.getMessage(), null, false, false);
    this.rejection = rejection;
  }

  public static Rejected of(String code, String message, String field) {
    return new Rejected(Rejections.of(code, message, field));
  }

  public Rejection rejection() {
    return rejection;
  }

  /** Returns the reply, or throws its rejection. */
  public static <R> R unless(R reply, Predicate<R> hasRejection, Function<R, Rejection> rejection) {
    if (hasRejection.test(reply)) {
      throw new Rejected(rejection.apply(reply));
    }
    return reply;
  }
}
