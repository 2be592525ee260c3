package dev.wharf.engine.persistence;

import com.typesafe.config.Config;
import dev.wharf.engine.app.Wharf;
import dev.wharf.engine.saga.SagaRecoveryDriver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Cluster: pekko-persistence-cassandra. Tables are created by the plugin when
 * wharf.cassandra.autocreate is on (development), or by ops from deploy/cassandra/wharf-schema.cql.
 * Open sagas are found through the saga tag (the tag_views table).
 */
final class CassandraBackend implements JournalBackend {
  private final String readJournal;

  CassandraBackend(Config config) {
    this.readJournal = config.getString("wharf.saga-recovery.read-journal");
  }

  @Override
  public void prepare() {
    // the plugin creates keyspaces and tables itself when autocreate is on
  }

  @Override
  public CompletionStage<Optional<String>> probe(ActorSystem<?> system) {
    // same driver settings as the journal, its own session (see wharf.cassandra-probe-session)
    return CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create("wharf.cassandra-probe-session"))
        .selectOne("SELECT release_version FROM system.local")
        .handle((row, failure) -> failure == null
            ? Optional.<String>empty()
            : Optional.of("Cassandra does not answer: " + rootMessage(failure)));
  }

  @Override
  public CompletionStage<List<String>> resumeOpenSagas(Wharf wharf) {
    return SagaRecoveryDriver.resumeOpenSagas(wharf, readJournal);
  }

  @Override
  public CompletionStage<List<String>> persistenceIdsStartingWith(ActorSystem<?> system, String prefix) {
    // the plugin's all_persistence_ids table, read whole (its key is hashed): fit for once per journal only
    return PersistenceQuery.get(Adapter.toClassic(system))
        .getReadJournalFor(CurrentPersistenceIdsQuery.class, readJournal)
        .currentPersistenceIds()
        .filter(id -> id.startsWith(prefix))
        .runWith(Sink.seq(), system);
  }

  @Override
  public boolean listsByPrefixCheaply() {
    return false;
  }

  @Override
  public String name() {
    return "Cassandra";
  }

  @Override
  public void close() {}

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
