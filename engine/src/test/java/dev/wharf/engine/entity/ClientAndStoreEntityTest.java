package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.proto.CheckProducts;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.DefineClient;
import dev.wharf.proto.DefineProduct;
import dev.wharf.proto.DefineStore;
import dev.wharf.proto.Line;
import dev.wharf.proto.NextOrderNo;
import dev.wharf.proto.PlatformLine;
import dev.wharf.proto.RemoveSkuMapping;
import dev.wharf.proto.ResolveSkus;
import dev.wharf.proto.SetSkuMapping;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreDefined;
import dev.wharf.proto.StoreReply;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientAndStoreEntityTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("master", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ClientReply send(ActorRef<ClientEntity.Request> client, ClientCommand c) {
    TestProbe<ClientReply> probe = testKit.createTestProbe();
    client.tell(new ClientEntity.Request(c, probe.getRef()));
    return probe.receiveMessage();
  }

  private static StoreReply send(ActorRef<StoreEntity.Request> store, StoreCommand c) {
    TestProbe<StoreReply> probe = testKit.createTestProbe();
    store.tell(new StoreEntity.Request(c, probe.getRef()));
    return probe.receiveMessage();
  }

  private static ClientCommand nextNo(String day) {
    return ClientCommand.newBuilder().setNextOrderNo(NextOrderNo.newBuilder().setDay(day)).build();
  }

  @Test
  void orderNumbersAreUniqueAcrossRestartsAndRestartEachDay() {
    String id = "C-" + UUID.randomUUID();
    var client = testKit.spawn(ClientEntity.create(id));
    assertEquals("NOT_FOUND", send(client, nextNo("261122")).getRejection().getCode());
    send(client, ClientCommand.newBuilder()
        .setDefine(DefineClient.newBuilder().setName("Acme").setCode("HMKJ").setEmail("a@b")).build());
    Set<String> numbers = new HashSet<>();
    for (int i = 0; i < 150; i++) {
      numbers.add(send(client, nextNo("261122")).getOrderNo());
    }
    assertTrue(numbers.contains("HMKJ-261122-00001"));
    assertTrue(numbers.contains("HMKJ-261122-00150"));
    testKit.stop(client);
    var again = testKit.spawn(ClientEntity.create(id));
    String afterRestart = send(again, nextNo("261122")).getOrderNo();
    assertTrue(numbers.add(afterRestart), "no number is handed out twice: " + afterRestart);
    assertTrue(afterRestart.compareTo("HMKJ-261122-00150") > 0);
    assertEquals("HMKJ-261123-00001", send(again, nextNo("261123")).getOrderNo());
    // an ingest that read the clock before midnight arrives after one that read it after
    assertEquals("HMKJ-261123-00002", send(again, nextNo("261122")).getOrderNo(), "261122's numbers are not handed out again");
    assertEquals("HMKJ-261123-00003", send(again, nextNo("261123")).getOrderNo());
  }

  @Test
  void productChecksNameTheUnknownSkus() {
    var client = testKit.spawn(ClientEntity.create("C-" + UUID.randomUUID()));
    send(client, ClientCommand.newBuilder()
        .setDefine(DefineClient.newBuilder().setName("Acme").setCode("HMKJ").setEmail("a@b")).build());
    send(client, ClientCommand.newBuilder().setDefineProduct(DefineProduct.newBuilder().setSku("A").setName("a")).build());
    ClientReply r = send(client, ClientCommand.newBuilder()
        .setCheckProducts(CheckProducts.newBuilder().addSkus("A").addSkus("B").addSkus("B")).build());
    assertEquals(List.of("B"), r.getUnknownSkusList());
  }

  @Test
  void aStoreResolvesWithItsCurrentMappingsAndKeepsItsClient() {
    String id = "S-" + UUID.randomUUID();
    var store = testKit.spawn(StoreEntity.create(id));
    StoreDefined config = StoreDefined.newBuilder().setClientId("C1").setPlatform("SHOPEE").setShortName("s")
        .setDefaultWarehouseId("W").build();
    assertTrue(send(store, StoreCommand.newBuilder().setDefine(DefineStore.newBuilder().setConfig(config)).build()).getCreated());
    StoreReply moved = send(store, StoreCommand.newBuilder()
        .setDefine(DefineStore.newBuilder().setConfig(config.toBuilder().setClientId("C2"))).build());
    assertEquals("CONFLICT", moved.getRejection().getCode());

    send(store, StoreCommand.newBuilder().setSetMapping(SetSkuMapping.newBuilder().setPlatformSku("SET")
        .addComponents(Line.newBuilder().setSku("A").setQty(2)).addComponents(Line.newBuilder().setSku("B").setQty(1))).build());
    StoreCommand resolve = StoreCommand.newBuilder().setResolve(ResolveSkus.newBuilder()
        .addLines(PlatformLine.newBuilder().setPlatformSku("SET").setQty(2))
        .addLines(PlatformLine.newBuilder().setPlatformSku("NEW").setQty(1))).build();
    StoreReply r = send(store, resolve);
    assertEquals(List.of(Line.newBuilder().setSku("A").setQty(4).build(), Line.newBuilder().setSku("B").setQty(2).build()),
        r.getResolvedList());
    assertEquals(List.of("NEW"), r.getUnmappedList());

    testKit.stop(store);
    var again = testKit.spawn(StoreEntity.create(id));
    send(again, StoreCommand.newBuilder().setRemoveMapping(RemoveSkuMapping.newBuilder().setPlatformSku("SET")).build());
    assertEquals(List.of("SET", "NEW"), send(again, resolve).getUnmappedList());
    assertEquals("C1", send(again, resolve).getStore().getConfig().getClientId());
  }
}
