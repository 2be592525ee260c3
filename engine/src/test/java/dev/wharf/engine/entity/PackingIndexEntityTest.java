package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.ListGroups;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.PackingIndexReply;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PackingIndexEntityTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("packing-index", EntityTestKit.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static PackingIndexReply send(ActorRef<PackingIndexEntity.Request> index, PackingIndexCommand command) {
    TestProbe<PackingIndexReply> probe = testKit.createTestProbe();
    index.tell(new PackingIndexEntity.Request(command, probe.getRef()));
    return probe.receiveMessage();
  }

  private static PackingIndexCommand register(String groupId, String clientId) {
    return PackingIndexCommand.newBuilder()
        .setRegister(GroupRegistered.newBuilder().setGroupId(groupId).setClientId(clientId)).build();
  }

  private static List<String> groups(ActorRef<PackingIndexEntity.Request> index, String clientId) {
    return send(index, PackingIndexCommand.newBuilder().setList(ListGroups.newBuilder().setClientId(clientId)).build())
        .getGroupsList().stream().map(GroupRegistered::getGroupId).toList();
  }

  @Test
  void aGroupIsListedOnceInOrderAndByItsClient() {
    String warehouse = "WH-" + UUID.randomUUID();
    var index = testKit.spawn(PackingIndexEntity.create(warehouse));
    send(index, register("g1", "A"));
    send(index, register("g2", "B"));
    send(index, register("g1", "A")); // every released order of g1 registers it again
    send(index, register("g3", "A"));
    assertEquals(List.of("g1", "g2", "g3"), groups(index, ""));
    assertEquals(List.of("g1", "g3"), groups(index, "A"));
    assertEquals(List.of(), groups(index, "C"));
    PersistenceTestKit journal = new PersistenceTestKit(Adapter.toClassic(testKit.system()));
    assertEquals(3, journal.persistedInStorage(PackingIndexEntity.TYPE_KEY.name() + "|" + warehouse).size(),
        "a known group writes nothing");
  }

  @Test
  void aRestartedIndexHasEveryGroupInOrderFromItsSnapshotAndEvents() {
    String warehouse = "WH-" + UUID.randomUUID();
    var index = testKit.spawn(PackingIndexEntity.create(warehouse));
    List<String> expected = IntStream.range(0, 1300).mapToObj(i -> "g" + i).toList();
    expected.forEach(g -> send(index, register(g, "A")));
    List<Long> snapshots = new SnapshotTestKit(Adapter.toClassic(testKit.system()))
        .persistedInStorage(PackingIndexEntity.TYPE_KEY.name() + "|" + warehouse).stream()
        .map(snapshot -> snapshot.first().sequenceNr()).toList();
    assertEquals(List.of(500L, 1000L), snapshots, "500 events, then half the index's size in events");
    testKit.stop(index);
    var again = testKit.spawn(PackingIndexEntity.create(warehouse));
    assertEquals(expected, groups(again, "A"));
    send(again, register("g7", "A"));
    assertEquals(1300, groups(again, "").size(), "a group known before the restart is not added again");
  }
}
