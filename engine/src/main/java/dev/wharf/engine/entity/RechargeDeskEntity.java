package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.PostMovement;
import dev.wharf.proto.Recharge;
import dev.wharf.proto.RechargeApproved;
import dev.wharf.proto.RechargeCredited;
import dev.wharf.proto.RechargeCreditRefused;
import dev.wharf.proto.RechargeDeskCommand;
import dev.wharf.proto.RechargeDeskReply;
import dev.wharf.proto.RechargeDeskSnapshot;
import dev.wharf.proto.RechargeRejected;
import dev.wharf.proto.RechargeStatus;
import dev.wharf.proto.RechargeSubmitted;
import dev.wharf.proto.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
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
 * Recharge requests, reviewed by the warehouse: submitted PENDING, approved (which credits the
 * client's account exactly once) or rejected with a reason. One entity for all of them: recharges
 * are few, and the warehouse lists and counts the pending ones. Approval persists first, then
 * credits the account (idempotent by recharge id) and marks the recharge credited; a restart
 * between the two credits again, harmlessly.
 */
public final class RechargeDeskEntity
    extends EventSourcedBehaviorWithEnforcedReplies<RechargeDeskEntity.Msg, Message, RechargeDeskEntity.Desk> {

  public static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "RechargeDesk");
  public static final String ENTITY_ID = "desk";

  public interface Msg {}

  public record Request(RechargeDeskCommand command, ActorRef<RechargeDeskReply> replyTo)
      implements Msg, EntityRequest<RechargeDeskCommand, RechargeDeskReply> {}

  /** Local only: the account's answer to a credit. */
  record Credited(String rechargeId, ClientAccountReply reply, Throwable failure) implements Msg {}

  /** Local only: try a credit again. */
  record RetryCredit(String rechargeId) implements Msg {}

  /** All recharges in submission order, plus the (client, reference) index that dedups submissions. */
  public static final class Desk {
    final Map<String, Recharge> byId = new LinkedHashMap<>();
    final Map<String, String> byClientReference = new HashMap<>();
    long lastNo;

    void put(Recharge r) {
      byId.put(r.getRechargeId(), r);
      if (!r.getReference().isEmpty()) {
        byClientReference.put(r.getClientId() + "|" + r.getReference(), r.getRechargeId());
      }
    }
  }

  private final ActorContext<Msg> context;
  private final TimerScheduler<Msg> timers;
  private final AccountGateway accounts;
  private final Clock clock;
  private final Map<String, List<ActorRef<RechargeDeskReply>>> waiting = new HashMap<>();

  public static Behavior<Msg> create(String entityId, AccountGateway accounts, Clock clock) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> new RechargeDeskEntity(entityId, ctx, timers, accounts, clock)));
  }

  private RechargeDeskEntity(String entityId, ActorContext<Msg> context, TimerScheduler<Msg> timers,
                             AccountGateway accounts, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
    this.context = context;
    this.timers = timers;
    this.accounts = accounts;
    this.clock = clock;
  }

  @Override
  public Desk emptyState() {
    return new Desk();
  }

  @Override
  public CommandHandlerWithReply<Msg, Message, Desk> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(Credited.class, this::onCredited)
        .onCommand(RetryCredit.class, (desk, retry) -> {
          credit(desk.byId.get(retry.rechargeId()));
          return Effect().noReply();
        })
        .build();
  }

  private ReplyEffect<Message, Desk> onRequest(Desk desk, Request request) {
    RechargeDeskCommand c = request.command();
    ActorRef<RechargeDeskReply> replyTo = request.replyTo();
    return switch (c.getKindCase()) {
      case SUBMIT -> {
        var s = c.getSubmit();
        String existing = desk.byClientReference.get(s.getClientId() + "|" + s.getReference());
        if (!s.getReference().isEmpty() && existing != null) {
          // a retried submission: the same recharge, not a second one
          yield Effect().reply(replyTo, RechargeDeskReply.newBuilder().addRecharges(desk.byId.get(existing)).build());
        }
        Recharge recharge = Recharge.newBuilder()
            .setRechargeId(String.format("RC-%06d", desk.lastNo + 1))
            .setClientId(s.getClientId())
            .setAmount(s.getAmount())
            .setMethod(s.getMethod())
            .setReference(s.getReference())
            .setNote(s.getNote())
            .setStatus(RechargeStatus.RECHARGE_PENDING)
            .setSubmittedAtMillis(clock.millis())
            .build();
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), RechargeSubmitted.newBuilder().setRecharge(recharge).build())
            .thenReply(replyTo, d -> RechargeDeskReply.newBuilder().setCreated(true).addRecharges(recharge).build());
      }
      case APPROVE -> {
        Recharge r = desk.byId.get(c.getApprove().getRechargeId());
        if (r == null) {
          yield reject(replyTo, Rejections.notFound("recharge " + c.getApprove().getRechargeId()));
        }
        if (r.getStatus() != RechargeStatus.RECHARGE_PENDING) {
          yield reject(replyTo, Rejections.invalidState(stateName(r),
              "recharge " + r.getRechargeId() + " is already " + stateName(r).toLowerCase()));
        }
        waiting.computeIfAbsent(r.getRechargeId(), k -> new ArrayList<>()).add(replyTo);
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), RechargeApproved.newBuilder().setRechargeId(r.getRechargeId()).setAtMillis(clock.millis()).build())
            .thenRun(d -> credit(d.byId.get(r.getRechargeId())))
            .thenNoReply();
      }
      case REJECT -> {
        Recharge r = desk.byId.get(c.getReject().getRechargeId());
        if (r == null) {
          yield reject(replyTo, Rejections.notFound("recharge " + c.getReject().getRechargeId()));
        }
        if (r.getStatus() != RechargeStatus.RECHARGE_PENDING) {
          yield reject(replyTo, Rejections.invalidState(stateName(r),
              "recharge " + r.getRechargeId() + " is already " + stateName(r).toLowerCase()));
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), RechargeRejected.newBuilder().setRechargeId(r.getRechargeId())
                .setReason(c.getReject().getReason()).setAtMillis(clock.millis()).build())
            .thenReply(replyTo, d -> RechargeDeskReply.newBuilder().addRecharges(d.byId.get(r.getRechargeId())).build());
      }
      case LIST -> {
        var filter = c.getList();
        List<Recharge> out = desk.byId.values().stream()
            .filter(r -> filter.getStatus() == RechargeStatus.RECHARGE_STATUS_UNSPECIFIED || r.getStatus() == filter.getStatus())
            .filter(r -> filter.getClientId().isEmpty() || r.getClientId().equals(filter.getClientId()))
            .toList();
        yield Effect().reply(replyTo, RechargeDeskReply.newBuilder().addAllRecharges(out).setPendingCount(pending(desk)).build());
      }
      case GET -> {
        Recharge r = desk.byId.get(c.getGet().getRechargeId());
        yield r == null ? reject(replyTo, Rejections.notFound("recharge " + c.getGet().getRechargeId()))
            : Effect().reply(replyTo, RechargeDeskReply.newBuilder().addRecharges(r).build());
      }
      default -> reject(replyTo, Rejections.of(Rejections.VALIDATION, "empty command"));
    };
  }

  private void credit(Recharge r) {
    if (r == null || r.getCredited() || r.getStatus() != RechargeStatus.RECHARGE_APPROVED) {
      return;
    }
    ClientAccountCommand post = ClientAccountCommand.newBuilder().setPost(PostMovement.newBuilder()
        .setKind(MovementKind.RECHARGE)
        .setSourceId(r.getRechargeId())
        .setAmount(r.getAmount())
        .setNote(("recharge " + r.getMethod() + " " + r.getReference()).trim()))
        .build();
    context.pipeToSelf(accounts.ask(r.getClientId(), post),
        (reply, failure) -> new Credited(r.getRechargeId(), reply, failure));
  }

  private ReplyEffect<Message, Desk> onCredited(Desk desk, Credited credited) {
    if (credited.failure() != null) {
      context.getLog().warn("recharge {}: account did not answer ({}); retrying", credited.rechargeId(), credited.failure().toString());
      timers.startSingleTimer(new RetryCredit(credited.rechargeId()), Duration.ofSeconds(2));
      return Effect().noReply();
    }
    Recharge recharge = desk.byId.get(credited.rechargeId());
    if (credited.reply().hasRejection()
        && (recharge.getStatus() != RechargeStatus.RECHARGE_APPROVED || recharge.getCredited())) {
      return Effect().noReply(); // a late answer to a credit sent before this approval was decided again
    }
    if (credited.reply().hasRejection()) {
      // e.g. the account moved to another currency after the submission: no money moved, so the
      // approval is undone and the recharge can be rejected (an approval that stood uncredited
      // could be neither credited nor decided again)
      Rejection refusal = credited.reply().getRejection();
      context.getLog().warn("recharge {}: the account refused the credit, pending again: {}", credited.rechargeId(),
          refusal.getMessage());
      return EntityPersistence.persist(Effect(), TYPE_KEY.name(), RechargeCreditRefused.newBuilder()
              .setRechargeId(credited.rechargeId()).setReason(refusal.getMessage()).build())
          .thenRun(d -> {
            List<ActorRef<RechargeDeskReply>> waiters = waiting.remove(credited.rechargeId());
            if (waiters != null) {
              waiters.forEach(w -> w.tell(RechargeDeskReply.newBuilder().setRejection(refusal).build()));
            }
          })
          .thenNoReply();
    }
    return EntityPersistence.persist(Effect(), TYPE_KEY.name(), RechargeCredited.newBuilder().setRechargeId(credited.rechargeId()).build())
        .thenRun(d -> {
          List<ActorRef<RechargeDeskReply>> waiters = waiting.remove(credited.rechargeId());
          if (waiters != null) {
            RechargeDeskReply reply = RechargeDeskReply.newBuilder().addRecharges(d.byId.get(credited.rechargeId())).build();
            waiters.forEach(w -> w.tell(reply));
          }
        })
        .thenNoReply();
  }

  private static int pending(Desk desk) {
    return (int) desk.byId.values().stream().filter(r -> r.getStatus() == RechargeStatus.RECHARGE_PENDING).count();
  }

  private static String stateName(Recharge r) {
    return r.getStatus().name().substring("RECHARGE_".length());
  }

  private ReplyEffect<Message, Desk> reject(ActorRef<RechargeDeskReply> replyTo, Rejection r) {
    return Effect().reply(replyTo, RechargeDeskReply.newBuilder().setRejection(r).build());
  }

  @Override
  public EventHandler<Desk, Message> eventHandler() {
    return (desk, event) -> {
      if (event instanceof RechargeSubmitted e) {
        desk.put(e.getRecharge());
        desk.lastNo++;
      } else if (event instanceof RechargeApproved e) {
        desk.put(desk.byId.get(e.getRechargeId()).toBuilder()
            .setStatus(RechargeStatus.RECHARGE_APPROVED).setDecidedAtMillis(e.getAtMillis()).build());
      } else if (event instanceof RechargeCredited e) {
        desk.put(desk.byId.get(e.getRechargeId()).toBuilder().setCredited(true).build());
      } else if (event instanceof RechargeCreditRefused e) {
        desk.put(desk.byId.get(e.getRechargeId()).toBuilder()
            .setStatus(RechargeStatus.RECHARGE_PENDING).clearDecidedAtMillis().build());
      } else if (event instanceof RechargeRejected e) {
        desk.put(desk.byId.get(e.getRechargeId()).toBuilder()
            .setStatus(RechargeStatus.RECHARGE_REJECTED).setRejectReason(e.getReason()).setDecidedAtMillis(e.getAtMillis()).build());
      } else {
        throw new IllegalArgumentException("not a recharge event: " + event.getClass());
      }
      return desk;
    };
  }

  @Override
  public SignalHandler<Desk> signalHandler() {
    // approvals that crashed before their credit was confirmed credit again (idempotent)
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), desk -> desk.byId.values().forEach(this::credit))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public SnapshotAdapter<Desk> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(Desk desk) {
        return RechargeDeskSnapshot.newBuilder().addAllRecharges(desk.byId.values()).setLastNo(desk.lastNo).build();
      }

      @Override
      public Desk fromJournal(Object from) {
        RechargeDeskSnapshot s = (RechargeDeskSnapshot) from;
        Desk desk = new Desk();
        s.getRechargesList().forEach(desk::put);
        desk.lastNo = s.getLastNo();
        return desk;
      }
    };
  }
}
