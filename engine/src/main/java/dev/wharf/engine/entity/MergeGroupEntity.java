package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.PackagePlanner;
import dev.wharf.engine.domain.PackagePlanner.Candidate;
import dev.wharf.engine.domain.PackagePlanner.Eligibility;
import dev.wharf.engine.domain.RecipientKey;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.GetOrder;
import dev.wharf.proto.MergeGroupCommand;
import dev.wharf.proto.MergeGroupOpened;
import dev.wharf.proto.MergeGroupReply;
import dev.wharf.proto.MergeGroupSnapshot;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderRemovedFromPackage;
import dev.wharf.proto.OrderUnpackConfirmed;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.OrderWaiting;
import dev.wharf.proto.Package;
import dev.wharf.proto.PackageConfirmed;
import dev.wharf.proto.PackageShipped;
import dev.wharf.proto.PackageState;
import dev.wharf.proto.PackFailure;
import dev.wharf.proto.PackOrder;
import dev.wharf.proto.PackagesBuilt;
import dev.wharf.proto.Rejection;
import dev.wharf.proto.ShipOrder;
import dev.wharf.proto.ShipPackage;
import dev.wharf.proto.UnpackOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Released orders of one client to one recipient in one warehouse, and the packages they are
 * combined into. The group is the only writer of its packages, and a build, a removal or a ship
 * holds every other command of the group (stash) until its orders have confirmed: no order ends
 * up in two packages, however many builds run at once.
 */
