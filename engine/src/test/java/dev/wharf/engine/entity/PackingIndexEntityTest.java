package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wharf.proto.CheckGroup;
import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.ListGroups;
import dev.wharf.proto.MergeGroupReply;
import dev.wharf.proto.PackingIndexCommand;
import dev.wharf.proto.PackingIndexReply;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

/** The packing index with merge groups whose answers to drop checks the test gives, when it chooses. */
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

  /** Each group's answer to the index's check, completed by the test. */
  private final Map<String, CompletableFuture<MergeGroupReply>> answers = new ConcurrentHashMap<>();

  private ActorRef<PackingIndexEntity.Msg> index(String warehouse) {
    return testKit.spawn(PackingIndexEntity.create(warehouse,
        (groupId, command) -> answers.computeIfAbsent(groupId, id -> new CompletableFuture<>())));
  }

  /** A group's answer; the index receives it before anything the test sends after this returns. */
  private void answer(String groupId, int waiting, long sequenceNr) {
    answers.get(groupId).complete(MergeGroupReply.newBuilder().setWaiting(waiting).setSequenceNr(sequenceNr).build());
  }

  private static PackingIndexReply send(ActorRef<PackingIndexEntity.Msg> index, PackingIndexCommand command) {
    TestProbe<PackingIndexReply> probe = testKit.createTestProbe();
    index.tell(new PackingIndexEntity.Request(command, probe.getRef()));
    return probe.receiveMessage();
  }

  private static PackingIndexCommand register(String groupId, String clientId, long sequenceNr) {
    return PackingIndexCommand.newBuilder().setRegister(GroupRegistered.newBuilder()
        .setGroupId(groupId).setClientId(clientId).setSequenceNr(sequenceNr)).build();
  }

  private static PackingIndexCommand check(String... groupIds) {
    return PackingIndexCommand.newBuilder().setCheck(CheckGroup.newBuilder().addAllGroupIds(List.of(groupIds))).build();
  }

  private static List<String> groups(ActorRef<PackingIndexEntity.Msg> index, String clientId) {
    return send(index, PackingIndexCommand.newBuilder().setList(ListGroups.newBuilder().setClientId(clientId)).build())
        .getGroupsList().stream().map(GroupRegistered::getGroupId).toList();
  }

  private static String newWarehouse() {
    return "WH-" + UUID.randomUUID();
  }

  @Test
  void aGroupIsListedOnceInOrderAndByItsClient() {
    String warehouse = newWarehouse();
    var index = index(warehouse);
    send(index, register("g1", "A", 2));
    send(index, register("g2", "B", 2));
    send(index, register("g1", "A", 3)); // every order that joins g1 registers it again
    send(index, register("g3", "A", 2));
    assertEquals(List.of("g1", "g2", "g3"), groups(index, ""));
    assertEquals(List.of("g1", "g3"), groups(index, "A"));
    assertEquals(List.of(), groups(index, "C"));
    PersistenceTestKit journal = new PersistenceTestKit(Adapter.toClassic(testKit.system()));
    assertEquals(3, journal.persistedInStorage(PackingIndexEntity.TYPE_KEY.name() + "|" + warehouse).size(),
        "a known group writes nothing");
  }

  @Test
  void aDrainedGroupIsDroppedUntilAnOrderJoinsItAgainAlsoAfterARestart() {
    String warehouse = newWarehouse();
    var index = index(warehouse);
    send(index, register("g1", "A", 2));
    send(index, register("g2", "A", 2));
    send(index, check("g1"));
    answer("g1", 0, 5);
    assertEquals(List.of("g2"), groups(index, "A"));
    send(index, check("g1")); // a check of a group already dropped asks nothing
    testKit.stop(index);
    var again = index(warehouse);
    assertEquals(List.of("g2"), groups(again, ""), "the drop survives a restart");
    send(again, register("g1", "A", 6));
    assertEquals(List.of("g2", "g1"), groups(again, "A"), "the next order brings the group back");
  }

  @Test
  void aGroupAnOrderJoinedWhileItWasCheckedStays() {
    var index = index(newWarehouse());
    send(index, register("g1", "A", 2));
    send(index, register("g2", "A", 2));
    send(index, check("g1"));
    send(index, check("g2"));
    // both groups answer "empty at 5", but orders joined them after that answer, and their
    // registers reached the index first: one from this node (position 7), one from an older node
    // that sends no position
    send(index, register("g1", "A", 7));
    send(index, register("g2", "A", 0));
    answer("g1", 0, 5);
    answer("g2", 0, 5);
    assertEquals(List.of("g1", "g2"), groups(index, "A"));
    // and one whose order's register comes right after the answer: before or after the drop is
    // written, the group ends up listed
    send(index, register("g3", "A", 2));
    send(index, check("g3"));
    answer("g3", 0, 5);
    send(index, register("g3", "A", 8));
    assertEquals(List.of("g1", "g2", "g3"), groups(index, "A"));
  }

  @Test
  void aGroupWithOrdersWaitingOrThatDidNotAnswerStays() {
    var index = index(newWarehouse());
    send(index, register("g1", "A", 2));
    send(index, register("g2", "A", 2));
    send(index, register("g3", "A", 2));
    send(index, check("g1", "g2", "g3"));
    answer("g1", 2, 5);
    answers.get("g2").completeExceptionally(new IllegalStateException("timed out"));
    answer("g3", 0, 2); // nothing waits and nothing joined since: dropped
    assertEquals(List.of("g1", "g2"), groups(index, "A"));
  }

  @Test
  void aRestartedIndexHasEveryGroupInOrderFromItsSnapshotAndEvents() {
    String warehouse = newWarehouse();
    var index = index(warehouse);
    List<String> expected = IntStream.range(0, 1300).mapToObj(i -> "g" + i).toList();
    expected.forEach(g -> send(index, register(g, "A", 2)));
    List<Long> snapshots = new SnapshotTestKit(Adapter.toClassic(testKit.system()))
        .persistedInStorage(PackingIndexEntity.TYPE_KEY.name() + "|" + warehouse).stream()
        .map(snapshot -> snapshot.first().sequenceNr()).toList();
    assertEquals(List.of(500L, 1000L), snapshots, "500 events, then half the index's size in events");
    testKit.stop(index);
    var again = index(warehouse);
    assertEquals(expected, groups(again, "A"));
    send(again, register("g7", "A", 3));
    assertEquals(1300, groups(again, "").size(), "a group known before the restart is not added again");
  }
}
