package dev.wharf.engine.saga;

import com.google.protobuf.Message;
import dev.wharf.engine.app.Wharf;
import dev.wharf.engine.domain.OrderState;
import dev.wharf.engine.entity.MergeGroupEntity;
import dev.wharf.engine.entity.OrderEntity;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.ResumeGroup;
import dev.wharf.proto.ResumeOrderSaga;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes every order whose last saga event opened a step (review, void or ship) that never
 * closed, e.g. because the node died mid-review, and every merge group whose last operation
 * (pack, ship, removal) its orders may not have heard of. A woken entity resumes its step on
 * recovery; every step is idempotent per order id, so resuming twice is harmless.
 *
 * <p>Entities start lazily, so without this an order caught mid-review would wait for its next
 * request. See docs/decisions/0005-saga-recovery.md.
 */
public final class SagaRecoveryDriver {
  private static final Logger log = LoggerFactory.getLogger(SagaRecoveryDriver.class);

  private SagaRecoveryDriver() {}

  /**
   * Scans the H2 journal once for the events that open and close saga steps (by their protobuf
   * manifest), on the given executor since JDBC blocks, and resumes the open orders.
   */
  public static CompletionStage<List<String>> resumeOpenSagasByJournalScan(Wharf wharf, String jdbcUrl, String user,
                                                                          String password, Executor blocking) {
    return CompletableFuture.supplyAsync(() -> {
      Map<String, Boolean> open = new HashMap<>();
      java.util.Set<String> manifests = new java.util.HashSet<>(OrderState.SAGA_OPENERS);
      manifests.addAll(OrderState.SAGA_CLOSERS);
      manifests.addAll(MergeGroupEntity.OPERATION_OPENERS);
      manifests.addAll(MergeGroupEntity.OPERATION_CLOSERS);
      String in = String.join(",", java.util.Collections.nCopies(manifests.size(), "?"));
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl, user, password);
           java.sql.PreparedStatement q = c.prepareStatement("SELECT \"persistence_id\", \"event_ser_manifest\" "
               + "FROM PUBLIC.\"event_journal\" WHERE \"deleted\" = FALSE AND \"event_ser_manifest\" IN (" + in + ") "
               + "ORDER BY \"ordering\"")) {
        int i = 1;
        for (String m : manifests) {
          q.setString(i++, m);
        }
        q.setFetchSize(10_000);
        try (java.sql.ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            open.put(rs.getString(1), OrderState.SAGA_OPENERS.contains(rs.getString(2))
                || MergeGroupEntity.OPERATION_OPENERS.contains(rs.getString(2)));
          }
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("saga recovery scan failed", e);
      }
      return open;
    }, blocking).thenCompose(open -> resume(wharf, open));
  }

  /**
   * Scans the saga tag once and resumes the open orders; completes with their ids, or fails if
   * any could not be woken (so a caller such as {@link SagaWatchdog} scans again).
   */
  public static CompletionStage<List<String>> resumeOpenSagas(Wharf wharf, String readJournalPluginId) {
    var system = wharf.system();
    CurrentEventsByTagQuery journal = PersistenceQuery.get(Adapter.toClassic(system))
        .getReadJournalFor(CurrentEventsByTagQuery.class, readJournalPluginId);
    return journal.currentEventsByTag(OrderEntity.SAGA_TAG, Offset.noOffset())
        .runFold(new HashMap<String, Boolean>(), (open, envelope) -> {
          Message event = (Message) envelope.event();
          open.put(envelope.persistenceId(), OrderState.opensSaga(event) || MergeGroupEntity.opensOperation(event));
          return open;
        }, system)
        .thenCompose(open -> resume(wharf, open));
  }

  /**
   * Runs {@code scan} until one completes (each failure is logged and the scan runs again after
   * {@code retryAfter}), or the actor system terminates. For scans outside the watchdog, such as
   * the one after a journal outage.
   */
  public static void scanUntilDone(ActorSystem<?> system, Supplier<CompletionStage<List<String>>> scan,
                                   Duration retryAfter) {
    if (system.whenTerminated().isCompleted()) {
      return;
    }
    scan.get().whenComplete((woken, failure) -> {
      if (failure != null) {
        log.warn("saga scan failed, again in {}: {}", retryAfter, failure.toString());
        system.scheduler().scheduleOnce(retryAfter, () -> scanUntilDone(system, scan, retryAfter),
            system.executionContext());
      }
    });
  }

  private static final String GROUP_PREFIX = MergeGroupEntity.TYPE_KEY.name() + "|";
  private static final OrderCommand RESUME_ORDER = OrderCommand.newBuilder().setResume(ResumeOrderSaga.getDefaultInstance()).build();
  private static final MergeGroupCommand RESUME_GROUP = MergeGroupCommand.newBuilder().setResume(ResumeGroup.getDefaultInstance()).build();

  /** Wakes the open ones; completes with their persistence ids, or fails if any could not be woken. */
  private static CompletionStage<List<String>> resume(Wharf wharf, Map<String, Boolean> open) {
    List<String> persistenceIds = open.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    if (!persistenceIds.isEmpty()) {
      log.info("resuming {} order saga(s) and merge group operation(s) left open by an earlier run", persistenceIds.size());
    }
    AtomicInteger notWoken = new AtomicInteger();
    return Source.from(persistenceIds)
        .mapAsyncUnordered(16, pid -> wake(wharf, pid)
            .handle((reply, e) -> {
              if (e != null) {
                // e.g. a wake-up sent to a shard home that died meanwhile: the caller scans again
                log.warn("could not wake {}: {}", pid, e.toString());
                notWoken.incrementAndGet();
              }
              return pid;
            }))
        .runForeach(pid -> {}, wharf.system())
        .thenApply(done -> {
          if (notWoken.get() > 0) {
            throw new IllegalStateException("could not wake " + notWoken.get() + " of " + persistenceIds.size()
                + " entities with an open saga step or operation");
          }
          return persistenceIds;
        });
  }

  private static CompletionStage<?> wake(Wharf wharf, String persistenceId) {
    String entityId = persistenceId.substring(persistenceId.indexOf('|') + 1);
    return persistenceId.startsWith(GROUP_PREFIX) ? wharf.mergeGroup(entityId, RESUME_GROUP) : wharf.order(entityId, RESUME_ORDER);
  }
}
