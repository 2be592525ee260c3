package dev.wharf.engine.app;

import dev.wharf.engine.domain.AccountState;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.engine.domain.Statements;
import dev.wharf.engine.entity.AccountGateway;
import dev.wharf.engine.entity.ClientAccountEntity;
import dev.wharf.proto.ClientAccountCommand;
import dev.wharf.proto.ClientAccountReply;
import dev.wharf.proto.CloseStatement;
import dev.wharf.proto.GetLedger;
import dev.wharf.proto.GetOrderSettlement;
import dev.wharf.proto.GetStatementBasis;
import dev.wharf.proto.JournalRange;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.LedgerPosted;
import dev.wharf.proto.ListStatements;
import dev.wharf.proto.Rejection;
import dev.wharf.proto.Statement;
import dev.wharf.proto.StatementClosed;
import java.util.ArrayList;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A client's ledger and statements, read from its account's journal (decision 0020): the account
 * entity keeps only totals and where to start reading, so it stays small however much a client
 * ships. Answers are ClientAccountReplies, as if the account had answered them itself.
 */
public final class AccountBook {
  /** A statement close that lost a race with another is drawn again from the new basis. */
  private static final int CLOSE_ATTEMPTS = 3;

  private final ActorSystem<?> system;
  private final CurrentEventsByPersistenceIdQuery journal;
  private final AccountGateway accounts;

