package dev.wharf.engine.entity;

import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import java.util.concurrent.CompletionStage;

/** How a merge group reaches its orders (through Cluster Sharding in a running node). */
@FunctionalInterface
public interface OrderGateway {
  CompletionStage<OrderReply> ask(String orderId, OrderCommand command);
}
