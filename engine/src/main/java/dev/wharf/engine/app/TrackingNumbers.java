package dev.wharf.engine.app;

import dev.wharf.proto.TrackingNoClaimed;
import dev.wharf.proto.TrackingNoCommand;
import dev.wharf.proto.TrackingNoReleased;
import dev.wharf.proto.TrackingNoReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Ships a package or a lone order under a carrier's tracking no. only once the number is claimed
 * for it (TrackingNoEntity): two packages under one number would put more orders under it than the
 * carrier takes. A ship refused after the claim releases the number again; a ship that did not
 * answer keeps it (it may have shipped), and its retry finds the number its own.
 */
final class TrackingNumbers {
  private TrackingNumbers() {}

  static String packageHolder(String packageId) {
    return "package:" + packageId;
  }

  static String orderHolder(String orderId) {
    return "order:" + orderId;
  }

  /**
   * @param refused whether the ship's reply is a refusal (a ship may also refuse by failing with {@link Rejected})
   */
  static <R> CompletionStage<R> shipUnder(Wharf wharf, String carrier, String trackingNo, String holder,
                                          Supplier<CompletionStage<R>> ship, Predicate<R> refused) {
    return wharf.trackingNo(carrier, trackingNo, TrackingNoCommand.newBuilder()
            .setClaim(TrackingNoClaimed.newBuilder().setHolder(holder)).build())
        .thenApply(claim -> Rejected.unless(claim, TrackingNoReply::hasRejection, TrackingNoReply::getRejection))
        .thenCompose(claimed -> started(ship)
            .handle((reply, failure) -> {
              Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
              boolean wasRefused = cause instanceof Rejected || (cause == null && refused.test(reply));
              CompletableFuture<R> outcome = cause == null ? CompletableFuture.completedFuture(reply) : CompletableFuture.failedFuture(cause);
              if (!wasRefused) {
                return (CompletionStage<R>) outcome;
              }
              // answered after the release, whatever becomes of it: a release that fails leaves the number held
              return wharf.trackingNo(carrier, trackingNo, TrackingNoCommand.newBuilder()
                      .setRelease(TrackingNoReleased.newBuilder().setHolder(holder)).build())
                  .handle((released, releaseFailure) -> outcome)
                  .thenCompose(o -> o);
            })
            .thenCompose(o -> o));
  }

  private static <R> CompletionStage<R> started(Supplier<CompletionStage<R>> ship) {
    try {
      return ship.get();
    } catch (Rejected refusedBeforeAsking) {
      return CompletableFuture.failedFuture(refusedBeforeAsking);
    }
  }
}
