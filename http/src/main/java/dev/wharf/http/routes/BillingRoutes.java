package dev.wharf.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.engine.app.AccountBook;
import dev.wharf.engine.app.BillingService;
import dev.wharf.http.api.ApiError;
import dev.wharf.http.api.Body;
import dev.wharf.proto.AccountView;
import dev.wharf.proto.FeeSchedule;
import dev.wharf.proto.LedgerEntry;
import dev.wharf.proto.Money;
import dev.wharf.proto.MovementKind;
import dev.wharf.proto.RechargeStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** Customer groups, client accounts, recharges, ledger and statements, payout instructions, dashboard. */
public final class BillingRoutes extends RouteSupport {
  private static final int MAX_PAYOUT_CHARS = 16_384;
  private final BillingService billing;
  private final Clock clock;

  public BillingRoutes(ObjectMapper mapper, BillingService billing, Clock clock) {
    super(mapper);
    this.billing = billing;
    this.clock = clock;
  }

  public Route route() {
    return concat(
        pathPrefix("customer-groups", () -> concat(
            pathEnd(() -> get(() -> respond(() -> billing.groups().thenApply(r -> {
              ObjectNode out = views.object();
              var arr = out.putArray("groups");
              r.getGroupsList().forEach(g -> arr.add(views.group(g)));
              return responses.ok(out);
            })))),
            path(segment(), groupId -> concat(
                put(() -> withBody(body -> putGroup(requireId(groupId, "customer group"), body))),
                get(() -> respond(() -> billing.group(requireId(groupId, "customer group"))
                    .thenApply(g -> responses.ok(views.group(g))))))))),
        pathPrefix("clients", () -> pathPrefix(segment(), this::clientRoutes)),
        pathPrefix("recharges", () -> concat(
            pathEnd(() -> get(() -> parameterOptional("status", status -> parameterOptional("clientId", client ->
                respond(() -> listRecharges(status, client)))))),
            pathPrefix(segment(), rechargeId -> concat(
                pathEnd(() -> get(() -> respond(() -> billing.recharge(rechargeId)
                    .thenApply(r -> responses.ok(views.recharge(r.getRecharges(0))))))),
                path("approve", () -> post(() -> respond(() -> billing.approve(rechargeId)
                    .thenApply(r -> responses.ok(views.recharge(r.getRecharges(0))))))),
                path("reject", () -> post(() -> withBody(body -> billing.reject(rechargeId, body.text("reason"))
                    .thenApply(r -> responses.ok(views.recharge(r.getRecharges(0))))))))))),
        path(segment("settings").slash("payout-instructions"), () -> concat(
            get(() -> respond(() -> billing.payoutInstructions().thenApply(this::payoutResponse))),
            put(() -> withBody(body -> {
              String text = payoutText(body);
              return billing.setPayoutInstructions(text).thenApply(this::payoutResponse);
            })))),
        path("dashboard", () -> get(() -> respond(() -> billing.recharges(RechargeStatus.RECHARGE_PENDING, "")
            .thenApply(r -> responses.ok(views.object().put("pendingRecharges", r.getPendingCount())))))));
  }

