package dev.wharf.engine.app;

import dev.wharf.engine.entity.ClientEntity;
import dev.wharf.proto.ClientCodeClaimed;
import dev.wharf.proto.ClientCodeCommand;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.GetClient;
import dev.wharf.proto.GetClientCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
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
   * One pass (see {@link StartupTask}): claims them unless an earlier run did; the marker is
   * written once a pass has claimed every one.
   */
  public static CompletionStage<StartupTask.Pass> claim(Wharf wharf,
                                                       Supplier<CompletionStage<List<String>>> clientPersistenceIds) {
    return wharf.clientCode(DONE_MARKER, ClientCodeCommand.newBuilder().setGet(GetClientCode.getDefaultInstance()).build())
        .thenCompose(marker -> marker.getClientId().isEmpty()
            ? claimAll(wharf, clientPersistenceIds)
            : CompletableFuture.completedFuture(StartupTask.Pass.NOTHING));
  }

  private static CompletionStage<StartupTask.Pass> claimAll(Wharf wharf, Supplier<CompletionStage<List<String>>> clientPersistenceIds) {
    return clientPersistenceIds.get()
        .thenCompose(ids -> StartupTask.forEach(wharf.system(), ids, CLIENT_PREFIX, 8, id -> claimCurrentCode(wharf, id)))
        .thenCompose(pass -> {
          if (!pass.failed().isEmpty()) {
            return CompletableFuture.completedFuture(pass); // no marker until all got through
          }
          return wharf.clientCode(DONE_MARKER, ClientCodeCommand.newBuilder()
                  .setClaim(ClientCodeClaimed.newBuilder().setClientId(MARKER_HOLDER)).build())
              .thenApply(done -> {
                if (!pass.tried().isEmpty()) {
                  log.info("claimed the codes of {} client(s) defined before codes were claimed", pass.tried().size());
                }
                return pass;
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
