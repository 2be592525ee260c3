package dev.wharf.engine.app;

import dev.wharf.engine.entity.WarehouseEntity;
import dev.wharf.proto.GetWarehouse;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseDirectoryCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A warehouse PUT writes the warehouse, then the directory routing reads: a crash or a failed
 * directory write in between left routing on the old coverage until the PUT was sent again. At
 * start, each warehouse is put in the directory as it is (the directory keeps the newest revision
 * and writes nothing when it has it already), in passes run by {@link StartupTask}.
 */
public final class WarehouseDirectorySync {
  /** What the persistence ids of warehouses start with. */
  public static final String WAREHOUSE_PREFIX = WarehouseEntity.TYPE_KEY.name() + "|";

  private WarehouseDirectorySync() {}

  public static CompletionStage<StartupTask.Pass> sync(Wharf wharf,
                                                      Supplier<CompletionStage<List<String>>> warehousePersistenceIds) {
    return warehousePersistenceIds.get()
        .thenCompose(ids -> StartupTask.forEach(wharf.system(), ids, WAREHOUSE_PREFIX, 4, id -> syncOne(wharf, id)));
  }

  private static CompletionStage<?> syncOne(Wharf wharf, String warehouseId) {
    return wharf.warehouse(warehouseId, WarehouseCommand.newBuilder().setGet(GetWarehouse.getDefaultInstance()).build())
        .thenCompose(w -> w.hasRejection()
            ? CompletableFuture.completedFuture(null) // never defined: nothing to list
            : wharf.warehouseDirectory(WarehouseDirectoryCommand.newBuilder().setUpsert(w.getWarehouse()).build()));
  }
}
