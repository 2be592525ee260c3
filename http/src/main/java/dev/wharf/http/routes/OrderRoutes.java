package dev.wharf.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.engine.app.BillingService;
import dev.wharf.engine.app.CatalogService;
import dev.wharf.engine.app.OrderService;
import dev.wharf.engine.app.Rejected;
import dev.wharf.engine.app.Wharf;
import dev.wharf.engine.domain.AccountState;
import dev.wharf.engine.entity.OrderViewCache;
import dev.wharf.engine.persistence.JournalHealth;
import dev.wharf.http.api.ApiError;
import dev.wharf.http.api.Body;
import dev.wharf.proto.CancelOrder;
import dev.wharf.proto.ChooseWarehouse;
import dev.wharf.proto.ReleaseOrder;
import dev.wharf.proto.FreezeOrder;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.OrderView;
import dev.wharf.proto.UnfreezeOrder;
import dev.wharf.proto.VoidOrder;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** Order ingest (single and NDJSON stream), queries and state transitions. */
public final class OrderRoutes extends RouteSupport {
  private static final Pattern ORDER_ID = Pattern.compile("o-[0-9a-f]{30}");
  private final Wharf wharf;
  private final OrderService orders;
  private final BillingService billing;
  private final CatalogService packingCatalog;
  private final JournalHealth journal;
  private final int maxLineBytes;
  private final int streamParallelism;
  private final byte[] noBalance; // the settlement of almost every order a scanner reads, rendered once

  public OrderRoutes(ObjectMapper mapper, Wharf wharf, OrderService orders, BillingService billing, CatalogService catalog,
                     JournalHealth journal, int maxLineBytes, int streamParallelism) {
    super(mapper);
    this.journal = journal;
    this.wharf = wharf;
    this.orders = orders;
    this.billing = billing;
    this.packingCatalog = catalog;
    this.maxLineBytes = maxLineBytes;
    this.streamParallelism = streamParallelism;
    this.noBalance = responses.field("settlement", AccountState.NO_BALANCE);
  }

  public Route route() {
    return concat(
        pathPrefix("stores", () -> pathPrefix(segment(), storeId -> concat(
            path("orders", () -> post(() -> withBody(body -> ingest(requireId(storeId, "store"), body)))),
            path("orders:stream", () -> post(() -> ingestStream(storeId)))))),
        pathPrefix("orders", () -> pathPrefix(segment(), orderId -> concat(
            pathEnd(() -> get(() -> respond(() -> getWithSettlement(orderId)))),
            path("cancel", () -> post(() -> withBody(body -> {
              String by = body.text("by");
              if (!by.equals("SELLER") && !by.equals("BACK_OFFICE")) {
                throw ApiError.invalid("by", "by must be SELLER or BACK_OFFICE");
              }
              String reason = body.text("reason");
              // the penalty is charged only in the account's currency (PenaltyRules): read it first
              return orders.get(orderId(orderId)).thenCompose(current -> current.hasRejection()
                  ? CompletableFuture.completedFuture(orderResponse(current))
                  : billing.account(current.getOrder().getClientId()).thenCompose(account -> send(orderId,
                      OrderCommand.newBuilder().setCancel(CancelOrder.newBuilder().setReason(reason).setBy(by)
                          .setAccountCurrency(account.getAccount().getCurrency())).build())));
            }))),
            path("warehouse", () -> put(() -> withBody(body -> {
              String warehouseId = body.id("warehouseId");
              return packingCatalog.requireWarehouse(warehouseId, "warehouseId").thenCompose(w -> send(orderId,
                  OrderCommand.newBuilder().setChooseWarehouse(ChooseWarehouse.newBuilder().setWarehouseId(warehouseId)).build()));
            }))),
            path("release", () -> post(() -> respond(() -> send(orderId,
                OrderCommand.newBuilder().setRelease(ReleaseOrder.getDefaultInstance()).build())))),
            path("review", () -> post(() -> respond(() -> orders.review(orderId(orderId)).thenApply(this::orderResponse)))),
            path("freeze", () -> post(() -> respond(() -> send(orderId,
                OrderCommand.newBuilder().setFreeze(FreezeOrder.getDefaultInstance()).build())))),
            path("unfreeze", () -> post(() -> respond(() -> send(orderId,
                OrderCommand.newBuilder().setUnfreeze(UnfreezeOrder.getDefaultInstance()).build())))),
            path("void", () -> post(() -> respond(() -> send(orderId,
                OrderCommand.newBuilder().setVoid(VoidOrder.getDefaultInstance()).build())))),
            path("ship", () -> post(() -> withBody(body ->
                orders.ship(orderId(orderId), body.externalKey("carrier"), body.externalKey("trackingNo")).thenApply(this::orderResponse))))))));
  }

  private CompletionStage<HttpResponse> send(String orderId, OrderCommand command) {
    return wharf.order(orderId(orderId), command).thenApply(this::orderResponse);
  }

