package dev.wharf.engine.app;

import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.RecipientKey;
import dev.wharf.engine.entity.PackingGateway;
import dev.wharf.proto.AddOrderToGroup;
import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.MergeGroupOpened;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.Recipient;
import java.util.concurrent.CompletionStage;

/** A released order waits in its merge group; the group is listed in its warehouse's packing index. */
final class ShardedPacking implements PackingGateway {
  private final Wharf wharf;

  ShardedPacking(Wharf wharf) {
    this.wharf = wharf;
  }

  @Override
  public CompletionStage<?> join(String orderId, String warehouseId, String clientId, Recipient recipient) {
    String key = RecipientKey.of(recipient);
    String groupId = Identifiers.mergeGroupId(warehouseId, clientId, key);
    return wharf.mergeGroup(groupId, MergeGroupCommand.newBuilder().setAdd(AddOrderToGroup.newBuilder()
            .setOrderId(orderId)
            .setGroup(MergeGroupOpened.newBuilder().setWarehouseId(warehouseId).setClientId(clientId)
                .setRecipientKey(key).setRecipient(recipient)))
            .build())
        .thenCompose(added -> wharf.packingIndex(warehouseId, PackingIndexCommand.newBuilder()
            .setRegister(GroupRegistered.newBuilder().setGroupId(groupId).setClientId(clientId)
                .setSequenceNr(added.getSequenceNr()))
            .build()));
  }
}
