package dev.wharf.engine.entity;

import dev.wharf.proto.Recipient;
import java.util.concurrent.CompletionStage;

/** How a released order joins the merge group of its warehouse, client and recipient (idempotent). */
@FunctionalInterface
public interface PackingGateway {
  CompletionStage<?> join(String orderId, String warehouseId, String clientId, Recipient recipient);
}
