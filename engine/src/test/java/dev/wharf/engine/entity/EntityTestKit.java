package dev.wharf.engine.entity;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;

/**
 * An actor system on Pekko's in-memory persistence testkit, with Wharf's real serializers (every
 * event and snapshot is serialized on the way to the journal).
 */
public final class EntityTestKit {
  private EntityTestKit() {}

  public static Config config() {
    return PersistenceTestKitPlugin.getInstance().config()
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseString("pekko.persistence.testkit.events.serialize = on\n"
            + "pekko.persistence.testkit.snapshots.serialize = on\npekko.loglevel = WARNING"))
        .withFallback(ConfigFactory.parseResources("wharf-serialization.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** SkuStock entities spawned up front, reached by id the way sharding would. */
  public static final class LocalStock implements StockGateway {
    private final ActorTestKit testKit;
    private final Map<String, ActorRef<SkuStockEntity.Request>> stocks = new ConcurrentHashMap<>();

    public LocalStock(ActorTestKit testKit) {
      this.testKit = testKit;
    }

    public ActorRef<SkuStockEntity.Request> spawn(String entityId) {
      ActorRef<SkuStockEntity.Request> ref = testKit.spawn(SkuStockEntity.create(entityId));
      stocks.put(entityId, ref);
      return ref;
    }

    public void forget(String entityId) {
      stocks.remove(entityId);
    }

    @Override
    public CompletionStage<SkuStockReply> ask(String stockEntityId, SkuStockCommand command) {
      ActorRef<SkuStockEntity.Request> ref = stocks.get(stockEntityId);
      if (ref == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("no stock entity " + stockEntityId));
      }
      return AskPattern.ask(ref, r -> new SkuStockEntity.Request(command, r), Duration.ofSeconds(3),
          testKit.system().scheduler());
    }
  }
}
