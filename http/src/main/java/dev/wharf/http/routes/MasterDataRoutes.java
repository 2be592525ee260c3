package dev.wharf.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.engine.app.CatalogService;
import dev.wharf.engine.app.Rejected;
import dev.wharf.engine.app.StockService;
import dev.wharf.engine.app.Wharf;
import dev.wharf.http.api.ApiError;
import dev.wharf.http.api.Body;
import dev.wharf.proto.ClientCommand;
import dev.wharf.proto.ClientReply;
import dev.wharf.proto.DefineClient;
import dev.wharf.proto.DefineProduct;
import dev.wharf.proto.DefineWarehouse;
import dev.wharf.proto.GetProduct;
import dev.wharf.proto.Line;
import dev.wharf.proto.WarehouseCommand;
import dev.wharf.proto.WarehouseReply;
import dev.wharf.engine.domain.WarehouseCoverage;
import dev.wharf.proto.Coverage;
import dev.wharf.proto.WarehouseDirectoryCommand;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** Warehouses, clients, products, stock receipts and stock levels. */
public final class MasterDataRoutes extends RouteSupport {
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern CLIENT_CODE = Pattern.compile("[A-Z0-9]{1,12}");

  private final Wharf wharf;
  private final CatalogService catalog;
  private final StockService stock;

  public MasterDataRoutes(ObjectMapper mapper, Wharf wharf, CatalogService catalog, StockService stock) {
    super(mapper);
    this.wharf = wharf;
    this.catalog = catalog;
    this.stock = stock;
  }

  public Route route() {
    return concat(
        pathPrefix("warehouses", () -> pathPrefix(segment(), this::warehouseRoutes)),
        pathPrefix("clients", () -> pathPrefix(segment(), this::clientRoutes)));
  }

  private Route warehouseRoutes(String warehouseId) {
    return concat(
        pathEnd(() -> concat(
            put(() -> withBody(body -> putWarehouse(requireId(warehouseId, "warehouse"), body))),
            get(() -> respond(() -> catalog.requireWarehouse(requireId(warehouseId, "warehouse"), null)
                .thenApply(r -> responses.ok(views.warehouse(r.getWarehouse()))))))),
        path("receipts", () -> post(() -> withBody(body -> receive(requireId(warehouseId, "warehouse"), body)))),
        path(segment("stock").slash(segment()).slash(segment()), (clientId, sku) ->
            get(() -> respond(() -> stockLevel(warehouseId, clientId, sku)))));
  }

  private CompletionStage<HttpResponse> stockLevel(String warehouseId, String clientId, String sku) {
    return stock.level(requireId(warehouseId, "warehouse"), requireId(clientId, "client"), requireId(sku, "product"))
        .thenApply(level -> responses.ok(views.stock(warehouseId, clientId, sku, level)));
  }

  private Route clientRoutes(String clientId) {
    return concat(
        pathEnd(() -> concat(
            put(() -> withBody(body -> putClient(requireId(clientId, "client"), body))),
            get(() -> respond(() -> catalog.requireClient(requireId(clientId, "client"), null)
                .thenApply(r -> responses.ok(views.client(r.getClient()))))))),
        path(segment("products").slash(segment()), sku -> concat(
            put(() -> withBody(body -> putProduct(requireId(clientId, "client"), sku, body))),
            get(() -> respond(() -> getProduct(clientId, sku))))));
  }

  private CompletionStage<HttpResponse> getProduct(String clientId, String sku) {
    return wharf.client(requireId(clientId, "client"), ClientCommand.newBuilder()
            .setGetProduct(GetProduct.newBuilder().setSku(sku)).build())
        .thenApply(r -> Rejected.unless(r, ClientReply::hasRejection, ClientReply::getRejection))
        .thenApply(r -> responses.ok(views.product(clientId, r.getProduct())));
  }

