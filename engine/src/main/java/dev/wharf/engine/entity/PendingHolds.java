package dev.wharf.engine.entity;

import com.google.protobuf.Message;
import dev.wharf.engine.domain.AccountState;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.LedgerPosted;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The holds a client account has decided but not yet written: their entries continue the
 * account's running totals one after another, and they go to the journal in one write.
 */
final class PendingHolds {
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final Map<String, Integer> byOrder = new HashMap<>();
  private final List<Waiter> replies = new ArrayList<>();

  /** Who waits for the write, and for which order's hold. */
  record Waiter(String orderId, ActorRef<ClientAccountReply> replyTo) {}
  private long held;

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The amount the pending holds take from what is available. */
  long held() {
    return held;
  }

  /** The currency the pending holds fix, when the account has none yet. */
  String currencyOr(String accountCurrency) {
    return accountCurrency.isEmpty() && !entries.isEmpty() ? entries.get(0).getCurrency() : accountCurrency;
  }

  /** A copy of a pending hold is answered with it; false when the order has none pending. */
  boolean answerWith(String orderId, ActorRef<ClientAccountReply> replyTo) {
    if (!byOrder.containsKey(orderId)) {
      return false;
    }
    replies.add(new Waiter(orderId, replyTo));
    return true;
  }

  /** Adds a hold built on the persisted state, moved on past the holds already pending. */
  void add(LedgerEntry.Builder entry, ActorRef<ClientAccountReply> replyTo) {
    if (!entries.isEmpty()) {
      LedgerEntry previous = entries.get(entries.size() - 1);
      entry.setEntryNo(previous.getEntryNo() + 1)
          .setAtMillis(Math.max(entry.getAtMillis(), previous.getAtMillis()))
          .setBalanceAfter(previous.getBalanceAfter())
          .setHeldAfter(Math.addExact(previous.getHeldAfter(), entry.getHeldDelta()));
    }
    byOrder.put(entry.getSourceId(), entries.size());
    entries.add(entry.build());
    replies.add(new Waiter(entry.getSourceId(), replyTo));
    held = Math.addExact(held, entry.getHeldDelta());
  }

  /** The events to write after journal event {@code lastSequenceNr}; the pending holds are cleared. */
  List<Message> events(AccountState state, long lastSequenceNr) {
    List<Message> events = new ArrayList<>(entries.size());
    for (LedgerEntry e : entries) {
      LedgerPosted.Builder posted = LedgerPosted.newBuilder().setEntry(e).setSequenceNr(lastSequenceNr + events.size() + 1);
      if (events.isEmpty() && state.currency().isEmpty()) {
        posted.setCurrency(e.getCurrency());
      }
      events.add(posted.build());
    }
    entries.clear();
    byOrder.clear();
    held = 0;
    return events;
  }

  /** Whom to answer once the holds are written; cleared. */
  List<Waiter> takeReplies() {
    List<Waiter> taken = List.copyOf(replies);
    replies.clear();
    return taken;
  }
}
