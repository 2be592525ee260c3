package dev.wharf.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.engine.app.CatalogService;
import dev.wharf.engine.app.Rejected;
import dev.wharf.engine.app.Wharf;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.http.api.ApiError;
import dev.wharf.http.api.Body;
import dev.wharf.proto.GetStore;
import dev.wharf.proto.Line;
import dev.wharf.proto.ListSkuMappings;
import dev.wharf.proto.RemoveSkuMapping;
import dev.wharf.proto.StoreCommand;
import dev.wharf.proto.StoreDefined;
import dev.wharf.proto.StoreReply;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** Stores and their SKU mappings. Order ingest under /v1/stores/{id}/orders is in OrderRoutes. */
public final class StoreRoutes extends RouteSupport {
  private final Wharf wharf;
  private final CatalogService catalog;

  public StoreRoutes(ObjectMapper mapper, Wharf wharf, CatalogService catalog) {
    super(mapper);
    this.wharf = wharf;
    this.catalog = catalog;
  }

  public Route route() {
    return pathPrefix("stores", () -> pathPrefix(segment(), this::storeRoutes));
  }

  private Route storeRoutes(String storeId) {
    return concat(
        pathEnd(() -> concat(
            put(() -> withBody(body -> putStore(requireId(storeId, "store"), body))),
            get(() -> respond(() -> storeCommand(requireId(storeId, "store"),
                    StoreCommand.newBuilder().setGet(GetStore.getDefaultInstance()).build())
                .thenApply(r -> responses.ok(views.store(r.getStore()))))))),
        path("sku-mappings", () -> get(() -> respond(() -> listMappings(storeId)))),
        path(segment("sku-mappings").slash(segment()), platformSku -> concat(
            put(() -> withBody(body -> putMapping(requireId(storeId, "store"), platformSku(platformSku), body))),
            delete(() -> respond(() -> deleteMapping(storeId, platformSku))))));
  }

  private CompletionStage<HttpResponse> listMappings(String storeId) {
    return storeCommand(requireId(storeId, "store"),
            StoreCommand.newBuilder().setListMappings(ListSkuMappings.getDefaultInstance()).build())
        .thenApply(r -> {
          var out = views.object().put("storeId", storeId);
          var arr = out.putArray("mappings");
          r.getMappingsList().forEach(m -> arr.add(views.mapping(storeId, m)));
          return responses.ok(out);
        });
  }

  private CompletionStage<HttpResponse> deleteMapping(String storeId, String platformSku) {
    return storeCommand(requireId(storeId, "store"), StoreCommand.newBuilder()
            .setRemoveMapping(RemoveSkuMapping.newBuilder().setPlatformSku(platformSku(platformSku)))
            .build())
        .thenApply(r -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
  }

  private CompletionStage<StoreReply> storeCommand(String storeId, StoreCommand command) {
    return wharf.store(storeId, command)
        .thenApply(r -> Rejected.unless(r, StoreReply::hasRejection, StoreReply::getRejection));
  }

  private CompletionStage<HttpResponse> putStore(String storeId, Body body) {
    StoreDefined config = StoreDefined.newBuilder()
        .setClientId(body.id("clientId"))
        .setPlatform(body.text("platform"))
        .setShortName(body.text("shortName"))
        .setDefaultWarehouseId(body.id("defaultWarehouseId"))
        .setAutoReview(body.optBool("autoReview", false))
        .setAutoRelease(body.optBool("autoRelease", false))
        .build();
    return catalog.defineStore(storeId, config)
        .thenApply(r -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK, views.store(r.getStore())));
  }

  private CompletionStage<HttpResponse> putMapping(String storeId, String platformSku, Body body) {
    List<Line> components = body.list("components", 1, 50, (c, i) -> Line.newBuilder()
        .setSku(c.id("sku"))
        .setQty(c.qty("qty"))
        .build());
    var seen = new HashSet<String>();
    for (int i = 0; i < components.size(); i++) {
      if (!seen.add(components.get(i).getSku())) {
        throw ApiError.invalid("components[" + i + "].sku", "SKU " + components.get(i).getSku() + " appears twice");
      }
    }
    return catalog.setMapping(storeId, platformSku, components)
        .thenApply(r -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK,
            views.mapping(storeId, r.getMappings(0))));
  }

  private static String platformSku(String value) {
    if (!Identifiers.isValidExternalKey(value)) {
      throw ApiError.invalid("platformSku", "platform SKU must be 1-128 printable characters");
    }
    return value;
  }
}
