package dev.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.wharf.engine.app.BillingService;
import dev.wharf.engine.app.CatalogService;
import dev.wharf.engine.app.OrderService;
import dev.wharf.engine.app.PackingService;
import dev.wharf.engine.app.StockService;
import dev.wharf.engine.app.Wharf;
import dev.wharf.engine.persistence.H2Journal;
import dev.wharf.engine.saga.SagaRecoveryDriver;
import dev.wharf.http.auth.AdminToken;
import dev.wharf.http.routes.BillingRoutes;
import dev.wharf.http.routes.MasterDataRoutes;
import dev.wharf.http.routes.OrderRoutes;
import dev.wharf.http.routes.PackingRoutes;
import dev.wharf.http.routes.StoreRoutes;
import dev.wharf.http.routes.SystemRoutes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Wharf node: actor system, sharded entities, HTTP API. Used by the main and by the
 * integration tests, which start real nodes on free ports.
 */
public final class WharfNode {
  private static final Logger log = LoggerFactory.getLogger(WharfNode.class);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final String adminAnnouncement;
  private final ExecutorService blocking;

  private WharfNode(ActorSystem<Void> system, ServerBinding binding, String adminAnnouncement, ExecutorService blocking) {
    this.system = system;
    this.binding = binding;
    this.adminAnnouncement = adminAnnouncement;
    this.blocking = blocking;
  }

  /** The configuration of a mode ("single" by default), with the data dir made absolute. */
  public static Config loadConfig(String mode, Map<String, Object> overrides) {
    // -D system properties win over everything, as ops expect
    Config base = ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.parseMap(overrides))
        .withFallback(ConfigFactory.parseResourcesAnySyntax("wharf-" + mode + ".conf"))
        .withFallback(ConfigFactory.defaultReference());
    String dataDir = base.resolve().getString("wharf.data-dir");
    return ConfigFactory.parseMap(Map.of("wharf.data-dir", Path.of(dataDir).toAbsolutePath().normalize().toString()))
        .withFallback(base)
        .resolve();
  }

  public static WharfNode start(Config config, String adminTokenFromEnv) throws Exception {
    Path dataDir = Path.of(config.getString("wharf.data-dir"));
    AdminToken.Resolved admin = AdminToken.resolve(dataDir, adminTokenFromEnv);
    Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    String url = db.getString("url");
    H2Journal.ensureSchema(url, db.getString("user"), db.getString("password"));

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "wharf", config);
    ExecutorService blocking = Executors.newSingleThreadExecutor(r -> new Thread(r, "wharf-readiness"));
    try {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));

      Wharf wharf = new Wharf(system);
      CatalogService catalog = new CatalogService(wharf);
      BillingService billing = new BillingService(wharf, catalog);
      StockService stock = new StockService(wharf, catalog, billing);
      OrderService orders = new OrderService(wharf, Clock.systemUTC());
      ObjectMapper mapper = new ObjectMapper();
      Config http = config.getConfig("wharf.http");

      ReadinessCheck readiness = () -> {
        List<String> problems = new ArrayList<>();
        if (cluster.selfMember().status() != MemberStatus.up()) {
          problems.add("node is not yet Up in the cluster");
        }
        return CompletableFuture.supplyAsync(() -> {
          try (Connection c = DriverManager.getConnection(url, db.getString("user"), db.getString("password"))) {
            c.createStatement().execute("SELECT 1");
          } catch (Exception e) {
            problems.add("journal does not answer: " + e.getMessage());
          }
          return problems;
        }, blocking).completeOnTimeout(List.of("journal check timed out"), 5, TimeUnit.SECONDS);
      };

      ApiRoutes routes = new ApiRoutes(mapper, admin.hash(),
          new SystemRoutes(mapper, readiness),
          new MasterDataRoutes(mapper, wharf, catalog, stock),
          new StoreRoutes(mapper, wharf, catalog),
          new OrderRoutes(mapper, wharf, orders, billing, catalog,
              (int) http.getBytes("max-stream-line-bytes").longValue(), http.getInt("stream-parallelism")),
          new BillingRoutes(mapper, billing, Clock.systemUTC()),
          new PackingRoutes(mapper, new PackingService(wharf, catalog)));

      ServerBinding binding = Http.get(system)
          .newServerAt(http.getString("host"), http.getInt("port"))
          .bind(routes.route())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);

      (config.getString("wharf.saga-recovery.strategy").equals("journal-scan")
          ? SagaRecoveryDriver.resumeOpenSagasByJournalScan(wharf, url, db.getString("user"), db.getString("password"), blocking)
          : SagaRecoveryDriver.resumeOpenSagas(wharf, config.getString("wharf.saga-recovery.read-journal")))
          .whenComplete((resumed, failure) -> {
            if (failure != null) {
              log.error("saga recovery scan failed", failure);
            }
          });
      return new WharfNode(system, binding, admin.announcement(), blocking);
    } catch (Exception e) {
      system.terminate();
      blocking.shutdownNow();
      throw e;
    }
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String host() {
    return binding.localAddress().getHostString();
  }

  public String adminAnnouncement() {
    return adminAnnouncement;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public CompletionStage<Void> stop() {
    return binding.terminate(Duration.ofSeconds(5))
        .thenCompose(done -> {
          system.terminate();
          return system.getWhenTerminated();
        })
        .thenAccept(done -> blocking.shutdownNow());
  }
}
