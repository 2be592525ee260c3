package dev.wharf.engine.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.Identifiers;
import dev.wharf.engine.domain.RecipientKey;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.AddOrderToGroup;
import dev.wharf.proto.BuildPackages;
import dev.wharf.proto.GetPackage;
import dev.wharf.proto.GetWaiting;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.MergeGroupOpened;
import dev.wharf.proto.MergeGroupReply;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.PackFailure;
import dev.wharf.proto.OrderStatus;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.OrderRemovedFromPackage;
import dev.wharf.proto.OrderWaiting;
import dev.wharf.proto.Package;
import dev.wharf.proto.PackageConfirmed;
import dev.wharf.proto.PackageShipped;
import dev.wharf.proto.PackageState;
import dev.wharf.proto.PackagesBuilt;
import dev.wharf.proto.Recipient;
import dev.wharf.proto.RemoveOrderFromPackage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The merge group entity with scripted orders (their own behaviour is covered by OrderEntityTest
 * and, together with real groups, by PackagingApiTest).
 */
class MergeGroupEntityTest {
  private static ActorTestKit testKit;
  private static PersistenceTestKit journal;
  private static final Recipient RECIPIENT = Recipient.newBuilder().setName("Junjun Dy").setPhone("639325122495")
      .setCountry("PH").setPostalCode("2307").setAddress1("12 Rizal St").build();

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("merge", EntityTestKit.config());
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Orders as the group sees them: a status each; PACK moves RELEASED to PACKED, and is recorded. */
  private static final class ScriptedOrders implements OrderGateway {
    final Map<String, OrderStatus> status = new ConcurrentHashMap<>();
    final List<String> packed = new CopyOnWriteArrayList<>();
    final List<String> unpacked = new CopyOnWriteArrayList<>();
    final List<String> shipped = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<OrderReply> ask(String orderId, OrderCommand command) {
      OrderStatus s = status.getOrDefault(orderId, OrderStatus.RELEASED);
      if (command.hasPack()) {
        if (s != OrderStatus.RELEASED && s != OrderStatus.PACKED) {
          return CompletableFuture.completedFuture(OrderReply.newBuilder()
              .setRejection(Rejections.invalidState(s.name(), "cannot pack")).build());
        }
        packed.add(orderId);
        status.put(orderId, OrderStatus.PACKED);
        s = OrderStatus.PACKED;
      } else if (command.hasUnpack()) {
        unpacked.add(orderId);
        status.put(orderId, s = OrderStatus.RELEASED);
      } else if (command.hasShip()) {
        shipped.add(orderId);
        status.put(orderId, s = OrderStatus.SHIPPED);
      }
      return CompletableFuture.completedFuture(OrderReply.newBuilder().setOrder(OrderView.newBuilder()
          .setOrderId(orderId).setStatus(s).setWarehouseId("W").setRecipient(RECIPIENT)).build());
    }
  }

  private static MergeGroupOpened opened() {
    return MergeGroupOpened.newBuilder().setWarehouseId("W").setClientId("C")
        .setRecipientKey(RecipientKey.of(RECIPIENT)).setRecipient(RECIPIENT).build();
  }

