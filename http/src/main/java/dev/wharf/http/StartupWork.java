package dev.wharf.http;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * What a node must finish after it starts before it takes traffic (each a StartupTask): the claim
 * of earlier clients' codes and the warehouse directory's sync. One per actor system, so that both
 * readiness checks (the API's /ready and pekko-management's, which Kubernetes probes) see it.
 */
public final class StartupWork implements Extension {
  public static final ExtensionId<StartupWork> ID = new ExtensionId<>() {
    @Override
    public StartupWork createExtension(ActorSystem<?> system) {
      return new StartupWork();
    }
  };

  /** Completed by the node once the earlier clients' codes have been claimed (or tried once each). */
  public final CompletableFuture<Void> earlierClientCodesClaimed = new CompletableFuture<>();
  /** Completed by the node once every warehouse has been put in the routing directory (or tried). */
  public final CompletableFuture<Void> warehouseDirectorySynced = new CompletableFuture<>();

  public static StartupWork get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public boolean done() {
    return earlierClientCodesClaimed.isDone() && warehouseDirectorySynced.isDone();
  }

  public CompletableFuture<Void> whenDone() {
    return CompletableFuture.allOf(earlierClientCodesClaimed, warehouseDirectorySynced);
  }
}
