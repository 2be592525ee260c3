package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.proto.Coverage;
import dev.wharf.proto.DefineWarehouse;
import dev.wharf.proto.ListWarehouses;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseDirectoryCommand;
import dev.wharf.proto.WarehouseDirectoryReply;
import dev.wharf.proto.WarehouseReply;
import dev.wharf.proto.WarehouseView;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The directory routing reads: each warehouse's newest definition, whatever order the updates come in. */
class WarehouseDirectoryEntityTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("directory", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static WarehouseView define(ActorRef<WarehouseEntity.Request> warehouse, String country) {
    TestProbe<WarehouseReply> probe = testKit.createTestProbe();
    warehouse.tell(new WarehouseEntity.Request(WarehouseCommand.newBuilder().setDefine(DefineWarehouse.newBuilder()
        .setName("W").setCountry("PH").addCoverage(Coverage.newBuilder().setCountry(country))).build(), probe.getRef()));
    return probe.receiveMessage().getWarehouse();
  }

  private static List<WarehouseView> send(ActorRef<WarehouseDirectoryEntity.Request> directory, WarehouseDirectoryCommand c) {
    TestProbe<WarehouseDirectoryReply> probe = testKit.createTestProbe();
    directory.tell(new WarehouseDirectoryEntity.Request(c, probe.getRef()));
    return probe.receiveMessage().getWarehousesList();
  }

  private static WarehouseDirectoryCommand upsert(WarehouseView w) {
    return WarehouseDirectoryCommand.newBuilder().setUpsert(w).build();
  }

  @Test
  void anOlderDefinitionArrivingLastDoesNotReplaceTheNewer() {
    var warehouse = testKit.spawn(WarehouseEntity.create("W-" + UUID.randomUUID()));
    var directory = testKit.spawn(WarehouseDirectoryEntity.create("dir-" + UUID.randomUUID()));
    WarehouseView first = define(warehouse, "PH");
    WarehouseView second = define(warehouse, "SG");
    assertEquals(List.of(1L, 2L), List.of(first.getRevision(), second.getRevision()));
    assertEquals(second, define(warehouse, "SG"), "the same definition again is no new revision");

    // two PUTs at once: their directory updates arrive newest first
    send(directory, upsert(second));
    send(directory, upsert(first));
    WarehouseDirectoryCommand list = WarehouseDirectoryCommand.newBuilder().setList(ListWarehouses.getDefaultInstance()).build();
    assertEquals(List.of(second), send(directory, list));
    WarehouseView third = define(warehouse, "MY");
    send(directory, upsert(third));
    assertEquals(List.of(third), send(directory, list));
  }
}
