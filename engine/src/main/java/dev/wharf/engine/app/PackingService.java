package dev.wharf.engine.app;

import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.BuildPackages;
import dev.wharf.proto.CarrierCommand;
import dev.wharf.proto.CarrierReply;
import dev.wharf.proto.CheckGroup;
import dev.wharf.proto.GetCarrier;
import dev.wharf.proto.GetPackage;
import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.ListGroups;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.MergeGroupReply;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.RemoveOrderFromPackage;
import dev.wharf.proto.ShipPackage;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/** Building packages across a warehouse's merge groups, and what happens to a package after. */
public final class PackingService {
  private final Wharf wharf;
  private final CatalogService catalog;

  public PackingService(Wharf wharf, CatalogService catalog) {
    this.wharf = wharf;
    this.catalog = catalog;
  }

  /** Every merge group of the warehouse (optionally of one client) builds its packages. */
  public CompletionStage<List<MergeGroupReply>> build(String warehouseId, String clientId, String carrierCode) {
    return catalog.requireWarehouse(warehouseId, null)
        .thenCompose(w -> wharf.carrier(carrierCode, CarrierCommand.newBuilder().setGet(GetCarrier.getDefaultInstance()).build()))
        .thenApply(c -> {
          if (c.hasRejection()) {
            throw Rejected.of(Rejections.UNKNOWN_REFERENCE, "carrier " + carrierCode + " does not exist", "carrier");
          }
          return c;
        })
        .thenCompose(carrier -> wharf.packingIndex(warehouseId, PackingIndexCommand.newBuilder()
                .setList(ListGroups.newBuilder().setClientId(clientId)).build())
            .thenCompose(index -> Source.from(index.getGroupsList())
                .mapAsync(4, g -> wharf.mergeGroup(g.getGroupId(), MergeGroupCommand.newBuilder()
                    .setBuild(BuildPackages.newBuilder().setCarrier(carrierCode)
                        .setMaxOrdersPerPackage(carrier.getCarrier().getMaxOrdersPerPackage()))
                    .build()))
                .map(r -> Rejected.unless(r, MergeGroupReply::hasRejection, MergeGroupReply::getRejection))
                .runWith(Sink.seq(), wharf.system())
                .whenComplete((built, failure) -> checkGroups(warehouseId, index.getGroupsList()))));
  }

  public CompletionStage<MergeGroupReply> get(String packageId) {
    return group(packageId, MergeGroupCommand.newBuilder().setGetPackage(GetPackage.newBuilder().setPackageId(packageId)).build());
  }

  /** The order waits in its group again, so the group goes back on its warehouse's index. */
  public CompletionStage<MergeGroupReply> removeOrder(String packageId, String orderId, String reason) {
    return group(packageId, MergeGroupCommand.newBuilder().setRemove(RemoveOrderFromPackage.newBuilder()
            .setPackageId(packageId).setOrderId(orderId).setReason(reason)).build())
        .thenCompose(removed -> wharf.packingIndex(removed.getGroup().getWarehouseId(), PackingIndexCommand.newBuilder()
                .setRegister(GroupRegistered.newBuilder().setGroupId(Identifiers.mergeGroupOfPackage(packageId))
                    .setClientId(removed.getGroup().getClientId()).setSequenceNr(removed.getSequenceNr()))
                .build())
            .thenApply(registered -> removed));
  }

  /**
   * After a build visited these groups: the index asks each whether orders still wait, and drops
   * those where none do (decision 0024). Not waited for; a check that fails leaves its group listed.
   */
  private void checkGroups(String warehouseId, List<GroupRegistered> visited) {
    wharf.packingIndex(warehouseId, PackingIndexCommand.newBuilder().setCheck(CheckGroup.newBuilder()
        .addAllGroupIds(visited.stream().map(GroupRegistered::getGroupId).toList())).build());
  }

  /**
   * Ships the package under the carrier's tracking no., once that number is the package's own
   * (TrackingNumbers), and only if the package fits the carrier's current limit.
   */
  public CompletionStage<MergeGroupReply> ship(String packageId, String carrier, String trackingNo) {
    if (Identifiers.mergeGroupOfPackage(packageId) == null) {
      throw new Rejected(Rejections.notFound("package " + packageId));
    }
    return wharf.carrier(carrier, CarrierCommand.newBuilder().setGet(GetCarrier.getDefaultInstance()).build())
        .thenCompose(c -> {
          if (c.hasRejection()) {
            throw Rejected.of(Rejections.UNKNOWN_REFERENCE, "carrier " + carrier + " does not exist", "carrier");
          }
          ShipPackage ship = ShipPackage.newBuilder().setPackageId(packageId).setCarrier(carrier).setTrackingNo(trackingNo)
              .setMaxOrdersPerPackage(c.getCarrier().getMaxOrdersPerPackage()).build();
          return TrackingNumbers.shipUnder(wharf, carrier, trackingNo, TrackingNumbers.packageHolder(packageId),
              () -> group(packageId, MergeGroupCommand.newBuilder().setShip(ship).build()), MergeGroupReply::hasRejection);
        });
  }

  public CompletionStage<CarrierReply> defineCarrier(String code, String name, int maxOrdersPerPackage) {
    return wharf.carrier(code, CarrierCommand.newBuilder().setDefine(dev.wharf.proto.CarrierDefined.newBuilder()
            .setName(name).setMaxOrdersPerPackage(maxOrdersPerPackage)).build())
        .thenApply(r -> Rejected.unless(r, CarrierReply::hasRejection, CarrierReply::getRejection));
  }

  public CompletionStage<CarrierReply> carrier(String code) {
    return wharf.carrier(code, CarrierCommand.newBuilder().setGet(GetCarrier.getDefaultInstance()).build())
        .thenApply(r -> Rejected.unless(r, CarrierReply::hasRejection, CarrierReply::getRejection));
  }

  private CompletionStage<MergeGroupReply> group(String packageId, MergeGroupCommand command) {
    String groupId = Identifiers.mergeGroupOfPackage(packageId);
    if (groupId == null) {
      throw new Rejected(Rejections.notFound("package " + packageId));
    }
    return wharf.mergeGroup(groupId, command)
        .thenApply(r -> Rejected.unless(r, MergeGroupReply::hasRejection, MergeGroupReply::getRejection));
  }
}
