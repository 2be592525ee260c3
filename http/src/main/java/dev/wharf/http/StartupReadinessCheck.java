package dev.wharf.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** pekko-management readiness check (GET /ready on the management port): the node's start-up work is done. */
public final class StartupReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final StartupWork work;

  public StartupReadinessCheck(ActorSystem system) {
    this.work = StartupWork.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(work.done());
  }
}
