package dev.wharf.engine.entity;

import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import java.util.concurrent.CompletionStage;

/** How other entities reach a client's account (through Cluster Sharding in a running node). */
@FunctionalInterface
public interface AccountGateway {
  CompletionStage<ClientAccountReply> ask(String clientId, ClientAccountCommand command);
}
