package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.FeeRules;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.serialization.EntityRequest;
import dev.wharf.proto.BillingCatalogCommand;
import dev.wharf.proto.BillingCatalogReply;
import dev.wharf.proto.BillingCatalogSnapshot;
import dev.wharf.proto.CustomerGroup;
import dev.wharf.proto.CustomerGroupDefined;
import dev.wharf.proto.PayoutInstructionsSet;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The warehouse's billing settings: customer groups with their fee rules (versioned: a change
 * applies to new charges only) and the payout instructions clients read before recharging.
 * One entity: a handful of groups, read on every review, written rarely. Its state is its snapshot.
 */
public final class BillingCatalogEntity
    extends EventSourcedBehaviorWithEnforcedReplies<BillingCatalogEntity.Request, Message, BillingCatalogSnapshot> {

  public static final EntityTypeKey<Request> TYPE_KEY = EntityTypeKey.create(Request.class, "BillingCatalog");
  public static final String ENTITY_ID = "catalog";

  public record Request(BillingCatalogCommand command, ActorRef<BillingCatalogReply> replyTo)
      implements EntityRequest<BillingCatalogCommand, BillingCatalogReply> {}

  private final Clock clock;

  public static Behavior<Request> create(String entityId, Clock clock) {
    return new BillingCatalogEntity(entityId, clock);
  }

  private BillingCatalogEntity(String entityId, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
    this.clock = clock;
  }

  @Override
  public BillingCatalogSnapshot emptyState() {
    return BillingCatalogSnapshot.getDefaultInstance();
  }

  @Override
  public CommandHandlerWithReply<Request, Message, BillingCatalogSnapshot> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Request.class, this::onRequest).build();
  }

  private ReplyEffect<Message, BillingCatalogSnapshot> onRequest(BillingCatalogSnapshot state, Request request) {
    BillingCatalogCommand c = request.command();
    ActorRef<BillingCatalogReply> replyTo = request.replyTo();
    return switch (c.getKindCase()) {
      case DEFINE_GROUP -> {
        var d = c.getDefineGroup();
        CustomerGroup existing = find(state, d.getGroupId());
        String billedIn = existing == null ? "" : FeeRules.billedIn(existing);
        String newCurrency = FeeRules.currency(d.getFees());
        if (!billedIn.isEmpty() && !newCurrency.isEmpty() && !billedIn.equals(newCurrency)) {
          // its members' accounts are in that currency: every hold and inbound fee would be refused
          yield Effect().reply(replyTo, BillingCatalogReply.newBuilder().setRejection(Rejections.of(Rejections.CURRENCY_MISMATCH,
              "group " + d.getGroupId() + " bills in " + billedIn + "; fees in " + newCurrency + " need a group of their own",
              "fees")).build());
        }
        boolean sameCharges = existing != null && FeeRules.sameCharges(existing.getFees(), d.getFees());
        int version = existing == null ? 1 : sameCharges ? existing.getVersion() : existing.getVersion() + 1;
        CustomerGroup group = CustomerGroup.newBuilder()
            .setGroupId(d.getGroupId()).setName(d.getName())
            .setFees(sameCharges ? existing.getFees() : d.getFees()).setVersion(version)
            .setCurrency(billedIn.isEmpty() ? newCurrency : billedIn).build();
        if (group.equals(existing)) {
          yield Effect().reply(replyTo, BillingCatalogReply.newBuilder().addGroups(group).build());
        }
        yield EntityPersistence.persist(Effect(), TYPE_KEY.name(), CustomerGroupDefined.newBuilder().setGroup(group).build())
            .thenReply(replyTo, s -> BillingCatalogReply.newBuilder().setCreated(existing == null).addGroups(group).build());
      }
      case GET_GROUP -> {
        CustomerGroup group = find(state, c.getGetGroup().getGroupId());
        yield Effect().reply(replyTo, group == null
            ? BillingCatalogReply.newBuilder()
                .setRejection(Rejections.notFound("customer group " + c.getGetGroup().getGroupId())).build()
            : BillingCatalogReply.newBuilder().addGroups(group).build());
      }
      case LIST_GROUPS -> Effect().reply(replyTo, BillingCatalogReply.newBuilder().addAllGroups(state.getGroupsList()).build());
      case SET_PAYOUT -> EntityPersistence.persist(Effect(), TYPE_KEY.name(), PayoutInstructionsSet.newBuilder().setText(c.getSetPayout().getText()).setUpdatedAtMillis(clock.millis()).build())
          .thenReply(replyTo, BillingCatalogEntity::payout);
      case GET_PAYOUT -> Effect().reply(replyTo, payout(state));
      case KIND_NOT_SET -> Effect().reply(replyTo, BillingCatalogReply.newBuilder()
          .setRejection(Rejections.of(Rejections.VALIDATION, "empty command")).build());
    };
  }

  private static BillingCatalogReply payout(BillingCatalogSnapshot s) {
    return BillingCatalogReply.newBuilder()
        .setPayoutInstructions(s.getPayoutInstructions())
        .setPayoutUpdatedAtMillis(s.getPayoutUpdatedAtMillis())
        .build();
  }

  private static CustomerGroup find(BillingCatalogSnapshot state, String groupId) {
    return state.getGroupsList().stream().filter(g -> g.getGroupId().equals(groupId)).findFirst().orElse(null);
  }

  @Override
  public EventHandler<BillingCatalogSnapshot, Message> eventHandler() {
    return (state, event) -> {
      if (event instanceof CustomerGroupDefined e) {
        var b = state.toBuilder().clearGroups();
        boolean replaced = false;
        for (CustomerGroup g : state.getGroupsList()) {
          if (g.getGroupId().equals(e.getGroup().getGroupId())) {
            b.addGroups(e.getGroup());
            replaced = true;
          } else {
            b.addGroups(g);
          }
        }
        if (!replaced) {
          b.addGroups(e.getGroup());
        }
        return b.build();
      }
      PayoutInstructionsSet p = (PayoutInstructionsSet) event;
      return state.toBuilder().setPayoutInstructions(p.getText()).setPayoutUpdatedAtMillis(p.getUpdatedAtMillis()).build();
    };
  }
}
