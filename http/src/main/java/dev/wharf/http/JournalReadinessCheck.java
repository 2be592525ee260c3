package dev.wharf.http;

import dev.wharf.engine.persistence.JournalHealth;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * pekko-management readiness check (GET /ready on the management port): the journal answers.
 * Membership (Up) is checked by pekko-management-cluster-http's own check beside it.
 */
public final class JournalReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final JournalHealth health;

  public JournalReadinessCheck(ActorSystem system) {
    this.health = JournalHealth.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(health.problem().isEmpty());
  }
}