  /**
   * The order as scanners and clients see it, with its settlement: "NoBalance" or a statement no.
   * A view published on this node is rendered once and its bytes reused by every later read
   * (scanners poll); the settlement, which can change without the order, is added per read.
   */
  private CompletionStage<HttpResponse> getWithSettlement(String requestedId) {
    String orderId = orderId(requestedId);
    var published = orders.published(orderId);
    if (published.isPresent()) {
      OrderView view = published.get().view();
      return billing.settlementOf(view).thenApply(settlement -> withSettlement(published.get(), settlement));
    }
    return orders.askView(orderId).thenCompose(reply -> {
      Rejected.unless(reply, OrderReply::hasRejection, OrderReply::getRejection);
      return billing.settlementOf(reply.getOrder())
          .thenApply(settlement -> responses.ok(views.order(reply.getOrder()).put("settlement", settlement)));
    });
  }

  /**
   * GET /v1/orders/{id} answered without any ask, when it can be: the order's view is published on
   * this node and its settlement is known without the account. Empty otherwise (the route answers).
   */
  public Optional<HttpResponse> readWithoutAsking(String requestedId) {
    if (!ORDER_ID.matcher(requestedId).matches()) {
      return Optional.empty();
    }
    return orders.publishedIf(requestedId, view -> billing.settlementKnownWithoutAsking(view).isPresent())
        .map(published -> withSettlement(published,
            billing.settlementKnownWithoutAsking(published.view()).orElseThrow()));
  }

  private HttpResponse withSettlement(OrderViewCache.Published published, String settlement) {
    byte[] rendered = published.rendered(v -> responses.bytes(views.order(v)));
    return settlement.equals(AccountState.NO_BALANCE)
        ? responses.okWithField(rendered, noBalance)
        : responses.okWithField(rendered, "settlement", settlement);
  }

  private HttpResponse orderResponse(OrderReply reply) {
    Rejected.unless(reply, OrderReply::hasRejection, OrderReply::getRejection);
    return responses.ok(views.order(reply.getOrder()));
  }

  private CompletionStage<HttpResponse> ingest(String storeId, Body body) {
    return orders.ingest(OrderRequests.newOrder(storeId, body)).thenApply(reply -> {
      Rejected.unless(reply, OrderReply::hasRejection, OrderReply::getRejection);
      return responses.json(reply.getCreated() ? StatusCodes.CREATED : StatusCodes.OK, views.ingested(reply.getOrder()));
    });
  }

  /**
   * NDJSON in, NDJSON out, one result per input line in input order. The request body is
   * consumed only as fast as orders are ingested (mapAsync), so memory stays bounded whatever
   * the number of lines.
   */
  private Route ingestStream(String storeId) {
    return extractRequestEntity(entity -> respond(() -> {
      requireId(storeId, "store");
      Source<ByteString, ?> results = entity.withoutSizeLimit().getDataBytes()
          // an overlong line, however long, becomes an error line, not a broken stream
          .via(NdjsonLines.split(maxLineBytes))
          .zipWithIndex()
          .filter(pair -> !pair.first().isBlank())
          .mapAsync(streamParallelism, pair -> ingestLine(storeId, pair.second() + 1, pair.first()));
      return CompletableFuture.completedFuture(HttpResponse.create()
          .withStatus(StatusCodes.OK)
          .withEntity(HttpEntities.createChunked(NDJSON_TYPE, results)));
    }));
  }

  private static final ContentType NDJSON_TYPE =
      ContentTypes.create(MediaTypes.customWithFixedCharset("application", "x-ndjson",
          org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8, java.util.Map.of(), false));

  private CompletionStage<ByteString> ingestLine(String storeId, long lineNo, NdjsonLines.Line line) {
    ObjectNode out = views.object().put("line", lineNo);
    CompletionStage<ObjectNode> result;
    try {
      // a stream outlives the journal check its request passed: each line is checked again, so
      // lines sent while the journal is down are refused at once, known not to be written
      Optional<String> down = journal.down();
      if (down.isPresent()) {
        throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "JOURNAL_UNAVAILABLE", "the " + journal.backend().name()
            + " journal does not answer, so this line was not written; send it again later", null);
      }
      if (line.tooLong()) {
        throw new ApiError(StatusCodes.PAYLOAD_TOO_LARGE, "LINE_TOO_LONG",
            "line is longer than " + maxLineBytes + " bytes", null);
      }
      Body body = Body.parse(mapper, line.bytes());
      var order = OrderRequests.newOrder(storeId, body);
      out.put("platformOrderNo", order.platformOrderNo());
      result = orders.ingest(order).thenApply(reply -> {
        Rejected.unless(reply, OrderReply::hasRejection, OrderReply::getRejection);
        return out.put("orderId", reply.getOrder().getOrderId())
            .put("orderNo", reply.getOrder().getOrderNo())
            .put("state", reply.getOrder().getStatus().name())
            .put("created", reply.getCreated());
      });
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .exceptionally(failure -> {
          out.set("error", responses.failureBody(failure).get("error"));
          return out;
        })
        .thenApply(this::ndjsonLine);
  }

  private ByteString ndjsonLine(ObjectNode node) {
    try {
      return ByteString.fromArrayUnsafe(mapper.writeValueAsBytes(node)).concat(ByteString.fromString("\n"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String orderId(String value) {
    if (!ORDER_ID.matcher(value).matches()) {
      throw new ApiError(StatusCodes.NOT_FOUND, "NOT_FOUND", "order " + value + " not found", null);
    }
    return value;
  }
}