  private static MergeGroupReply send(ActorRef<MergeGroupEntity.Msg> group, MergeGroupCommand c) {
    TestProbe<MergeGroupReply> probe = testKit.createTestProbe();
    group.tell(new MergeGroupEntity.Request(c, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static MergeGroupCommand add(String orderId) {
    return MergeGroupCommand.newBuilder().setAdd(AddOrderToGroup.newBuilder().setOrderId(orderId).setGroup(opened())).build();
  }

  private static MergeGroupCommand build(int max) {
    return MergeGroupCommand.newBuilder().setBuild(BuildPackages.newBuilder().setCarrier("JNT").setMaxOrdersPerPackage(max)).build();
  }

  private static String newGroupId() {
    return Identifiers.mergeGroupId("W", "C-" + UUID.randomUUID(), RecipientKey.of(RECIPIENT));
  }

  @Test
  void buildsPackagesOfAtMostNAndAddIsIdempotent() {
    ScriptedOrders orders = new ScriptedOrders();
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    for (int i = 0; i < 40; i++) {
      send(group, add("o" + i));
      send(group, add("o" + i));
    }
    MergeGroupReply built = send(group, build(15));
    assertEquals(List.of(15, 15, 10), built.getPackagesList().stream().map(Package::getOrderIdsCount).toList());
    assertEquals(40, new HashSet<>(orders.packed).size());
    assertTrue(built.getPackagesList().stream().allMatch(Package::getConfirmed));
    assertEquals(0, send(group, build(15)).getPackagesCount());
  }

  /** What the packing index's drop check reads: the orders waiting and the group's journal position (decision 0024). */
  @Test
  void addsAndChecksTellHowManyOrdersWaitAndWhereTheJournalStands() {
    ScriptedOrders orders = new ScriptedOrders();
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    MergeGroupCommand getWaiting = MergeGroupCommand.newBuilder().setGetWaiting(GetWaiting.getDefaultInstance()).build();
    assertEquals(0, send(group, getWaiting).getSequenceNr(), "a group nobody joined");
    MergeGroupReply first = send(group, add("o1")); // opened + waiting
    assertEquals(List.of(1, 2L), List.of(first.getWaiting(), first.getSequenceNr()));
    MergeGroupReply second = send(group, add("o2"));
    assertEquals(List.of(2, 3L), List.of(second.getWaiting(), second.getSequenceNr()));
    MergeGroupReply again = send(group, add("o2"));
    assertEquals(List.of(2, 3L), List.of(again.getWaiting(), again.getSequenceNr()), "a repeated add writes nothing");
    send(group, build(15));
    MergeGroupReply drained = send(group, getWaiting);
    assertEquals(0, drained.getWaiting());
    assertTrue(drained.getSequenceNr() > 3, "the build wrote its package: " + drained.getSequenceNr());
    MergeGroupReply rejoined = send(group, add("o3"));
    assertEquals(1, rejoined.getWaiting());
    assertEquals(drained.getSequenceNr() + 1, rejoined.getSequenceNr(), "a join after the drain has a later position");
  }

  @Test
  void aGroupAskedToStopMidBuildFinishesTheBuildFirst() {
    ScriptedOrders scripted = new ScriptedOrders();
    CompletableFuture<Void> ordersAnswer = new CompletableFuture<>();
    OrderGateway held = (orderId, command) -> ordersAnswer.thenCompose(v -> scripted.ask(orderId, command));
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), held));
    for (int i = 0; i < 3; i++) {
      send(group, add("o" + i));
    }
    TestProbe<MergeGroupReply> builder = testKit.createTestProbe();
    group.tell(new MergeGroupEntity.Request(build(10), builder.getRef()));
    group.tell(MergeGroupEntity.Stop.INSTANCE);

    ordersAnswer.complete(null);
    MergeGroupReply built = builder.receiveMessage(Duration.ofSeconds(10));
    assertEquals(1, built.getPackagesCount());
    assertTrue(built.getPackages(0).getConfirmed());
    testKit.createTestProbe().expectTerminated(group, Duration.ofSeconds(10));
  }

  @Test
  void concurrentBuildsWaitForEachOther() {
    ScriptedOrders orders = new ScriptedOrders();
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    for (int i = 0; i < 20; i++) {
      send(group, add("o" + i));
    }
    TestProbe<MergeGroupReply> probe = testKit.createTestProbe();
    for (int i = 0; i < 5; i++) {
      group.tell(new MergeGroupEntity.Request(build(7), probe.getRef()));
    }
    Set<String> seen = new HashSet<>();
    for (MergeGroupReply r : probe.receiveSeveralMessages(5, Duration.ofSeconds(10))) {
      r.getPackagesList().forEach(p -> p.getOrderIdsList().forEach(id -> assertTrue(seen.add(id), "twice: " + id)));
    }
    assertEquals(20, seen.size());
  }

  @Test
  void ineligibleOrdersFailTheBuildWithTheirReason() {
    ScriptedOrders orders = new ScriptedOrders();
    orders.status.put("frozen", OrderStatus.FROZEN);
    orders.status.put("void", OrderStatus.VOID);
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    List.of("a", "frozen", "b", "void").forEach(id -> send(group, add(id)));
    MergeGroupReply built = send(group, build(15));
    assertEquals(List.of("a", "b"), built.getPackages(0).getOrderIdsList());
    assertEquals(Map.of("frozen", "ORDER_FROZEN", "void", "ORDER_VOID"),
        Map.of(built.getFailures(0).getOrderId(), built.getFailures(0).getCode(),
            built.getFailures(1).getOrderId(), built.getFailures(1).getCode()));
  }