public final class MergeGroupEntity
    extends EventSourcedBehaviorWithEnforcedReplies<MergeGroupEntity.Msg, Message, MergeGroupEntity.Group> {

  public static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "MergeGroup");

  public interface Msg {}

  public record Request(MergeGroupCommand command, ActorRef<MergeGroupReply> replyTo)
      implements Msg, EntityRequest<MergeGroupCommand, MergeGroupReply> {}

  /** Local only: an order's answer within operation {@code opId}. */
  record OrderAnswered(int opId, String orderId, OrderReply reply, Throwable failure) implements Msg {}

  /** Local only: ask an order again. */
  record RetryOrder(int opId, String orderId) implements Msg {}

  /**
   * Sharding's stop message (passivation or hand-off): a group waiting for its orders finishes
   * that operation first, as a stopped group would leave its packages half confirmed until its
   * next request (decision 0014).
   */
  public enum Stop implements Msg { INSTANCE }

  /** The group as its events built it. */
  public static final class Group {
    MergeGroupOpened opened;
    final Set<String> waiting = new LinkedHashSet<>();
    final Map<String, Package> packages = new LinkedHashMap<>();
    // removals back to waiting whose order has not been told yet, by order id
    final Map<String, OrderRemovedFromPackage> pendingUnpacks = new LinkedHashMap<>();
    // the packages each order was taken out of back to waiting: a retried removal is known as done
    final Map<String, Set<String>> removedFrom = new HashMap<>();
    long nextPackageNo = 1;

    /** Waiting, or in a package of this group (a shipped one too: a late join changes nothing). */
    boolean holds(String orderId) {
      return waiting.contains(orderId) || packages.values().stream().anyMatch(p -> p.getOrderIdsList().contains(orderId));
    }
  }

  /** What the group is waiting for from its orders; while set, other requests are stashed. */
  private final class Operation {
    final int id;
    final String kind; // CHECK (before a build), PACK, SHIP, UNPACK
    final ActorRef<MergeGroupReply> replyTo;
    final Map<String, OrderCommand> pending = new LinkedHashMap<>();
    final Map<String, OrderReply> answers = new HashMap<>();
    /** CHECK only: waiting orders that did not answer, left out of this build. */
    final Set<String> unanswered = new LinkedHashSet<>();
    /**
     * Orders that joined again while it ran (an unfrozen order does): their answer may be from
     * before they changed, so a refusal does not take them out of the group; they wait for the
     * next build (a RELEASED answer packs them as usual: the pack asks them again).
     */
    final Set<String> rejoined = new HashSet<>();
    String packageId = "";
    String carrier = "";
    int maxOrders;
    List<PackFailure> failures = List.of();

    Operation(int id, String kind, ActorRef<MergeGroupReply> replyTo) {
      this.id = id;
      this.kind = kind;
      this.replyTo = replyTo;
    }
  }

  private final String groupId;
  private final ActorContext<Msg> context;
  private final TimerScheduler<Msg> timers;
  private final OrderGateway orders;
  private Operation op;
  private int lastOpId;
  // work still owed after a restart: packs or ships persisted but not confirmed, removals not told
  private final List<Runnable> resumeQueue = new ArrayList<>();
  private final boolean tagOperations;
  private final Wakeups wakeups;

  public static Behavior<Msg> create(String groupId, OrderGateway orders) {
    return create(groupId, orders, false);
  }

  public static Behavior<Msg> create(String groupId, OrderGateway orders, boolean tagOperations) {
    return create(groupId, orders, tagOperations, Wakeups.NONE);
  }

  /**
   * {@code tagOperations}: tag the events that open and close operations, for saga recovery by tag
   * (0010); {@code wakeups}: who wakes the group when a failed write has stopped it.
   */
  public static Behavior<Msg> create(String groupId, OrderGateway orders, boolean tagOperations, Wakeups wakeups) {
    return Behaviors.withTimers(timers -> Behaviors.setup(
        ctx -> new MergeGroupEntity(groupId, ctx, timers, orders, tagOperations, wakeups)));
  }

  private MergeGroupEntity(String groupId, ActorContext<Msg> context, TimerScheduler<Msg> timers, OrderGateway orders,
                           boolean tagOperations, Wakeups wakeups) {
    super(PersistenceId.of(TYPE_KEY.name(), groupId));
    this.groupId = groupId;
    this.context = context;
    this.timers = timers;
    this.orders = orders;
    this.tagOperations = tagOperations;
    this.wakeups = wakeups;
  }

  /**
   * Protobuf names of the events that start an operation the group's orders must hear of, and of
   * those that end one. Operations run one at a time and each ends with one write, so a group whose
   * last such event opens one has work a crash interrupted: saga recovery wakes it (decision 0005).
   */
  public static final Set<String> OPERATION_OPENERS = Set.of(PackagesBuilt.getDescriptor().getFullName(),
      PackageShipped.getDescriptor().getFullName(), OrderRemovedFromPackage.getDescriptor().getFullName());
  public static final Set<String> OPERATION_CLOSERS = Set.of(PackageConfirmed.getDescriptor().getFullName(),
      OrderUnpackConfirmed.getDescriptor().getFullName());

  public static boolean opensOperation(Message event) {
    return OPERATION_OPENERS.contains(event.getDescriptorForType().getFullName());
  }

  @Override
  public Set<String> tagsFor(Message event) {
    String name = event.getDescriptorForType().getFullName();
    return tagOperations && (OPERATION_OPENERS.contains(name) || OPERATION_CLOSERS.contains(name))
        ? Set.of(OrderEntity.SAGA_TAG) : Set.of();
  }

  @Override
  public Group emptyState() {
    return new Group();
  }

  @Override
  public CommandHandlerWithReply<Msg, Message, Group> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(OrderAnswered.class, this::onOrderAnswered)
        .onCommand(RetryOrder.class, (g, retry) -> {
          if (op != null && op.id == retry.opId() && op.pending.containsKey(retry.orderId())) {
            ask(retry.orderId(), op.pending.get(retry.orderId()));
          }
          return Effect().noReply();
        })
        // every operation unstashes when it ends, so the stop comes back then
        .onCommand(Stop.class, (g, stop) -> op != null ? Effect().stash() : Effect().stop().thenNoReply())
        .build();
  }

  // ---------------------------------------------------------------- requests

  private ReplyEffect<Message, Group> onRequest(Group group, Request request) {
    MergeGroupCommand c = request.command();
    ActorRef<MergeGroupReply> replyTo = request.replyTo();
    if (c.hasResume()) {
      return Effect().reply(replyTo, positioned(group).build()); // recovering has resumed the work
    }
    if (op != null && c.hasAdd() && group.opened != null && group.holds(c.getAdd().getOrderId())) {
      // a join the group already has changes nothing: answered now, not behind the operation,
      // which may be waiting for that very order (it finishes its join step before anything else)
      op.rejoined.add(c.getAdd().getOrderId());
      return Effect().reply(replyTo, positioned(group).build());
    }
    if (op != null) {
      return Effect().stash(); // one build, removal or ship at a time
    }
    return switch (c.getKindCase()) {
      case ADD -> {
        String orderId = c.getAdd().getOrderId();
        if (group.opened != null && group.holds(orderId)) {
          yield Effect().reply(replyTo, positioned(group).build());
        }
        List<Message> events = new ArrayList<>(2);
        if (group.opened == null) {
          events.add(c.getAdd().getGroup());
        }
        events.add(OrderWaiting.newBuilder().setOrderId(orderId).build());
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), events).thenReply(replyTo, g -> positioned(g).build());
      }
      case GET_WAITING -> Effect().reply(replyTo, positioned(group).build());
      case RESUME -> throw new IllegalStateException("resumes are answered above");
      case BUILD -> startBuild(group, c.getBuild().getCarrier(), c.getBuild().getMaxOrdersPerPackage(), replyTo);
      case GET_PACKAGE -> {
        Package p = group.packages.get(c.getGetPackage().getPackageId());
        yield p == null ? reject(replyTo, Rejections.notFound("package " + c.getGetPackage().getPackageId()))
            : Effect().reply(replyTo, MergeGroupReply.newBuilder().setGroup(group.opened).addPackages(p).build());
      }
      case REMOVE -> removeOrder(group, c.getRemove().getPackageId(), c.getRemove().getOrderId(), c.getRemove().getReason(), replyTo);
      case SHIP -> ship(group, c.getShip(), replyTo);
      case KIND_NOT_SET -> reject(replyTo, Rejections.of(Rejections.VALIDATION, "empty command"));
    };
  }

  private ReplyEffect<Message, Group> startBuild(Group group, String carrier, int maxOrders, ActorRef<MergeGroupReply> replyTo) {
    if (maxOrders < 1) {
      return reject(replyTo, Rejections.of(Rejections.VALIDATION, "a package holds at least one order", "maxOrdersPerPackage"));
    }
    if (group.waiting.isEmpty()) {
      return Effect().reply(replyTo, MergeGroupReply.getDefaultInstance());
    }
    // first ask every waiting order where it stands: frozen, void, cancelled or moved orders stay out
    op = new Operation(++lastOpId, "CHECK", replyTo);
    op.carrier = carrier;
    op.maxOrders = maxOrders;
    OrderCommand get = OrderCommand.newBuilder().setGet(GetOrder.getDefaultInstance()).build();
    group.waiting.forEach(id -> op.pending.put(id, get));
    List.copyOf(op.pending.keySet()).forEach(id -> ask(id, get));
    return Effect().noReply();
  }

  private ReplyEffect<Message, Group> removeOrder(Group group, String packageId, String orderId, String reason,
                                                  ActorRef<MergeGroupReply> replyTo) {
    Package p = group.packages.get(packageId);
    if (group.waiting.contains(orderId) && group.removedFrom.getOrDefault(orderId, Set.of()).contains(packageId)) {
      // removed before (a retry whose first answer was lost): answered as done, so the caller
      // registers the group with the index again
      return Effect().reply(replyTo, positioned(group).addAllPackages(p == null ? List.of() : List.of(p)).build());
    }
    if (p == null) {
      return reject(replyTo, Rejections.notFound("package " + packageId));
    }
    if (p.getState() == PackageState.PACKAGE_SHIPPED) {
      return reject(replyTo, Rejections.invalidState("SHIPPED", "package " + packageId + " has shipped"));
    }
    if (!p.getOrderIdsList().contains(orderId)) {
      return reject(replyTo, Rejections.of(Rejections.NOT_FOUND, "order " + orderId + " is not in package " + packageId, "orderId"));
    }
    OrderRemovedFromPackage removed = OrderRemovedFromPackage.newBuilder().setPackageId(packageId).setOrderId(orderId)
        .setReason(reason).setBackToWaiting(true).build();
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), removed)
        .thenRun(g -> startUnpack(removed, replyTo))
        .thenNoReply();
  }

  private void startUnpack(OrderRemovedFromPackage removed, ActorRef<MergeGroupReply> replyTo) {
    op = new Operation(++lastOpId, "UNPACK", replyTo);
    op.packageId = removed.getPackageId();
    OrderCommand unpack = OrderCommand.newBuilder()
        .setUnpack(UnpackOrder.newBuilder().setPackageId(removed.getPackageId()).setReason(removed.getReason())).build();
    op.pending.put(removed.getOrderId(), unpack);
    ask(removed.getOrderId(), unpack);
  }

  private ReplyEffect<Message, Group> ship(Group group, ShipPackage command, ActorRef<MergeGroupReply> replyTo) {
    String packageId = command.getPackageId();
    String carrier = command.getCarrier();
    String trackingNo = command.getTrackingNo();
    Package p = group.packages.get(packageId);
    if (p == null) {
      return reject(replyTo, Rejections.notFound("package " + packageId));
    }
    if (p.getState() == PackageState.PACKAGE_SHIPPED) {
      if (p.getTrackingNo().equals(trackingNo) && p.getCarrier().equals(carrier) && p.getConfirmed()) {
        return Effect().reply(replyTo, MergeGroupReply.newBuilder().setGroup(group.opened).addPackages(p).build());
      }
      return reject(replyTo, Rejections.invalidState("SHIPPED",
          "package " + packageId + " already shipped with tracking no. " + p.getTrackingNo()));
    }
    if (p.getOrderIdsCount() == 0) {
      return reject(replyTo, Rejections.invalidState("EMPTY", "package " + packageId + " is empty"));
    }
    // built under a larger limit, or for another carrier: the carrier would refuse the parcel
    int max = command.getMaxOrdersPerPackage();
    if (max > 0 && p.getOrderIdsCount() > max) {
      return reject(replyTo, Rejections.of(Rejections.PACKAGE_TOO_LARGE, "package " + packageId + " holds "
          + p.getOrderIdsCount() + " orders; carrier " + carrier + " takes at most " + max
          + " per package: take orders out of it first (remove-order)", "carrier"));
    }
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), PackageShipped.newBuilder().setPackageId(packageId).setCarrier(carrier).setTrackingNo(trackingNo).build())
        .thenRun(g -> startShip(g, packageId, replyTo))
        .thenNoReply();
  }

  private void startShip(Group group, String packageId, ActorRef<MergeGroupReply> replyTo) {
    Package p = group.packages.get(packageId);
    op = new Operation(++lastOpId, "SHIP", replyTo);
    op.packageId = packageId;
    OrderCommand shipCmd = OrderCommand.newBuilder().setShip(ShipOrder.newBuilder()
        .setCarrier(p.getCarrier()).setTrackingNo(p.getTrackingNo()).setPackageId(packageId)).build();
    p.getOrderIdsList().forEach(id -> op.pending.put(id, shipCmd));
    List.copyOf(op.pending.keySet()).forEach(id -> ask(id, shipCmd));
  }

  private void startPack(Group group, List<String> packageIds, List<PackFailure> failures, ActorRef<MergeGroupReply> replyTo) {
    op = new Operation(++lastOpId, "PACK", replyTo);
    op.failures = failures;
    op.packageId = String.join(",", packageIds);
    for (String packageId : packageIds) {
      OrderCommand packCmd = OrderCommand.newBuilder().setPack(PackOrder.newBuilder().setPackageId(packageId)).build();
      group.packages.get(packageId).getOrderIdsList().forEach(id -> op.pending.put(id, packCmd));
    }
    if (op.pending.isEmpty()) {
      context.getSelf().tell(new OrderAnswered(op.id, "", null, null));
      return;
    }
    List.copyOf(op.pending.keySet()).forEach(id -> ask(id, op.pending.get(id)));
  }

  private void ask(String orderId, OrderCommand command) {
    int opId = op.id;
    context.pipeToSelf(orders.ask(orderId, command), (reply, failure) -> new OrderAnswered(opId, orderId, reply, failure));
  }

  // ---------------------------------------------------------------- answers

  private ReplyEffect<Message, Group> onOrderAnswered(Group group, OrderAnswered answer) {
    if (op == null || op.id != answer.opId()) {
      return Effect().noReply();
    }
    if (answer.failure() != null && op.kind.equals("CHECK")) {
      // the order may itself be waiting for this group (a join parked behind this build, while its
      // entity holds off stopping until that step ends and sharding holds the question meanwhile):
      // retrying would wait on each other for ever. It stays waiting, for the next build.
      context.getLog().warn("merge group {}: order {} did not answer ({}); left out of this build", groupId,
          answer.orderId(), answer.failure().toString());
      op.pending.remove(answer.orderId());
      op.unanswered.add(answer.orderId());
    } else if (answer.failure() != null) {
      context.getLog().warn("merge group {}: order {} did not answer ({}); retrying", groupId, answer.orderId(),
          answer.failure().toString());
      timers.startSingleTimer(new RetryOrder(op.id, answer.orderId()), Duration.ofSeconds(1));
      return Effect().noReply();
    } else if (op.pending.remove(answer.orderId()) != null) {
      op.answers.put(answer.orderId(), answer.reply());
    }
    if (!op.pending.isEmpty()) {
      return Effect().noReply();
    }
    Operation done = op;
    op = null;
    return switch (done.kind) {
      case "CHECK" -> finishCheck(group, done);
      case "PACK" -> finishPack(group, done);
      case "SHIP" -> EntityPersistence.persist(Effect(), TYPE_KEY.name(), PackageConfirmed.newBuilder().setPackageId(done.packageId).build())
          .thenRun(g -> answer(done.replyTo, MergeGroupReply.newBuilder().setGroup(g.opened)
              .addPackages(g.packages.get(done.packageId)).build()))
          .thenRun(this::resumeNext)
          .thenNoReply()
          .thenUnstashAll();
      default -> { // UNPACK
        String orderId = done.answers.keySet().iterator().next();
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), OrderUnpackConfirmed.newBuilder().setOrderId(orderId).build())
            // positioned: the order waits again, so the caller registers the group with the index
            .thenRun(g -> answer(done.replyTo, positioned(g)
                .addAllPackages(g.packages.containsKey(done.packageId) ? List.of(g.packages.get(done.packageId)) : List.of())
                .build()))
            .thenRun(this::resumeNext)
            .thenNoReply()
            .thenUnstashAll();
      }
    };
  }

  /** Every waiting order answered: plan the packages, persist them, then have each order packed. */
  private ReplyEffect<Message, Group> finishCheck(Group group, Operation check) {
    List<Candidate> candidates = new ArrayList<>();
    for (String orderId : group.waiting) {
      if (check.unanswered.contains(orderId)) {
        continue; // neither packed nor failed: it stays waiting
      }
      Eligibility eligibility = eligibility(group, check.answers.get(orderId));
      if (eligibility != Eligibility.RELEASED && check.rejoined.contains(orderId)) {
        continue; // its answer may be older than its join (it was unfrozen): not a failure, it waits
      }
      candidates.add(new Candidate(orderId, group.opened.getClientId(), group.opened.getWarehouseId(),
          group.opened.getRecipientKey(), eligibility));
    }
    PackagePlanner.Plan plan = new PackagePlanner(check.maxOrders).plan(candidates);
    PackagesBuilt.Builder built = PackagesBuilt.newBuilder();
    long no = group.nextPackageNo;
    List<String> packageIds = new ArrayList<>();
    for (PackagePlanner.Package p : plan.packages()) {
      String packageId = groupId + "~P" + no++;
      packageIds.add(packageId);
      built.addPackages(Package.newBuilder().setPackageId(packageId).addAllOrderIds(p.orderIds())
          .setState(PackageState.PACKAGE_OPEN).setCarrier(check.carrier));
    }
    plan.failures().forEach(f -> built.addFailures(
        PackFailure.newBuilder().setOrderId(f.orderId()).setCode(f.code()).setMessage(f.message())));
    built.setNextPackageNo(no);
    List<PackFailure> failures = built.getFailuresList();
    List<Message> events = new ArrayList<>(2);
    events.add(built.build());
    if (packageIds.isEmpty()) {
      // no package for a pack to confirm: close the operation in the same write, or every saga
      // scan would read the group as cut off mid-operation (a confirmation of no package changes nothing)
      events.add(PackageConfirmed.getDefaultInstance());
    }
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), events)
        .thenRun(g -> startPack(g, packageIds, failures, check.replyTo))
        .thenNoReply();
  }

  private static Eligibility eligibility(Group group, OrderReply reply) {
    if (reply == null || reply.hasRejection()) {
      return Eligibility.VOID;
    }
    OrderView o = reply.getOrder();
    if (!RecipientKey.sameRecipient(o.getRecipient(), group.opened.getRecipient())
        || !o.getWarehouseId().equals(group.opened.getWarehouseId())) {
      return Eligibility.ADDRESS_CHANGED;
    }
    return switch (o.getStatus()) {
      case RELEASED -> Eligibility.RELEASED;
      case FROZEN -> Eligibility.FROZEN;
      case CANCELLED -> Eligibility.CANCELLED;
      default -> Eligibility.VOID;
    };
  }

  /** Orders that refused to be packed (they changed state meanwhile) leave their package. */
  private ReplyEffect<Message, Group> finishPack(Group group, Operation pack) {
    List<Message> events = new ArrayList<>();
    List<PackFailure> failures = new ArrayList<>(pack.failures);
    Set<String> packages = new LinkedHashSet<>(pack.packageId.isEmpty() ? List.of() : List.of(pack.packageId.split(",")));
    for (String packageId : packages) {
      for (String orderId : group.packages.get(packageId).getOrderIdsList()) {
        OrderReply r = pack.answers.get(orderId);
        if (r != null && r.hasRejection()) {
          events.add(OrderRemovedFromPackage.newBuilder().setPackageId(packageId).setOrderId(orderId)
              .setReason(r.getRejection().getMessage()).setBackToWaiting(false).build());
          if (pack.rejoined.contains(orderId)) {
            // it refused while frozen, say, and has joined again since: it waits (it was never packed)
            events.add(OrderWaiting.newBuilder().setOrderId(orderId).build());
          }
          failures.add(PackFailure.newBuilder().setOrderId(orderId).setCode("ORDER_CHANGED")
              .setMessage(r.getRejection().getMessage()).build());
        }
      }
      events.add(PackageConfirmed.newBuilder().setPackageId(packageId).build());
    }
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), events)
        .thenRun(g -> answer(pack.replyTo, MergeGroupReply.newBuilder().setGroup(g.opened)
            .addAllPackages(packages.stream().filter(g.packages::containsKey).map(g.packages::get).toList())
            .addAllFailures(failures).build()))
        .thenRun(this::resumeNext)
        .thenNoReply()
        .thenUnstashAll();
  }

  private static void answer(ActorRef<MergeGroupReply> replyTo, MergeGroupReply reply) {
    if (replyTo != null) {
      replyTo.tell(reply);
    }
  }

  /** A reply saying how many orders wait and where the group's journal stands (decision 0024). */
  private MergeGroupReply.Builder positioned(Group group) {
    MergeGroupReply.Builder reply = MergeGroupReply.newBuilder()
        .setWaiting(group.waiting.size())
        .setSequenceNr(lastSequenceNumber(context));
    if (group.opened != null) {
      reply.setGroup(group.opened);
    }
    return reply;
  }

  private ReplyEffect<Message, Group> reject(ActorRef<MergeGroupReply> replyTo, Rejection r) {
    return Effect().reply(replyTo, MergeGroupReply.newBuilder().setRejection(r).build());
  }

  // ---------------------------------------------------------------- persistence

  @Override
  public EventHandler<Group, Message> eventHandler() {
    return (group, event) -> {
      if (event instanceof MergeGroupOpened e) {
        group.opened = e;
      } else if (event instanceof OrderWaiting e) {
        group.waiting.add(e.getOrderId());
      } else if (event instanceof PackagesBuilt e) {
        e.getPackagesList().forEach(p -> {
          group.packages.put(p.getPackageId(), p);
          p.getOrderIdsList().forEach(group.waiting::remove);
        });
        e.getFailuresList().forEach(f -> group.waiting.remove(f.getOrderId()));
        group.nextPackageNo = e.getNextPackageNo();
      } else if (event instanceof PackageConfirmed e) {
        Package p = group.packages.get(e.getPackageId());
        if (p != null) {
          group.packages.put(p.getPackageId(), p.toBuilder().setConfirmed(true).build());
        }
      } else if (event instanceof OrderRemovedFromPackage e) {
        Package p = group.packages.get(e.getPackageId());
        List<String> rest = p.getOrderIdsList().stream().filter(id -> !id.equals(e.getOrderId())).toList();
        if (rest.isEmpty()) {
          group.packages.remove(p.getPackageId()); // an emptied package is dropped
        } else {
          group.packages.put(p.getPackageId(), p.toBuilder().clearOrderIds().addAllOrderIds(rest).build());
        }
        if (e.getBackToWaiting()) {
          group.waiting.add(e.getOrderId());
          group.pendingUnpacks.put(e.getOrderId(), e);
          group.removedFrom.computeIfAbsent(e.getOrderId(), id -> new HashSet<>()).add(e.getPackageId());
        }
      } else if (event instanceof OrderUnpackConfirmed e) {
        group.pendingUnpacks.remove(e.getOrderId());
      } else if (event instanceof PackageShipped e) {
        Package p = group.packages.get(e.getPackageId());
        group.packages.put(p.getPackageId(), p.toBuilder().setState(PackageState.PACKAGE_SHIPPED)
            .setCarrier(e.getCarrier()).setTrackingNo(e.getTrackingNo()).setConfirmed(false).build());
      } else {
        throw new IllegalArgumentException("not a merge group event: " + event.getClass());
      }
      return group;
    };
  }

  @Override
  public SignalHandler<Group> signalHandler() {
    // packs or ships persisted before a crash but never confirmed: tell the orders again (idempotent)
    // and removals whose order was not told: tell it again. Packs go in one operation, as they
    // were built, so that one write confirms them all (OPERATION_CLOSERS relies on it).
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), group -> {
      List<String> unpacked = group.packages.values().stream()
          .filter(p -> !p.getConfirmed() && p.getState() != PackageState.PACKAGE_SHIPPED).map(Package::getPackageId).toList();
      if (!unpacked.isEmpty()) {
        resumeQueue.add(() -> startPack(group, unpacked, List.of(), null));
      }
      group.packages.values().stream().filter(p -> !p.getConfirmed() && p.getState() == PackageState.PACKAGE_SHIPPED)
          .forEach(p -> resumeQueue.add(() -> startShip(group, p.getPackageId(), null)));
      List.copyOf(group.pendingUnpacks.values()).forEach(removed -> resumeQueue.add(() -> startUnpack(removed, null)));
      resumeNext(group);
    })
        // a failed write stops the group (EntityPersistence), maybe mid-operation: its recovery finishes it
        .onSignal(JournalPersistFailed.class, (group, failed) -> wakeups.wakeLater(groupId))
        .onSignal(JournalPersistRejected.class, (group, rejected) -> wakeups.wakeLater(groupId))
        .build();
  }

  private void resumeNext(Group group) {
    if (!resumeQueue.isEmpty() && op == null) {
      resumeQueue.remove(0).run();
    }
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SnapshotAdapter<Group> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(Group g) {
        MergeGroupSnapshot.Builder s = MergeGroupSnapshot.newBuilder()
            .addAllWaiting(g.waiting).addAllPackages(g.packages.values()).setNextPackageNo(g.nextPackageNo)
            .addAllPendingUnpacks(g.pendingUnpacks.values());
        g.removedFrom.forEach((orderId, packageIds) -> packageIds.forEach(packageId -> s.addRemovedFrom(
            OrderRemovedFromPackage.newBuilder().setOrderId(orderId).setPackageId(packageId).setBackToWaiting(true))));
        if (g.opened != null) {
          s.setGroup(g.opened);
        }
        return s.build();
      }

      @Override
      public Group fromJournal(Object from) {
        MergeGroupSnapshot s = (MergeGroupSnapshot) from;
        Group g = new Group();
        g.opened = s.hasGroup() ? s.getGroup() : null;
        g.waiting.addAll(s.getWaitingList());
        s.getPackagesList().forEach(p -> g.packages.put(p.getPackageId(), p));
        g.nextPackageNo = s.getNextPackageNo();
        s.getPendingUnpacksList().forEach(u -> g.pendingUnpacks.put(u.getOrderId(), u));
        s.getRemovedFromList().forEach(r -> g.removedFrom.computeIfAbsent(r.getOrderId(), id -> new HashSet<>())
            .add(r.getPackageId()));
        return g;
      }
    };
  }
}