  private CompletionStage<HttpResponse> putWarehouse(
      String warehouseId, Body body) {
    String name = body.text("name");
    String country = country(body, "country");
    List<Coverage> coverage = body.has("coverage") ? body.list("coverage", 0, 200, (c, i) -> coverage(c)) : List.of();
    int priority = body.optInt("priority", 0);
    return wharf.warehouse(warehouseId, WarehouseCommand.newBuilder()
            .setDefine(DefineWarehouse.newBuilder().setName(name).setCountry(country).addAllCoverage(coverage).setPriority(priority))
            .build())
        .thenApply(r -> Rejected.unless(r, WarehouseReply::hasRejection, WarehouseReply::getRejection))
        // routing reads every warehouse's coverage from the directory: keep it in step (idempotent)
        .thenCompose(r -> wharf.warehouseDirectory(WarehouseDirectoryCommand.newBuilder().setUpsert(r.getWarehouse()).build())
            .thenApply(d -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK, views.warehouse(r.getWarehouse()))));
  }

  /** {"country":"PH","postalPrefixes":["10","23"]}: prefixes are postal-code fragments, none = whole country. */
  private static Coverage coverage(Body c) {
    String country = country(c, "country");
    List<String> prefixes = new java.util.ArrayList<>();
    if (c.has("postalPrefixes")) {
      prefixes.addAll(c.strings("postalPrefixes", 0, 500));
    }
    var problems = WarehouseCoverage.validate(country, prefixes);
    if (!problems.isEmpty()) {
      throw ApiError.invalid(c.pathOf(problems.get(0).field()), problems.get(0).message());
    }
    return Coverage.newBuilder().setCountry(country)
        .addAllPostalPrefixes(new WarehouseCoverage(country, prefixes).postalPrefixes()).build();
  }

  private CompletionStage<HttpResponse> putClient(
      String clientId, Body body) {
    String name = body.text("name");
    String code = body.text("code");
    if (!CLIENT_CODE.matcher(code).matches()) {
      throw ApiError.invalid("code", "code must be 1-12 upper-case letters or digits (it prefixes order numbers)");
    }
    String email = body.text("email");
    if (!email.matches("[^@\\s]+@[^@\\s]+")) {
      throw ApiError.invalid("email", "email is not an e-mail address");
    }
    return catalog.defineClient(clientId, DefineClient.newBuilder().setName(name).setCode(code).setEmail(email).build())
        .thenApply(r -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK, views.client(r.getClient())));
  }

  private CompletionStage<HttpResponse> putProduct(
      String clientId, String sku, Body body) {
    if (!dev.wharf.engine.domain.Identifiers.isValidId(sku)) {
      throw ApiError.invalid("sku", "sku must be 1-64 letters, digits, '.', '_', ':' or '-'");
    }
    String name = body.text("name");
    String barcode = body.optText("barcode", "");
    return wharf.client(clientId, ClientCommand.newBuilder()
            .setDefineProduct(DefineProduct.newBuilder().setSku(sku).setName(name).setBarcode(barcode))
            .build())
        .thenApply(r -> Rejected.unless(r, ClientReply::hasRejection, ClientReply::getRejection))
        .thenApply(r -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK,
            views.product(clientId, r.getProduct())));
  }

  private CompletionStage<HttpResponse> receive(
      String warehouseId, Body body) {
    String clientId = body.id("clientId");
    String reference = body.text("reference");
    var lines = body.list("lines", 1, 1000, (line, i) -> Line.newBuilder()
        .setSku(line.id("sku"))
        .setQty(line.qty("qty"))
        .build());
    return stock.receive(warehouseId, clientId, reference, lines).thenApply(receipt -> {
      var out = views.object().put("warehouseId", warehouseId).put("clientId", clientId).put("reference", reference);
      var arr = out.putArray("lines");
      receipt.lines().forEach(r -> arr.add(views.stock(warehouseId, clientId, r.sku(), r.level()).put("qty", r.qty())));
      out.set("inboundFee", views.money(receipt.inboundFee()));
      return responses.ok(out);
    });
  }

  static String country(Body body, String field) {
    String country = body.text(field);
    if (!COUNTRY.matcher(country).matches()) {
      throw ApiError.invalid(body.pathOf(field), body.pathOf(field) + " must be an ISO 3166-1 alpha-2 code such as PH");
    }
    return country;
  }
}
