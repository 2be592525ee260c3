package dev.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.wharf.engine.app.AccountBook;
import dev.wharf.engine.app.BillingService;
import dev.wharf.engine.app.CatalogService;
import dev.wharf.engine.app.EarlierClientCodes;
import dev.wharf.engine.app.StartupTask;
import dev.wharf.engine.app.WarehouseDirectorySync;
import dev.wharf.engine.app.OrderService;
import dev.wharf.engine.app.PackingService;
import dev.wharf.engine.app.StockService;
import dev.wharf.engine.app.Wharf;
import dev.wharf.engine.metrics.ClusterGauges;
import dev.wharf.engine.persistence.JournalBackend;
import dev.wharf.engine.persistence.JournalHealth;
import dev.wharf.engine.saga.SagaRecoveryDriver;
import dev.wharf.engine.saga.SagaWatchdog;
import dev.wharf.http.api.JsonParsingErrorHandler;
import dev.wharf.http.auth.AdminToken;
import dev.wharf.http.routes.BillingRoutes;
import dev.wharf.http.routes.MasterDataRoutes;
import dev.wharf.http.routes.OrderRoutes;
import dev.wharf.http.routes.PackingRoutes;
import dev.wharf.http.routes.StoreRoutes;
import dev.wharf.http.routes.SystemRoutes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.persistence.Persistence;

/**
 * One running Wharf node: actor system, sharded entities, HTTP API; in cluster mode also
 * pekko-management (bootstrap, members, readiness) and the metrics reporter. Used by the main and
 * by the integration tests, which start real nodes on free ports.
 */
public final class WharfNode {
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final String adminAnnouncement;
  private final JournalHealth journal;

  private WharfNode(ActorSystem<Void> system, ServerBinding binding, String adminAnnouncement, JournalHealth journal) {
    this.system = system;
    this.binding = binding;
    this.adminAnnouncement = adminAnnouncement;
    this.journal = journal;
  }

