package dev.wharf.http;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * What a node must finish after it starts before it takes traffic: the claim of earlier clients'
 * codes (EarlierClientCodes). One per actor system, so that both readiness checks (the API's
 * /ready and pekko-management's, which Kubernetes probes) see it.
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

  public static StartupWork get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public boolean done() {
    return earlierClientCodesClaimed.isDone();
  }
}