  private Route clientRoutes(String clientId) {
    return concat(
        path("billing", () -> put(() -> withBody(body -> {
          String groupId = body.id("groupId");
          Money creditLimit = body.has("creditLimit") ? body.money("creditLimit") : null;
          if (creditLimit != null && creditLimit.getAmount() < 0) {
            throw ApiError.invalid("creditLimit.amount", "creditLimit.amount must not be negative");
          }
          return billing.account(requireId(clientId, "client")).thenCompose(current -> billing.setBilling(clientId, groupId,
                  creditLimit != null ? creditLimit : dev.wharf.engine.domain.Moneys.of(0, current.getAccount().getCurrency())))
              .thenApply(r -> responses.ok(views.account(r.getAccount())));
        }))),
        path("account", () -> get(() -> respond(() -> billing.account(requireId(clientId, "client"))
            .thenApply(r -> responses.ok(views.account(r.getAccount())))))),
        path("recharges", () -> post(() -> withBody(body -> {
          Money amount = body.money("amount");
          if (amount.getAmount() <= 0) {
            throw ApiError.invalid("amount.amount", "a recharge must be a positive amount");
          }
          return billing.submitRecharge(requireId(clientId, "client"), amount, body.text("method"), body.text("reference"),
                  body.optText("note", ""))
              .thenApply(r -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK,
                  views.recharge(r.getRecharges(0))));
        }))),
        path("adjustments", () -> post(() -> withBody(body -> {
          MovementKind kind = switch (body.optText("kind", "ADJUSTMENT")) {
            case "ADJUSTMENT" -> MovementKind.ADJUSTMENT;
            case "REFUND" -> MovementKind.REFUND;
            default -> throw ApiError.invalid("kind", "kind must be ADJUSTMENT or REFUND");
          };
          Money amount = body.money("amount");
          if (amount.getAmount() == 0 || (kind == MovementKind.REFUND && amount.getAmount() < 0)) {
            throw ApiError.invalid("amount.amount", kind == MovementKind.REFUND
                ? "a refund credits a positive amount" : "an adjustment moves a non-zero amount (negative debits)");
          }
          return billing.adjust(requireId(clientId, "client"), kind, amount, body.text("reference"), body.optText("note", ""))
              .thenApply(r -> responses.ok(views.account(r.getAccount())));
        }))),
        path("ledger", () -> get(() -> ledgerRoute(clientId))),
        path("statements", () -> concat(
            post(() -> withBody(body -> {
              long now = clock.millis();
              long periodTo = body.has("periodTo") ? instant(body.text("periodTo"), "periodTo", true) : now;
              if (periodTo > now) {
                throw ApiError.invalid("periodTo", "a statement can only close a period that has ended");
              }
              return billing.closeStatement(requireId(clientId, "client"), periodTo)
                  .thenApply(r -> responses.json(r.getClosedBefore() ? StatusCodes.OK : StatusCodes.CREATED,
                      views.statement(r.getStatements(0))));
            })),
            get(() -> parameterOptional("after", after -> parameterOptional("limit", limit -> respond(() ->
                billing.statements(requireId(clientId, "client"), after.orElse(""), limit.map(l -> pageLimit(l, MAX_STATEMENTS)).orElse(0))
                    .thenApply(list -> streamedArray(views.object().put("clientId", clientId), "statements",
                        list.statements().map(views::statement))))))))),
        path(segment("statements").slash(segment()), statementNo -> get(() -> respond(() ->
            billing.statement(requireId(clientId, "client"), statementNo)
                .thenApply(r -> responses.ok(views.statement(r.getStatements(0))))))),
        path("cancellation-rate", () -> get(() -> parameterOptional("month", month ->
            respond(() -> cancellationRate(clientId, month))))));
  }

  /** JSON by default; CSV when the client asks for text/csv. */
  private Route ledgerRoute(String clientId) {
    return parameterOptional("from", from -> parameterOptional("to", to ->
        parameterOptional("afterEntryNo", after -> parameterOptional("limit", limit ->
            optionalHeaderValueByName("Accept", accept -> respond(() -> ledger(clientId, from, to,
                after.map(BillingRoutes::entryNo).orElse(0L), limit.map(l -> pageLimit(l, MAX_ENTRIES)).orElse(0),
                accept.map(a -> a.contains("text/csv")).orElse(false))))))));
  }

  private CompletionStage<HttpResponse> putGroup(String groupId, Body body) {
    String name = body.text("name");
    Body fees = body.object("fees");
    FeeSchedule.Builder f = FeeSchedule.newBuilder();
    // only the fees given are set: an empty section is the same schedule as none (and no new version)
    if (fees.has("inbound")) {
      Body in = fees.object("inbound");
      setIfGiven(in, "perReceipt", f::setInboundPerReceipt);
      setIfGiven(in, "perUnit", f::setInboundPerUnit);
    }
    if (fees.has("outbound")) {
      Body out = fees.object("outbound");
      setIfGiven(out, "perOrder", f::setOutboundPerOrder);
      setIfGiven(out, "perAdditionalUnit", f::setOutboundPerAdditionalUnit);
    }
    if (fees.has("return")) {
      Body ret = fees.object("return");
      setIfGiven(ret, "perReturn", f::setReturnPerReturn);
      setIfGiven(ret, "perUnit", f::setReturnPerUnit);
    }
    FeeSchedule schedule = f.build();
    List<Money> all = List.of(schedule.getInboundPerReceipt(), schedule.getInboundPerUnit(), schedule.getOutboundPerOrder(),
        schedule.getOutboundPerAdditionalUnit(), schedule.getReturnPerReturn(), schedule.getReturnPerUnit());
    if (all.stream().map(Money::getCurrency).filter(c -> !c.isEmpty()).distinct().count() > 1) {
      throw new ApiError(StatusCodes.UNPROCESSABLE_ENTITY, "CURRENCY_MISMATCH", "every fee of a group must use one currency", "fees");
    }
    return billing.defineGroup(groupId, name, schedule)
        .thenApply(r -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK, views.group(r.getGroups(0))));
  }

  private static void setIfGiven(Body parent, String field, java.util.function.Consumer<Money> setter) {
    if (parent.has(field) && !isZeroWithoutCurrency(parent.rawObject(field))) {
      setter.accept(fee(parent, field));
    }
  }

  /** What a GET shows for a fee a group without fees does not charge: the same as none, so it can be PUT back. */
  private static boolean isZeroWithoutCurrency(JsonNode fee) {
    JsonNode amount = fee.path("amount");
    return amount.isIntegralNumber() && amount.asLong() == 0 && fee.path("currency").asText("").isEmpty();
  }

  private static Money fee(Body parent, String field) {
    if (!parent.has(field)) {
      return Money.getDefaultInstance();
    }
    Money m = parent.money(field);
    if (m.getAmount() < 0) {
      throw ApiError.invalid(parent.pathOf(field) + ".amount", "a fee must not be negative");
    }
    return m;
  }

  private CompletionStage<HttpResponse> listRecharges(Optional<String> status, Optional<String> clientId) {
    RechargeStatus s = status.map(v -> switch (v) {
      case "PENDING" -> RechargeStatus.RECHARGE_PENDING;
      case "APPROVED" -> RechargeStatus.RECHARGE_APPROVED;
      case "REJECTED" -> RechargeStatus.RECHARGE_REJECTED;
      default -> throw ApiError.invalid("status", "status must be PENDING, APPROVED or REJECTED");
    }).orElse(RechargeStatus.RECHARGE_STATUS_UNSPECIFIED);
    return billing.recharges(s, clientId.orElse("")).thenApply(r -> {
      ObjectNode out = views.object();
      var arr = out.putArray("recharges");
      r.getRechargesList().forEach(x -> arr.add(views.recharge(x)));
      return responses.ok(out);
    });
  }

  /** Streamed as it is read from the journal, so a year of a busy client's fees is never in memory at once. */
  private CompletionStage<HttpResponse> ledger(String clientId, Optional<String> from, Optional<String> to,
                                               long afterEntryNo, int limit, boolean csv) {
    long fromMillis = from.map(f -> instant(f, "from", false)).orElse(0L);
    long toMillis = to.map(t -> instant(t, "to", true)).orElse(AccountBook.NO_END);
    return billing.ledger(requireId(clientId, "client"), fromMillis, toMillis, afterEntryNo, limit).thenApply(ledger -> {
      if (csv) {
        Source<ByteString, NotUsed> rows = ledger.entries().map(e -> ByteString.fromString(csvRow(e)));
        return HttpResponse.create().withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.createChunked(ContentTypes.TEXT_CSV_UTF8, rows.prepend(Source.single(CSV_HEADER))));
      }
      AccountView a = ledger.account().getAccount();
      return streamedArray(views.object().put("clientId", clientId).put("currency", a.getCurrency()), "entries",
          ledger.entries().map(views::ledgerEntry));
    });
  }

  /** Statements per page: each one reads its entries from the journal. */
  private static final int MAX_STATEMENTS = 1_000;
  private static final int MAX_ENTRIES = 10_000;

  private static int pageLimit(String value, int max) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below, as for a number out of range
    }
    throw ApiError.invalid("limit", "limit must be a whole number from 1 to " + max);
  }

  private static long entryNo(String value) {
    try {
      long entryNo = Long.parseLong(value);
      if (entryNo >= 0) {
        return entryNo;
      }
    } catch (NumberFormatException e) {
      // answered below, as for a negative number
    }
    throw ApiError.invalid("afterEntryNo", "afterEntryNo must be a ledger entry number (0 or more)");
  }

  /** {@code head}'s fields and then {@code field}: [ item , item ... ], each item written as it comes. */
  private HttpResponse streamedArray(ObjectNode head, String field, Source<ObjectNode, NotUsed> items) {
    String fields = head.toString();
    Source<ByteString, NotUsed> body = items
        .map(item -> ByteString.fromArray(mapper.writeValueAsBytes(item)))
        .intersperse(ByteString.fromString(fields.substring(0, fields.length() - 1) + ",\"" + field + "\":["),
            ByteString.fromString(","), ByteString.fromString("]}"));
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, body));
  }

  private static final CSVFormat CSV = CSVFormat.DEFAULT;
  private static final ByteString CSV_HEADER = ByteString.fromString(csvRecord("entryNo", "at", "kind", "sourceId",
      "amount", "heldChange", "balanceAfter", "heldAfter", "currency", "groupId", "ruleVersion", "note"));

  /** Amounts stay integer minor units in CSV too, with the currency beside them. */
  private static String csvRow(LedgerEntry e) {
    return csvRecord(e.getEntryNo(), Instant.ofEpochMilli(e.getAtMillis()), e.getKind().name(), e.getSourceId(),
        e.getBalanceDelta(), e.getHeldDelta(), e.getBalanceAfter(), e.getHeldAfter(), e.getCurrency(),
        e.getGroupId(), e.getRuleVersion() == 0 ? "" : e.getRuleVersion(), e.getNote());
  }

  /** One record with its line end, quoted and escaped by commons-csv. */
  private static String csvRecord(Object... values) {
    StringBuilder out = new StringBuilder();
    // a printer per record: CSVFormat.printRecord locks the shared format
    try (CSVPrinter printer = new CSVPrinter(out, CSV)) {
      printer.printRecord(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private CompletionStage<HttpResponse> cancellationRate(String clientId, Optional<String> month) {
    String m = month.orElse(YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString());
    try {
      if (!m.matches("\\d{4}-\\d{2}")) { // YearMonth also takes -0001-01 and +12345-01
        throw new DateTimeParseException("not yyyy-MM", m, 0);
      }
      YearMonth.parse(m);
    } catch (DateTimeParseException e) {
      throw ApiError.invalid("month", "month must look like 2026-11");
    }
    return billing.cancellationRate(requireId(clientId, "client"), m).thenApply(r -> {
      long orders = r.getMonth().getOrders();
      long cancelled = r.getMonth().getCancelled();
      long basisPoints = orders == 0 ? 0 : cancelled * 10_000 / orders;
      return responses.ok(views.object()
          .put("clientId", clientId)
          .put("month", m)
          .put("orders", orders)
          .put("cancelled", cancelled)
          .put("rateBasisPoints", basisPoints)
          .put("rate", String.format("%d.%02d%%", basisPoints / 100, basisPoints % 100)));
    });
  }

  private HttpResponse payoutResponse(dev.wharf.proto.BillingCatalogReply r) {
    ObjectNode out = views.object();
    if (r.getPayoutInstructions().isEmpty()) {
      out.putNull("instructions");
      out.putNull("updatedAt");
    } else {
      try {
        out.set("instructions", mapper.readTree(r.getPayoutInstructions()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      out.put("updatedAt", Instant.ofEpochMilli(r.getPayoutUpdatedAtMillis()).toString());
    }
    return responses.ok(out);
  }

  /** {"instructions": {bank account, online and offline ways to pay}}: free-form JSON, bounded. */
  private String payoutText(Body body) {
    JsonNode instructions = body.rawObject("instructions");
    String text = instructions.toString();
    if (text.length() > MAX_PAYOUT_CHARS) {
      throw ApiError.invalid("instructions", "instructions are longer than " + MAX_PAYOUT_CHARS + " characters");
    }
    return text;
  }

  /** An ISO instant, or a date (UTC); a date as the end of a range includes that whole day. */
  private static long instant(String value, String field, boolean endOfRange) {
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return (endOfRange ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) { // ArithmeticException: beyond epoch millis
      throw ApiError.invalid(field, field + " must be a date (2026-11-01) or an instant (2026-11-01T00:00:00Z)");
    }
  }
}
