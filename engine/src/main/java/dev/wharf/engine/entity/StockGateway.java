package dev.wharf.engine.entity;

import dev.wharf.proto.SkuStockCommand;
import dev.wharf.proto.SkuStockReply;
import java.util.concurrent.CompletionStage;

/** How an order reaches a SkuStock entity (through Cluster Sharding in a running node). */
@FunctionalInterface
public interface StockGateway {
  CompletionStage<SkuStockReply> ask(String stockEntityId, SkuStockCommand command);
}
