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
import java.util.Map;
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

  /** One pass: the clients looked at, and those whose claim did not get through (retried by the next pass). */
  record Pass(List<String> clients, List<String> failed) {}

  /**
   * Claims them unless an earlier run did; completes {@code everyClientTried} once each earlier
   * client has been tried (its code claimed, or its failure logged), and goes on in the background
   * until every claim has got through and the marker is written. A pass that cannot even list the
   * clients (the journal down at start) or leaves failures is run again, each time twice as late,
   * up to a minute: one client that cannot recover must not keep the node from ever being ready.
   */
  public static void claimUntilDone(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds,
                                    Duration retryAfter, CompletableFuture<Void> everyClientTried) {
    if (wharf.system().whenTerminated().isCompleted()) {
      return;
    }
    claim(wharf, clientPersistenceIds).whenComplete((pass, failure) -> {
      if (failure == null) {
        everyClientTried.complete(null);
      }
      if (failure == null && pass.failed().isEmpty()) {
        return;
      }
      Duration next = retryAfter.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : retryAfter.multipliedBy(2);
      if (failure != null) {
        log.warn("claiming the codes of earlier clients failed, again in {}: {}", retryAfter, failure.toString());
      } else {
        log.warn("the codes of {} earlier client(s) are not claimed yet ({}), again in {}", pass.failed().size(),
            String.join(", ", pass.failed().subList(0, Math.min(10, pass.failed().size()))), retryAfter);
      }
      wharf.system().scheduler().scheduleOnce(retryAfter,
          () -> claimUntilDone(wharf, clientPersistenceIds, next, everyClientTried), wharf.system().executionContext());
    });
  }

  private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

  private static CompletionStage<Pass> claim(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds) {
    return wharf.clientCode(DONE_MARKER, ClientCodeCommand.newBuilder().setGet(GetClientCode.getDefaultInstance()).build())
        .thenCompose(marker -> marker.getClientId().isEmpty()
            ? claimAll(wharf, clientPersistenceIds)
            : CompletableFuture.completedFuture(new Pass(List.of(), List.of())));
  }

  private static CompletionStage<Pass> claimAll(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds) {
    return clientPersistenceIds.get()
        .thenCompose(ids -> Source.from(ids)
            .map(pid -> pid.substring(CLIENT_PREFIX.length()))
            .mapAsyncUnordered(8, clientId -> claimCurrentCode(wharf, clientId)
                .handle((claimed, failure) -> {
                  if (failure != null) {
                    log.warn("could not claim the code of client {}: {}", clientId, failure.toString());
                  }
                  return Map.entry(clientId, failure == null);
                }))
            .runWith(Sink.seq(), wharf.system()))
        .thenCompose(results -> {
          List<String> clients = results.stream().map(Map.Entry::getKey).toList();
          List<String> failed = results.stream().filter(r -> !r.getValue()).map(Map.Entry::getKey).toList();
          if (!failed.isEmpty()) {
            return CompletableFuture.completedFuture(new Pass(clients, failed)); // no marker until all got through
          }
          return wharf.clientCode(DONE_MARKER, ClientCodeCommand.newBuilder()
                  .setClaim(ClientCodeClaimed.newBuilder().setClientId(MARKER_HOLDER)).build())
              .thenApply(done -> {
                if (!clients.isEmpty()) {
                  log.info("claimed the codes of {} client(s) defined before codes were claimed", clients.size());
                }
                return new Pass(clients, List.of());
              });
        });
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