  public AccountBook(ActorSystem<?> system, String readJournalPluginId, AccountGateway accounts) {
    this.system = system;
    this.journal = PersistenceQuery.get(Adapter.toClassic(system))
        .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId);
    this.accounts = accounts;
  }

  /**
   * The account, and a source of its entries written in [fromMillis, toMillis) ({@link #NO_END}: up
   * to now), read from the journal as they are sent on: a long ledger is never held in memory. The
   * source ends at the last entry written when the account answered. A rejection comes without one.
   */
  public record Ledger(ClientAccountReply account, Source<LedgerEntry, NotUsed> entries) {}

  /** A ledger's end when it has none: every entry written so far (0 is an end like any other, the epoch). */
  public static final long NO_END = Long.MAX_VALUE;

  public CompletionStage<Ledger> openLedger(String clientId, long fromMillis, long toMillis) {
    return openLedger(clientId, fromMillis, toMillis, 0, 0);
  }

  /** A page of it: only entries after entry {@code afterEntryNo} (0: from the first), at most {@code limit} (0: all). */
  public CompletionStage<Ledger> openLedger(String clientId, long fromMillis, long toMillis, long afterEntryNo, int limit) {
    return accounts.ask(clientId, command().setLedger(GetLedger.newBuilder()
            .setFromMillis(fromMillis).setToMillis(toMillis).setAfterEntryNo(afterEntryNo)).build())
        .thenApply(reply -> {
          if (reply.hasRejection()) {
            return new Ledger(reply, Source.empty());
          }
          // entries are in time order (AccountState#entryTime): the first at or after `to` ends the read
          Source<LedgerEntry, NotUsed> entries = entries(clientId, reply.getRange())
              .takeWhile(p -> p.entry().getAtMillis() < toMillis)
              .filter(p -> p.entry().getAtMillis() >= fromMillis && p.entry().getEntryNo() > afterEntryNo)
              .map(Posted::entry);
          return new Ledger(reply.toBuilder().clearRange().build(), limit == 0 ? entries : entries.take(limit));
        });
  }

  /** The same, collected: the account with its entries (for short ledgers and tests). */
  public CompletionStage<ClientAccountReply> ledger(String clientId, long fromMillis, long toMillis) {
    return openLedger(clientId, fromMillis, toMillis).thenCompose(ledger -> ledger.entries().runWith(Sink.seq(), system)
        .thenApply(entries -> ledger.account().toBuilder().addAllEntries(entries).build()));
  }

  /** Closes every unsettled entry written before {@code periodToMillis} into the next statement. */
  public CompletionStage<ClientAccountReply> closeStatement(String clientId, long periodToMillis) {
    return closeStatement(clientId, periodToMillis, 1);
  }

  private CompletionStage<ClientAccountReply> closeStatement(String clientId, long periodToMillis, int attempt) {
    return accounts.ask(clientId, command()
            .setStatementBasis(GetStatementBasis.newBuilder().setPeriodToMillis(periodToMillis)).build())
        .thenCompose(basis -> basis.hasRejection()
            ? CompletableFuture.completedFuture(basis)
            : draft(clientId, basis.getRange(), periodToMillis).thenCompose(drawn -> {
              if (drawn.statement() == null) {
                return closedBeforeOrNothingToSettle(clientId, periodToMillis);
              }
              // the order list stays here: the account (maybe on another node) gets a header of a
              // fixed size, and readers find the orders at the entries' place in the journal
              Statement header = drawn.statement().toBuilder().clearOrderIds()
                  .setFirstSequenceNr(drawn.firstSequenceNr()).build();
              return accounts.ask(clientId, command().setCloseStatement(CloseStatement.newBuilder()
                      .setPeriodToMillis(periodToMillis)
                      .setDraft(header)
                      .setNextOpenSequenceNr(drawn.nextOpenSequenceNr())).build())
                  .thenCompose(closed -> {
                    if (!closed.hasRejection()) {
                      Statement numbered = closed.getStatements(0).toBuilder()
                          .addAllOrderIds(drawn.statement().getOrderIdsList()).build();
                      return CompletableFuture.completedFuture(closed.toBuilder().setStatements(0, numbered).build());
                    }
                    return closed.getRejection().getCode().equals(Rejections.CONFLICT) && attempt < CLOSE_ATTEMPTS
                        ? closeStatement(clientId, periodToMillis, attempt + 1)
                        : CompletableFuture.completedFuture(closed);
                  });
            }));
  }

  /**
   * Nothing is left to settle before the period end. When the latest statement ends exactly there,
   * this is that close asked again (a retry whose first answer was lost): it gets that statement,
   * flagged {@code closed_before}; otherwise a CONFLICT.
   */
  private CompletionStage<ClientAccountReply> closedBeforeOrNothingToSettle(String clientId, long periodToMillis) {
    return accounts.ask(clientId, command().setListStatements(ListStatements.getDefaultInstance()).build())
        .thenCompose(reply -> {
          List<Statement> closed = reply.getStatementsList();
          if (reply.hasRejection() || closed.isEmpty() || closed.get(closed.size() - 1).getPeriodToMillis() != periodToMillis) {
            return CompletableFuture.completedFuture(rejection(Rejections.of(Rejections.CONFLICT,
                "no unsettled movements before the period end", "periodTo")));
          }
          return withOrders(ClientAccountEntity.persistenceId(clientId).id(), List.of(closed.get(closed.size() - 1)))
              .runWith(Sink.head(), system)
              .thenApply(full -> reply.toBuilder().clearStatements().addStatements(full).setClosedBefore(true).build());
        });
  }

  private record Drawn(Statement statement, long firstSequenceNr, long nextOpenSequenceNr) {}

  /** The unsettled entries before the period end, where the first of them is and where the first entry left open is. */
  private CompletionStage<Drawn> draft(String clientId, JournalRange basis, long periodToMillis) {
    return entries(clientId, basis)
        .filter(p -> p.entry().getEntryNo() > basis.getLastSettledEntryNo())
        .takeWhile(p -> p.entry().getAtMillis() < periodToMillis, true)
        .runWith(Sink.seq(), system)
        .thenApply(read -> {
          List<LedgerEntry> open = new ArrayList<>(read.size());
          long first = 0;
          long nextOpen = 0;
          for (Posted p : read) {
            if (p.entry().getAtMillis() < periodToMillis) {
              first = first == 0 ? p.sequenceNr() : first;
              open.add(p.entry());
              // entries written after the basis may follow: the next open one is after this one
              nextOpen = p.sequenceNr() + 1;
            } else {
              nextOpen = p.sequenceNr(); // the first entry this statement leaves open
            }
          }
          return new Drawn(Statements.draft(basis, open, periodToMillis), first, nextOpen);
        });
  }

  /**
   * The account's answer, and a source of its statements (oldest first), each with its orders read
   * from the journal when the stream reaches it: a client's statements are never all held in
   * memory. A rejection comes without one.
   */
  public record StatementList(ClientAccountReply account, Source<Statement, NotUsed> statements) {}

  public CompletionStage<StatementList> openStatements(String clientId) {
    return openStatements(clientId, "", 0);
  }

  /**
   * A page of them: those closed after statement {@code after} ("": from the first), at most
   * {@code limit} (0: all). VALIDATION (field "after") when the client has no statement {@code after}.
   */
  public CompletionStage<StatementList> openStatements(String clientId, String after, int limit) {
    return accounts.ask(clientId, command().setListStatements(ListStatements.getDefaultInstance()).build())
        .thenApply(reply -> {
          if (reply.hasRejection()) {
            return new StatementList(reply, Source.empty());
          }
          List<Statement> headers = reply.getStatementsList();
          int from = 0;
          if (!after.isEmpty()) {
            from = 1 + headers.stream().map(Statement::getStatementNo).toList().indexOf(after);
            if (from == 0) {
              return new StatementList(rejection(Rejections.of(Rejections.VALIDATION,
                  "the client has no statement " + after, "after")), Source.empty());
            }
          }
          int to = limit == 0 ? headers.size() : Math.min(headers.size(), from + limit);
          return new StatementList(reply.toBuilder().clearStatements().build(),
              withOrders(ClientAccountEntity.persistenceId(clientId).id(), headers.subList(from, to)));
        });
  }

  /** Every statement, with the orders it settled, collected (for tests and short lists). */
  public CompletionStage<ClientAccountReply> statements(String clientId) {
    return openStatements(clientId).thenCompose(list -> list.statements().runWith(Sink.seq(), system)
        .thenApply(all -> list.account().toBuilder().addAllStatements(all).build()));
  }

  /** One statement with the orders it settled (only its own entries are read); NOT_FOUND when there is none by that number. */
  public CompletionStage<ClientAccountReply> statement(String clientId, String statementNo) {
    return accounts.ask(clientId, command().setListStatements(ListStatements.getDefaultInstance()).build())
        .thenCompose(reply -> {
          if (reply.hasRejection()) {
            return CompletableFuture.completedFuture(reply);
          }
          List<Statement> header = reply.getStatementsList().stream()
              .filter(h -> h.getStatementNo().equals(statementNo)).toList();
          if (header.isEmpty()) {
            return CompletableFuture.completedFuture(rejection(Rejections.of(Rejections.NOT_FOUND,
                "statement " + statementNo + " not found", "statementNo")));
          }
          return withOrders(ClientAccountEntity.persistenceId(clientId).id(), header).runWith(Sink.head(), system)
              .thenApply(full -> reply.toBuilder().clearStatements().addStatements(full).build());
        });
  }

  /**
   * A charge is written after its order came in, by the account's clock; in a cluster that may be
   * another node's, so a statement is searched if it ended up to this long before the order came in.
   */
  private static final long CLOCK_SKEW_MARGIN_MILLIS = Duration.ofHours(1).toMillis();

  /**
   * "NoBalance" until a statement settled the order's fee or penalty, then that statement's number.
   * {@code chargeEntryNo}: the ledger entry that charged the order, when the order knows it;
   * {@code orderInAtMillis}: when the order came in (0: not known), which bounds where to search
   * when neither it nor the account knows the entry.
   */
  public CompletionStage<String> settlementOf(String clientId, String orderId, long chargeEntryNo, long orderInAtMillis) {
    return accounts.ask(clientId, command().setOrderSettlement(GetOrderSettlement.newBuilder()
            .setOrderId(orderId).setEntryNo(chargeEntryNo)).build())
        .thenCompose(reply -> {
          if (reply.hasRejection() || !reply.getSettlementUnknown()) {
            return CompletableFuture.completedFuture(reply.getSettlement());
          }
          // an order charged before its entry was recorded on it, and too long ago for the account
          // to remember: the order lists of the statements since it came in tell, read one by one
          // until one has it (usually the first)
          List<Statement> since = reply.getStatementsList().stream()
              .filter(h -> h.getPeriodToMillis() > orderInAtMillis - CLOCK_SKEW_MARGIN_MILLIS)
              .toList();
          return withOrders(ClientAccountEntity.persistenceId(clientId).id(), since)
              .filter(st -> st.getOrderIdsList().contains(orderId))
              .map(Statement::getStatementNo)
              .runWith(Sink.headOption(), system)
              .thenApply(found -> found.orElse(AccountState.NO_BALANCE));
        });
  }

  /**
   * The statements with their order lists, each read when the stream reaches it. A statement's
   * orders are read from its entries (one read from its first entry to its StatementClosed event);
   * statements closed before that (no first_sequence_nr) carry the list in their event, read at the
   * place their header gives, or by reading the whole journal for headers written before decision 0020.
   */
  private Source<Statement, NotUsed> withOrders(String pid, List<Statement> headers) {
    // the statements whose list is in their event are read together, when the first is reached
    List<Statement> inEvents = headers.stream().filter(h -> h.getFirstSequenceNr() == 0).toList();
    AtomicReference<CompletionStage<Map<String, Statement>>> fromEvents = new AtomicReference<>();
    return Source.from(headers)
        .mapAsync(1, h -> {
          if (h.getFirstSequenceNr() > 0) {
            return ordersFromEntries(pid, h);
          }
          if (fromEvents.get() == null) { // one element at a time: no race
            fromEvents.set(statementEvents(pid, inEvents));
          }
          return fromEvents.get().thenApply(byNo -> byNo.getOrDefault(h.getStatementNo(), h));
        });
  }

  /** The statement with the orders charged by its entries. */
  private CompletionStage<Statement> ordersFromEntries(String pid, Statement header) {
    return journal.currentEventsByPersistenceId(pid, header.getFirstSequenceNr(), header.getSequenceNr() - 1)
        .filter(env -> env.event() instanceof LedgerPosted)
        .map(env -> ((LedgerPosted) env.event()).getEntry())
        .filter(e -> e.getEntryNo() >= header.getFirstEntryNo() && e.getEntryNo() <= header.getLastEntryNo()
            && Statements.chargesAnOrder(e))
        .runFold(new LinkedHashSet<String>(), (orders, e) -> {
          orders.add(e.getSourceId());
          return orders;
        }, system)
        // as it was when it closed: the journal place is the account's bookkeeping
        .thenApply(orders -> header.toBuilder().clearSequenceNr().clearOrderIds().addAllOrderIds(orders).build());
  }

  /** Statements closed with their order list in their event, by number. */
  private CompletionStage<Map<String, Statement>> statementEvents(String pid, List<Statement> headers) {
    boolean placesKnown = headers.stream().allMatch(h -> h.getSequenceNr() > 0);
    Source<EventEnvelope, NotUsed> events = placesKnown
        ? Source.from(headers).flatMapConcat(h -> journal.currentEventsByPersistenceId(pid, h.getSequenceNr(), h.getSequenceNr()))
        : journal.currentEventsByPersistenceId(pid, 1, Long.MAX_VALUE);
    return events
        .filter(env -> env.event() instanceof StatementClosed)
        .map(env -> ((StatementClosed) env.event()).getStatement())
        .runWith(Sink.seq(), system)
        .thenApply(found -> {
          Map<String, Statement> byNo = new HashMap<>();
          found.forEach(st -> byNo.put(st.getStatementNo(), st));
          return byNo;
        });
  }

  private record Posted(long sequenceNr, LedgerEntry entry) {}

  /** The ledger entries from the range's start up to its last entry, in order. */
  private Source<Posted, NotUsed> entries(String clientId, JournalRange range) {
    return journal.currentEventsByPersistenceId(ClientAccountEntity.persistenceId(clientId).id(),
            Math.max(1, range.getFromSequenceNr()), Long.MAX_VALUE)
        .filter(env -> env.event() instanceof LedgerPosted)
        .map(env -> new Posted(env.sequenceNr(), ((LedgerPosted) env.event()).getEntry()))
        .takeWhile(p -> p.entry().getEntryNo() <= range.getLastEntryNo());
  }

  private static ClientAccountCommand.Builder command() {
    return ClientAccountCommand.newBuilder();
  }

  private static ClientAccountReply rejection(Rejection r) {
    return ClientAccountReply.newBuilder().setRejection(r).build();
  }
}
