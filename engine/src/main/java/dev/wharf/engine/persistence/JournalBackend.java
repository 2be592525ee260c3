package dev.wharf.engine.persistence;

import com.typesafe.config.Config;
import dev.wharf.engine.app.Wharf;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What differs between the journals Wharf runs on (embedded H2 for one node, Cassandra for a
 * cluster). Entities and events are the same in both; only this and the mode's config file change.
 */
public interface JournalBackend {
  /** Before the actor system starts: create what the journal plugin expects to find. */
  void prepare();

  /**
   * The backend's own background work, until {@link #close()} (H2: its compaction rounds). Called
   * once, by the {@link JournalHealth} that owns this backend.
   */
  default void startBackgroundWork() {}

  /** Does the journal answer? Empty when it does, otherwise what is wrong. */
  CompletionStage<Optional<String>> probe(ActorSystem<?> system);

  /** Wakes every order whose saga step was left open; completes with their ids. */
  CompletionStage<List<String>> resumeOpenSagas(Wharf wharf);

  /** The persistence ids in the journal that start with {@code prefix} ("Client|"), in no order. */
  CompletionStage<List<String>> persistenceIdsStartingWith(ActorSystem<?> system, String prefix);

  /**
   * Whether {@link #persistenceIdsStartingWith} reads only the ids asked for (H2: a range on an
   * index), so that it may run at every start; otherwise it reads every id in the journal.
   */
  boolean listsByPrefixCheaply();

  /** A short name for messages ("H2", "Cassandra"). */
  String name();

  /** Lets go of the journal's connections; idempotent, and done when it returns. */
  void close();

  static JournalBackend forConfig(Config config) {
    String mode = config.getString("wharf.mode");
    return switch (mode) {
      case "single" -> new H2Backend(config);
      case "cluster" -> new CassandraBackend(config);
      default -> throw new IllegalArgumentException("unknown wharf.mode " + mode + " (single or cluster)");
    };
  }
}
