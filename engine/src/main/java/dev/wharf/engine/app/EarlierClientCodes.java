package dev.wharf.engine.app;

import dev.wharf.engine.entity.ClientEntity;
import dev.wharf.proto.ClientCodeClaimed;
import dev.wharf.proto.ClientCodeCommand;
import dev.wharf.proto.ClientCodeReply;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.GetClient;
import dev.wharf.proto.GetClientCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clients defined before codes had entities of their own (decision 0003) have not claimed their
 * codes, so a new client could take one and repeat their order numbers. This claims each such
 * client's current code, once per journal: a marker (not a valid code, so no client can hold it)
 * records that it was done, and every client defined since claims its code on its own PUT.
 */
public final class EarlierClientCodes {
  private static final Logger log = LoggerFactory.getLogger(EarlierClientCodes.class);

  /** Codes are upper-case letters and digits: this id can only be the marker. */
  static final String DONE_MARKER = "earlier-clients-claimed";
  private static final String MARKER_HOLDER = "*";
  /** What the persistence ids of clients start with. */
  public static final String CLIENT_PREFIX = ClientEntity.TYPE_KEY.name() + "|";

  private EarlierClientCodes() {}

  /**
   * Claims them unless an earlier run did; completes with the ids of the clients it looked at
   * (empty when done before), or fails (nothing lost: the next run claims again).
   */
  public static CompletionStage<List<String>> claim(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds) {
    return wharf.clientCode(DONE_MARKER, ClientCodeCommand.newBuilder().setGet(GetClientCode.getDefaultInstance()).build())
        .thenCompose(marker -> marker.getClientId().isEmpty()
            ? claimAll(wharf, clientPersistenceIds)
            : CompletableFuture.completedFuture(List.of()));
  }

  /** {@link #claim} again after {@code retryAfter} until a run completes (the journal may be down at start). */
  public static CompletionStage<Void> claimUntilDone(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds,
                                                     Duration retryAfter) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    claimUntilDone(wharf, clientPersistenceIds, retryAfter, done);
    return done;
  }

  private static void claimUntilDone(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds,
                                     Duration retryAfter, CompletableFuture<Void> done) {
    if (wharf.system().whenTerminated().isCompleted()) {
      return;
    }
    claim(wharf, clientPersistenceIds).whenComplete((clients, failure) -> {
      if (failure == null) {
        done.complete(null);
      } else {
        log.warn("claiming the codes of earlier clients failed, again in {}: {}", retryAfter, failure.toString());
        wharf.system().scheduler().scheduleOnce(retryAfter,
            () -> claimUntilDone(wharf, clientPersistenceIds, retryAfter, done), wharf.system().executionContext());
      }
    });
  }

  private static CompletionStage<List<String>> claimAll(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds) {
    return clientPersistenceIds.get()
        .thenCompose(ids -> Source.from(ids)
            .map(pid -> pid.substring(CLIENT_PREFIX.length()))
            .mapAsyncUnordered(8, clientId -> claimCurrentCode(wharf, clientId))
            .runWith(Sink.seq(), wharf.system()))
        .thenCompose(clients -> wharf.clientCode(DONE_MARKER, ClientCodeCommand.newBuilder()
                .setClaim(ClientCodeClaimed.newBuilder().setClientId(MARKER_HOLDER)).build())
            .thenApply(done -> {
              if (!clients.isEmpty()) {
                log.info("claimed the codes of {} client(s) defined before codes were claimed", clients.size());
              }
              return clients;
            }));
  }

  private static CompletionStage<String> claimCurrentCode(Wharf wharf, String clientId) {
    return wharf.client(clientId, ClientCommand.newBuilder().setGet(GetClient.getDefaultInstance()).build())
        .thenCompose(client -> {
          String code = client.getClient().getCode();
          if (client.hasRejection() || code.isEmpty()) {
            return CompletableFuture.completedFuture(clientId);
          }
          return wharf.clientCode(code, ClientCodeCommand.newBuilder()
                  .setClaim(ClientCodeClaimed.newBuilder().setClientId(clientId)).build())
              .thenApply(claimed -> {
                if (claimed.hasRejection()) {
                  // two earlier clients shared it: their numbers stay as they are; the loser's next PUT needs another code
                  log.warn("client {} uses code {}, which client {} holds: its next PUT needs a code of its own",
                      clientId, code, claimed.getClientId());
                }
                return clientId;
              });
        });
  }
}
