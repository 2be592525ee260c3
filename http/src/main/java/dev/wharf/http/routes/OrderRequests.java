package dev.wharf.http.routes;

import dev.wharf.engine.app.OrderService.NewOrder;
import dev.wharf.engine.domain.Identifiers;
import dev.wharf.http.api.ApiError;
import dev.wharf.http.api.Body;
import dev.wharf.proto.PlatformLine;
import dev.wharf.proto.Recipient;
import java.util.List;

/** Reads an order as connectors send it (shared by single and streaming ingest). */
final class OrderRequests {
  static final int MAX_LINES = 500;

  private OrderRequests() {}

  static NewOrder newOrder(String storeId, Body body) {
    String platformOrderNo = body.text("platformOrderNo");
    if (!Identifiers.isValidExternalKey(platformOrderNo)) {
      throw ApiError.invalid("platformOrderNo", "platformOrderNo must be 1-128 printable characters");
    }
    List<PlatformLine> lines = body.list("lines", 1, MAX_LINES, (line, i) -> {
      String platformSku = line.text("platformSku");
      if (!Identifiers.isValidExternalKey(platformSku)) {
        throw ApiError.invalid(line.pathOf("platformSku"), "platform SKU must be 1-128 printable characters");
      }
      return PlatformLine.newBuilder().setPlatformSku(platformSku).setQty(line.qty("qty")).build();
    });
    Body r = body.object("recipient");
    Recipient recipient = Recipient.newBuilder()
        .setName(r.text("name"))
        .setPhone(r.optText("phone", ""))
        .setCountry(MasterDataRoutes.country(r, "country"))
        .setPostalCode(r.optText("postalCode", ""))
        .setCity(r.optText("city", ""))
        .setAddress1(r.text("address1"))
        .setAddress2(r.optText("address2", ""))
        .setState(r.optText("state", ""))
        .build();
    return new NewOrder(storeId, platformOrderNo, lines, recipient, body.optText("shippingMethod", ""));
  }
}
