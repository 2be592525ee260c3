package dev.wharf.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.engine.app.PackingService;
import dev.wharf.http.api.ApiError;
import dev.wharf.proto.CarrierReply;
import dev.wharf.proto.MergeGroupReply;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** Carriers, building packages per warehouse, and a package's life: get, remove an order, ship. */
public final class PackingRoutes extends RouteSupport {
  private final PackingService packing;

  public PackingRoutes(ObjectMapper mapper, PackingService packing) {
    super(mapper);
    this.packing = packing;
  }

  public Route route() {
    return concat(
        path(segment("carriers").slash(segment()), code -> concat(
            put(() -> withBody(body -> {
              String name = body.text("name");
              int max = body.optInt("maxOrdersPerPackage", 15);
              if (max < 1) {
                throw ApiError.invalid("maxOrdersPerPackage", "maxOrdersPerPackage must be at least 1");
              }
              return packing.defineCarrier(requireId(code, "carrier"), name, max)
                  .thenApply(r -> responses.json(r.getCreated() ? StatusCodes.CREATED : StatusCodes.OK, carrier(r)));
            })),
            get(() -> respond(() -> packing.carrier(requireId(code, "carrier")).thenApply(r -> responses.ok(carrier(r))))))),
        path(segment("warehouses").slash(segment()).slash("packages:build"), warehouseId -> post(() -> withBody(body -> {
          String clientId = body.optText("clientId", "");
          String carrier = body.id("carrier");
          return packing.build(requireId(warehouseId, "warehouse"), clientId, carrier).thenApply(this::buildResult);
        }))),
        pathPrefix("packages", () -> pathPrefix(segment(), packageId -> concat(
            pathEnd(() -> get(() -> respond(() -> packing.get(packageId).thenApply(this::packageResponse)))),
            path("remove-order", () -> post(() -> withBody(body ->
                packing.removeOrder(packageId, body.text("orderId"), body.optText("reason", ""))
                    .thenApply(r -> r.getPackagesCount() == 0
                        ? responses.ok(views.object().put("packageId", packageId).put("dropped", true))
                        : packageResponse(r))))),
            path("ship", () -> post(() -> withBody(body ->
                packing.ship(packageId, body.id("carrier"), body.externalKey("trackingNo")).thenApply(this::packageResponse))))))));
  }

  private ObjectNode carrier(CarrierReply r) {
    return views.object().put("carrierCode", r.getCarrierCode()).put("name", r.getCarrier().getName())
        .put("maxOrdersPerPackage", r.getCarrier().getMaxOrdersPerPackage());
  }

  private HttpResponse packageResponse(MergeGroupReply r) {
    return responses.ok(views.packageView(r.getGroup(), r.getPackages(0)));
  }

  private HttpResponse buildResult(List<MergeGroupReply> groups) {
    ObjectNode out = views.object();
    var packages = out.putArray("packages");
    var failed = out.putArray("failed");
    for (MergeGroupReply g : groups) {
      g.getPackagesList().forEach(p -> packages.add(views.packageView(g.getGroup(), p)));
      g.getFailuresList().forEach(f -> failed.add(views.object()
          .put("orderId", f.getOrderId()).put("code", f.getCode()).put("message", f.getMessage())));
    }
    return responses.ok(out);
  }
}
