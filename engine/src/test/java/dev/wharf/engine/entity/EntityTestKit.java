package dev.wharf.engine.entity;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.wharf.engine.app.AccountBook;
import dev.wharf.engine.domain.FeeRules;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.FeeSchedule;
import dev.wharf.proto.HoldFee;
import dev.wharf.proto.Money;
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

  /** For order tests that never release an order to a merge group. */
  public static final PackingGateway NO_PACKING = (orderId, warehouseId, clientId, recipient) ->
      CompletableFuture.failedFuture(new IllegalStateException("no merge groups in this test"));

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
    private final Map<String, ActorRef<SkuStockEntity.Msg>> stocks = new ConcurrentHashMap<>();

    public LocalStock(ActorTestKit testKit) {
      this.testKit = testKit;
    }

    public ActorRef<SkuStockEntity.Msg> spawn(String entityId) {
      ActorRef<SkuStockEntity.Msg> ref = testKit.spawn(SkuStockEntity.create(entityId));
      stocks.put(entityId, ref);
      return ref;
    }

    public void forget(String entityId) {
      stocks.remove(entityId);
    }

    @Override
    public CompletionStage<SkuStockReply> ask(String stockEntityId, SkuStockCommand command) {
      ActorRef<SkuStockEntity.Msg> ref = stocks.get(stockEntityId);
      if (ref == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("no stock entity " + stockEntityId));
      }
      return AskPattern.ask(ref, r -> new SkuStockEntity.Request(command, r), Duration.ofSeconds(3),
          testKit.system().scheduler());
    }
  }

  /** Real ClientAccount entities, with one customer group whose fees the test sets. */
  public static final class LocalBilling implements BillingGateway {
    private final ActorTestKit testKit;
    private final Map<String, ActorRef<ClientAccountEntity.Msg>> accounts = new ConcurrentHashMap<>();
    private volatile FeeSchedule fees; // null: no group, no fee
    private volatile int version = 1;

    public LocalBilling(ActorTestKit testKit) {
      this.testKit = testKit;
    }

    public void fees(FeeSchedule fees, int version) {
      this.fees = fees;
      this.version = version;
    }

    public ActorRef<ClientAccountEntity.Msg> account(String clientId) {
      return accounts.computeIfAbsent(clientId,
          id -> testKit.spawn(ClientAccountEntity.create(id, "USD", java.time.Clock.systemUTC())));
    }

    @Override
    public CompletionStage<FeeHold> holdOutboundFee(String clientId, String orderId, long units) {
      FeeSchedule f = fees;
      if (f == null) {
        return CompletableFuture.completedFuture(FeeHold.free("USD"));
      }
      Money fee = FeeRules.outbound(f, units);
      return account(clientId, ClientAccountCommand.newBuilder()
              .setHold(HoldFee.newBuilder().setOrderId(orderId).setAmount(fee).setGroupId("G").setRuleVersion(version))
              .build())
          .thenApply(r -> r.hasRejection() ? new FeeHold(false, fee, "G", version, 0, 0, r.getRejection())
              : r.getInsufficientFunds() ? new FeeHold(false, fee, "G", version, r.getRequired(), r.getAvailable(), null)
              : new FeeHold(true, fee, "G", version, 0, 0, null));
    }

    /** The accounts' ledgers and statements, read from the testkit's journal. */
    public AccountBook book() {
      return new AccountBook(testKit.system(), "pekko.persistence.testkit.query", this::account);
    }

    @Override
    public CompletionStage<ClientAccountReply> account(String clientId, ClientAccountCommand command) {
      return AskPattern.ask(account(clientId), r -> new ClientAccountEntity.Request(command, r), Duration.ofSeconds(3),
          testKit.system().scheduler());
    }
  }
}