  /** A build that packs nothing still ends its operation, so saga recovery does not wake the group at every scan. */
  @Test
  void aBuildThatPacksNothingClosesItsOperation() {
    ScriptedOrders orders = new ScriptedOrders();
    orders.status.put("frozen", OrderStatus.FROZEN);
    String groupId = newGroupId();
    var group = testKit.spawn(MergeGroupEntity.create(groupId, orders));
    send(group, add("frozen"));
    MergeGroupReply built = send(group, build(15));
    assertEquals(List.of(0, 1), List.of(built.getPackagesCount(), built.getFailuresCount()), built::toString);
    List<Object> written = journal.persistedInStorage("MergeGroup|" + groupId);
    Object last = written.get(written.size() - 1);
    assertTrue(MergeGroupEntity.OPERATION_CLOSERS.contains(((com.google.protobuf.Message) last).getDescriptorForType().getFullName()),
        "the last write closes the operation: " + written);
  }

  @Test
  void aGroupThatCrashedAfterBuildingHasItsOrdersPackedOnRecovery() {
    String groupId = newGroupId();
    Package pkg = Package.newBuilder().setPackageId(groupId + "~P1").addOrderIds("x").addOrderIds("y")
        .setState(PackageState.PACKAGE_OPEN).setCarrier("JNT").build();
    journal.persistForRecovery("MergeGroup|" + groupId, List.of(opened(),
        OrderWaiting.newBuilder().setOrderId("x").build(), OrderWaiting.newBuilder().setOrderId("y").build(),
        PackagesBuilt.newBuilder().addPackages(pkg).setNextPackageNo(2).build()));
    ScriptedOrders orders = new ScriptedOrders();
    testKit.spawn(MergeGroupEntity.create(groupId, orders));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(Set.of("x", "y"), new HashSet<>(orders.packed));
      return null;
    });
  }

  private static MergeGroupCommand remove(String packageId, String orderId) {
    return MergeGroupCommand.newBuilder().setRemove(RemoveOrderFromPackage.newBuilder().setPackageId(packageId)
        .setOrderId(orderId).setReason("damaged")).build();
  }

  /** A removal retried after its answer was lost is answered as done, so the caller registers the group again. */
  @Test
  void aRemovalAskedAgainIsAnsweredAsDone() {
    ScriptedOrders orders = new ScriptedOrders();
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    send(group, add("a"));
    String packageId = send(group, build(15)).getPackages(0).getPackageId();
    MergeGroupReply removed = send(group, remove(packageId, "a"));
    assertEquals(1, removed.getWaiting(), removed::toString);
    MergeGroupReply again = send(group, remove(packageId, "a"));
    assertEquals(List.of(false, 1, removed.getSequenceNr()), List.of(again.hasRejection(), again.getWaiting(), again.getSequenceNr()),
        again::toString);
    assertEquals(List.of("a"), orders.unpacked, "the order is told once");
    assertEquals(Rejections.NOT_FOUND, send(group, remove(packageId, "b")).getRejection().getCode());
  }

  /** Only the package the order was taken out of makes a retry; a snapshot remembers which one it was. */
  @Test
  void aRemovalNamingAPackageTheWaitingOrderWasNeverInIsNotFoundAfterARestartToo() {
    String groupId = newGroupId();
    ScriptedOrders orders = new ScriptedOrders();
    var group = testKit.spawn(MergeGroupEntity.create(groupId, orders));
    send(group, add("a"));
    send(group, add("b"));
    String packageId = send(group, build(1)).getPackages(0).getPackageId();
    String otherPackageId = groupId + "~P2";
    assertEquals(1, send(group, remove(packageId, "a")).getWaiting());
    assertEquals(Rejections.NOT_FOUND, send(group, remove(otherPackageId, "a")).getRejection().getCode(),
        "a waiting order is not in package P2");
    assertEquals(Rejections.NOT_FOUND, send(group, remove(groupId + "~P9", "a")).getRejection().getCode());
    // more events than the snapshot interval, so the removal is recovered from the snapshot
    for (int i = 0; i < 110; i++) {
      send(group, add("w" + i));
    }
    testKit.stop(group);
    var restarted = testKit.spawn(MergeGroupEntity.create(groupId, orders));
    MergeGroupReply retried = send(restarted, remove(packageId, "a"));
    assertEquals(false, retried.hasRejection(), retried::toString);
    assertEquals(Rejections.NOT_FOUND, send(restarted, remove(otherPackageId, "a")).getRejection().getCode());
    assertEquals(List.of("a"), orders.unpacked, "the order is told once");
  }

  /**
   * Work a crash interrupted, which nobody asks for again: a ship persisted but not told to its
   * orders, and a removal not told to its order. Recovery finishes both; the saga scan's
   * openers and closers say such a group must be woken (and one that finished need not be).
   */
  @Test
  void aGroupThatCrashedMidShipOrMidRemovalFinishesItOnRecovery() {
    String groupId = newGroupId();
    Package pkg = Package.newBuilder().setPackageId(groupId + "~P1").addOrderIds("x").addOrderIds("y").addOrderIds("z")
        .setState(PackageState.PACKAGE_OPEN).setCarrier("JNT").build();
    List<Object> events = List.of(opened(),
        OrderWaiting.newBuilder().setOrderId("x").build(), OrderWaiting.newBuilder().setOrderId("y").build(),
        OrderWaiting.newBuilder().setOrderId("z").build(),
        PackagesBuilt.newBuilder().addPackages(pkg).setNextPackageNo(2).build(),
        PackageConfirmed.newBuilder().setPackageId(pkg.getPackageId()).build(),
        OrderRemovedFromPackage.newBuilder().setPackageId(pkg.getPackageId()).setOrderId("x").setBackToWaiting(true).build());
    assertTrue(MergeGroupEntity.opensOperation((com.google.protobuf.Message) events.get(events.size() - 1)));
    journal.persistForRecovery("MergeGroup|" + groupId, events);
    ScriptedOrders orders = new ScriptedOrders();
    orders.status.put("y", OrderStatus.PACKED);
    orders.status.put("z", OrderStatus.PACKED);
    var group = testKit.spawn(MergeGroupEntity.create(groupId, orders));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(List.of("x"), orders.unpacked);
      return null;
    });
    MergeGroupReply retried = send(group, remove(pkg.getPackageId(), "x"));
    assertEquals(1, retried.getWaiting(), retried::toString);
    assertEquals(List.of("x"), orders.unpacked);
    testKit.stop(group);

    journal.persistForRecovery("MergeGroup|" + groupId,
        List.of(PackageShipped.newBuilder().setPackageId(pkg.getPackageId()).setCarrier("JNT").setTrackingNo("T-1").build()));
    var restarted = testKit.spawn(MergeGroupEntity.create(groupId, orders));
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(Set.of("y", "z"), Set.copyOf(orders.shipped));
      return null;
    });
    MergeGroupReply shipped = send(restarted, MergeGroupCommand.newBuilder().setGetPackage(GetPackage.newBuilder()
        .setPackageId(pkg.getPackageId())).build());
    assertTrue(shipped.getPackages(0).getConfirmed(), shipped::toString);
    List<Object> written = journal.persistedInStorage("MergeGroup|" + groupId);
    Object last = written.get(written.size() - 1);
    assertTrue(MergeGroupEntity.OPERATION_CLOSERS.contains(((com.google.protobuf.Message) last).getDescriptorForType().getFullName()),
        "the last write closes the operation: " + written);
  }

  @Test
  void buildRefusesANonPositiveLimit() {
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), new ScriptedOrders()));
    send(group, add("a"));
    assertEquals("VALIDATION", send(group, build(0)).getRejection().getCode());
    assertEquals(new ArrayList<>(List.of(1)), new ArrayList<>(
        send(group, build(1)).getPackagesList().stream().map(Package::getOrderIdsCount).toList()));
  }

  /**
   * An order that does not answer the build's check (it may be waiting for this very group, its
   * question held by sharding while it finishes a step) is left out of that build, not waited for:
   * the others are packed, and it is packed by the next build once it answers.
   */
  @Test
  void anOrderThatDoesNotAnswerTheCheckWaitsForTheNextBuild() {
    ScriptedOrders answering = new ScriptedOrders();
    Set<String> silent = ConcurrentHashMap.newKeySet();
    OrderGateway orders = (orderId, command) -> silent.contains(orderId)
        ? CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("ask timed out"))
        : answering.ask(orderId, command);
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    send(group, add("o1"));
    send(group, add("o2"));
    silent.add("o2");
    MergeGroupReply first = send(group, build(10));
    assertEquals(List.of(List.of("o1")), first.getPackagesList().stream().map(Package::getOrderIdsList).toList());
    assertEquals(0, first.getFailuresCount(), "not a failure: it stays waiting");
    silent.clear();
    MergeGroupReply second = send(group, build(10));
    assertEquals(List.of(List.of("o2")), second.getPackagesList().stream().map(Package::getOrderIdsList).toList());
  }

  /**
   * An order being packed may first have to finish its own join step (a retried join, after a
   * restart): the group answers a join it already has while it packs, instead of holding it
   * behind the packing, which would wait for that order for ever.
   */
  @Test
  void aJoinTheGroupAlreadyHasIsAnsweredWhileItPacks() {
    ScriptedOrders scripted = new ScriptedOrders();
    String groupId = newGroupId();
    List<ActorRef<MergeGroupEntity.Msg>> self = new CopyOnWriteArrayList<>();
    OrderGateway orders = (orderId, command) -> {
      if (!command.hasPack()) {
        return scripted.ask(orderId, command);
      }
      // the order answers the packing only once its retried join has been answered
      CompletableFuture<MergeGroupReply> joined = new CompletableFuture<>();
      TestProbe<MergeGroupReply> probe = testKit.createTestProbe();
      self.get(0).tell(new MergeGroupEntity.Request(add(orderId), probe.getRef()));
      CompletableFuture.runAsync(() -> joined.complete(probe.receiveMessage(Duration.ofSeconds(5))));
      return joined.thenCompose(r -> scripted.ask(orderId, command));
    };
    var group = testKit.spawn(MergeGroupEntity.create(groupId, orders));
    self.add(group);
    send(group, add("o1"));
    MergeGroupReply built = send(group, build(10));
    assertEquals(List.of(List.of("o1")), built.getPackagesList().stream().map(Package::getOrderIdsList).toList());
    assertEquals(List.of("o1"), scripted.packed);
  }

  private static final MergeGroupCommand GET_WAITING =
      MergeGroupCommand.newBuilder().setGetWaiting(GetWaiting.getDefaultInstance()).build();

  /**
   * An order frozen when the build's check asked it, unfrozen and joining again before the check
   * ends (another order is slow to answer): its FROZEN answer is out of date, so it does not fail
   * the build and leave the group; it waits, and the next build packs it.
   */
  @Test
  void anOrderUnfrozenDuringTheCheckWaitsForTheNextBuild() {
    ScriptedOrders scripted = new ScriptedOrders();
    scripted.status.put("o1", OrderStatus.FROZEN);
    CompletableFuture<Void> o2Answers = new CompletableFuture<>();
    CompletableFuture<Void> o1Asked = new CompletableFuture<>();
    OrderGateway orders = (orderId, command) -> {
      if (orderId.equals("o2") && command.hasGet()) {
        return o2Answers.thenCompose(v -> scripted.ask(orderId, command));
      }
      CompletionStage<OrderReply> answer = scripted.ask(orderId, command);
      if (orderId.equals("o1") && command.hasGet()) {
        o1Asked.complete(null);
      }
      return answer;
    };
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    send(group, add("o1"));
    send(group, add("o2"));
    TestProbe<MergeGroupReply> builder = testKit.createTestProbe();
    group.tell(new MergeGroupEntity.Request(build(10), builder.getRef()));
    o1Asked.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join(); // it answered FROZEN
    scripted.status.put("o1", OrderStatus.RELEASED); // unfrozen: it joins again
    assertEquals(2, send(group, add("o1")).getWaiting(), "answered while the check waits for o2");
    o2Answers.complete(null);
    MergeGroupReply built = builder.receiveMessage(Duration.ofSeconds(10));
    assertEquals(List.of(List.of("o2")), built.getPackagesList().stream().map(Package::getOrderIdsList).toList());
    assertEquals(0, built.getFailuresCount(), built::toString);
    assertEquals(1, send(group, GET_WAITING).getWaiting(), "o1 still waits");
    MergeGroupReply next = send(group, build(10));
    assertEquals(List.of(List.of("o1")), next.getPackagesList().stream().map(Package::getOrderIdsList).toList());
  }

  /**
   * An order that refuses to be packed (frozen after the check) and joins again, unfrozen, while
   * the packing still waits for another order, leaves its package back to waiting, not out of the
   * group: otherwise it would be RELEASED in no package and waiting nowhere, never shipped.
   */
  @Test
  void anOrderUnfrozenWhileItsPackageIsPackedWaitsAgain() {
    ScriptedOrders scripted = new ScriptedOrders();
    CompletableFuture<Void> o2Packs = new CompletableFuture<>();
    CompletableFuture<Void> o1PackAsked = new CompletableFuture<>();
    OrderGateway orders = (orderId, command) -> {
      if (orderId.equals("o2") && command.hasPack()) {
        return o2Packs.thenCompose(v -> scripted.ask(orderId, command));
      }
      CompletionStage<OrderReply> answer = scripted.ask(orderId, command);
      if (orderId.equals("o1") && command.hasGet() && !o1PackAsked.isDone()) {
        scripted.status.put("o1", OrderStatus.FROZEN); // frozen right after it passed the check
      } else if (orderId.equals("o1") && command.hasPack()) {
        o1PackAsked.complete(null);
      }
      return answer;
    };
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    send(group, add("o1"));
    send(group, add("o2"));
    TestProbe<MergeGroupReply> builder = testKit.createTestProbe();
    group.tell(new MergeGroupEntity.Request(build(10), builder.getRef()));
    o1PackAsked.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    scripted.status.put("o1", OrderStatus.RELEASED); // unfrozen: it joins again
    send(group, add("o1"));
    o2Packs.complete(null);
    MergeGroupReply built = builder.receiveMessage(Duration.ofSeconds(10));
    assertEquals(List.of(List.of("o2")), built.getPackagesList().stream().map(Package::getOrderIdsList).toList());
    assertEquals(List.of("o1"), built.getFailuresList().stream().map(PackFailure::getOrderId).toList());
    assertEquals(1, send(group, GET_WAITING).getWaiting(), "o1 waits again");
    MergeGroupReply next = send(group, build(10));
    assertEquals(List.of(List.of("o1")), next.getPackagesList().stream().map(Package::getOrderIdsList).toList());
    assertEquals(List.of("o2", "o1"), scripted.packed);
  }

  /** A failed write stops the group, maybe mid-operation, with nobody bound to ask it again: it asks to be woken. */
  @Test
  void aGroupStoppedByAFailedWriteAsksToBeWoken() {
    ScriptedOrders orders = new ScriptedOrders();
    String groupId = newGroupId();
    List<String> wakeups = new CopyOnWriteArrayList<>();
    var group = testKit.spawn(MergeGroupEntity.create(groupId, orders, false, wakeups::add));
    send(group, add("o1"));
    journal.failNextPersisted(MergeGroupEntity.TYPE_KEY.name() + "|" + groupId);
    group.tell(new MergeGroupEntity.Request(build(10), testKit.<MergeGroupReply>createTestProbe().getRef()));
    testKit.createTestProbe().expectTerminated(group, Duration.ofSeconds(10));
    assertEquals(List.of(groupId), wakeups);
  }

  /**
   * A join sent again during a build by an order that did not change (a retried join step, after
   * a hand-off) does not keep it out of that build: its answer, RELEASED, stands.
   */
  @Test
  void aRetriedJoinDuringTheCheckDoesNotKeepAReleasedOrderOutOfTheBuild() {
    ScriptedOrders scripted = new ScriptedOrders();
    CompletableFuture<Void> o2Answers = new CompletableFuture<>();
    OrderGateway orders = (orderId, command) -> orderId.equals("o2") && command.hasGet()
        ? o2Answers.thenCompose(v -> scripted.ask(orderId, command))
        : scripted.ask(orderId, command);
    var group = testKit.spawn(MergeGroupEntity.create(newGroupId(), orders));
    send(group, add("o1"));
    send(group, add("o2"));
    TestProbe<MergeGroupReply> builder = testKit.createTestProbe();
    group.tell(new MergeGroupEntity.Request(build(10), builder.getRef()));
    send(group, add("o1")); // answered while the check waits for o2
    o2Answers.complete(null);
    MergeGroupReply built = builder.receiveMessage(Duration.ofSeconds(10));
    assertEquals(List.of(List.of("o1", "o2")), built.getPackagesList().stream().map(Package::getOrderIdsList).toList());
  }
}