  /** The configuration of a mode ("single" by default), with the data dir made absolute. */
  public static Config loadConfig(String mode, Map<String, Object> overrides) {
    // -D system properties win over everything, as ops expect; then the caller's, then the environment's lists
    Config base = ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.parseMap(overrides))
        .withFallback(ClusterEnvironment.lists(System.getenv()))
        .withFallback(ConfigFactory.parseResourcesAnySyntax("wharf-" + mode + ".conf"))
        .withFallback(ConfigFactory.defaultReference());
    Config resolved = base.resolve();
    if (!resolved.hasPath("wharf.mode")) {
      throw new SettingRefused("unknown WHARF_MODE " + mode + " (single or cluster)");
    }
    String dataDir = resolved.getString("wharf.data-dir");
    return ConfigFactory.parseMap(Map.of("wharf.data-dir", Path.of(dataDir).toAbsolutePath().normalize().toString()))
        .withFallback(base)
        .resolve();
  }

  public static WharfNode start(Config config, String adminTokenFromEnv) throws Exception {
    Path dataDir = Path.of(config.getString("wharf.data-dir"));
    boolean clusterMode = config.getString("wharf.mode").equals("cluster");
    AdminToken.Resolved admin = AdminToken.resolve(dataDir, adminTokenFromEnv);
    JournalBackend.forConfig(config).prepare();
    if (config.getBoolean("wharf.metrics.enabled")) {
      Metrics.startReporter(config);
    }

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "wharf", config);
    JournalHealth startedJournal = null; // for the failure path below
    try {
      // loads the journal plugins listed in auto-start-journals before anything probes or queries
      Persistence.get(Adapter.toClassic(system));
      JournalHealth journal = JournalHealth.get(system);
      startedJournal = journal;
      Cluster cluster = Cluster.get(system);
      if (clusterMode) {
        // members find each other through pekko-management (config or Kubernetes API discovery)
        PekkoManagement.get(Adapter.toClassic(system)).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ClusterBootstrap.get(Adapter.toClassic(system)).start();
      } else {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }

      Wharf wharf = new Wharf(system);
      CatalogService catalog = new CatalogService(wharf);
      BillingService billing = new BillingService(wharf, catalog,
          new AccountBook(system, config.getString("wharf.read-journal"), wharf::account));
      StockService stock = new StockService(wharf, catalog, billing);
      OrderService orders = new OrderService(wharf, Clock.systemUTC());
      // a body with something after its JSON ({...}xyz) is refused, not read up to the garbage
      ObjectMapper mapper = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // free-form JSON kept as sent (payout instructions): 1.00 stays 1.00, not a double's 1.0
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
      Config http = config.getConfig("wharf.http");

      StartupWork startup = StartupWork.get(system);
      Duration retryStartupAfter = config.getDuration("wharf.startup-tasks.retry-after");
      StartupTask.runUntilDone(system, "claiming the codes of earlier clients",
          () -> EarlierClientCodes.claim(wharf,
              () -> journal.backend().persistenceIdsStartingWith(system, EarlierClientCodes.CLIENT_PREFIX)),
          retryStartupAfter, startup.earlierClientCodesClaimed);
      if (journal.backend().listsByPrefixCheaply()) {
        StartupTask.runUntilDone(system, "syncing the warehouse directory",
            () -> WarehouseDirectorySync.sync(wharf,
                () -> journal.backend().persistenceIdsStartingWith(system, WarehouseDirectorySync.WAREHOUSE_PREFIX)),
            retryStartupAfter, startup.warehouseDirectorySynced);
      } else {
        // listing warehouses would read every persistence id at every start (decision 0026)
        startup.warehouseDirectorySynced.complete(null);
      }
      ReadinessCheck readiness = () -> {
        List<String> problems = new ArrayList<>();
        if (!startup.earlierClientCodesClaimed.isDone()) {
          // until then a new client could take an earlier client's code
          problems.add("claiming the codes of clients defined before codes were claimed");
        }
        if (!startup.warehouseDirectorySynced.isDone()) {
          problems.add("syncing the warehouse directory routing reads");
        }
        if (cluster.selfMember().status() != MemberStatus.up()) {
          problems.add("node is not yet Up in the cluster");
        }
        journal.problem().ifPresent(problems::add);
        return CompletableFuture.completedFuture(problems);
      };

      ApiRoutes routes = new ApiRoutes(mapper, admin.hash(), journal,
          new SystemRoutes(mapper, readiness),
          new MasterDataRoutes(mapper, wharf, catalog, stock),
          new StoreRoutes(mapper, wharf, catalog),
          new OrderRoutes(mapper, wharf, orders, billing, catalog, journal,
              (int) http.getBytes("max-stream-line-bytes").longValue(), http.getInt("stream-parallelism")),
          new BillingRoutes(mapper, billing, Clock.systemUTC()),
          new PackingRoutes(mapper, new PackingService(wharf, catalog)));

      ServerBinding binding = Http.get(system)
          .newServerAt(http.getString("host"), http.getInt("port"))
          // requests too malformed for the routes get the API's JSON error too
          .withSettings(org.apache.pekko.http.javadsl.settings.ServerSettings.create(system.settings().config())
              .withParsingErrorHandler(JsonParsingErrorHandler.class.getName()))
          .bind(routes.handler(system))
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      // SIGTERM: stop taking requests, let in-flight ones finish, then leave the cluster (shards hand off)
      binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);

      Supplier<CompletionStage<List<String>>> scanForOpenSagas = () -> journal.backend().resumeOpenSagas(wharf);
      Duration rescanAfter = config.getDuration("wharf.saga-watchdog.delay-after-removal");
      SagaWatchdog.start(system, scanForOpenSagas, rescanAfter);
      // an entity whose write failed during the outage stopped; if it was an order mid-saga,
      // nothing would wake it: look for open sagas once the journal answers again, until all are woken
      journal.onRecovered(() -> SagaRecoveryDriver.scanUntilDone(system, scanForOpenSagas, rescanAfter));
      if (config.getBoolean("wharf.metrics.enabled")) {
        system.systemActorOf(ClusterGauges.create(wharf.entityTypes(), config.getDuration("wharf.metrics.gauge-interval")),
            "cluster-gauges", Props.empty());
      }
      admin.keep(); // the node is up: its operator is about to be shown the token
      return new WharfNode(system, binding, admin.announcement(), journal);
    } catch (Exception e) {
      // nothing left running or holding the data dir when the start fails (a port taken, say)
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (startedJournal != null) {
          startedJournal.backend().close();
        }
      } catch (Exception stopping) {
        e.addSuppressed(stopping); // the start's own failure is the one to report
      }
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

  /** Done once the node's start-up tasks have each run a complete pass (the node is not ready before). */
  public CompletionStage<Void> startupWorkDone() {
    return StartupWork.get(system).whenDone();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Done once the node has let go of its journal too (its data dir can then be deleted). */
  public CompletionStage<Void> stop() {
    return binding.terminate(Duration.ofSeconds(5))
        .thenCompose(done -> {
          system.terminate();
          return system.getWhenTerminated();
        })
        .thenAccept(done -> journal.backend().close());
  }
}
