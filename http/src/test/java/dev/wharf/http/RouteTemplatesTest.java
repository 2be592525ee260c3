package dev.wharf.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The HTTP metrics label: a request path becomes its OpenAPI template, never an id. */
class RouteTemplatesTest {
  private final RouteTemplates templates = RouteTemplates.fromOpenApi();

  @ParameterizedTest
  @CsvSource({
      "/v1/orders/o-123/review, /v1/orders/{orderId}/review",
      "/v1/orders/o-123, /v1/orders/{orderId}",
      "/v1/stores/shopee-1/orders, /v1/stores/{storeId}/orders",
      "/v1/stores/shopee-1/orders:stream, /v1/stores/{storeId}/orders:stream",
      "/v1/warehouses/MNL1/stock/acme/CCD007, /v1/warehouses/{warehouseId}/stock/{clientId}/{sku}",
      "/v1/warehouses/MNL1/packages:build, /v1/warehouses/{warehouseId}/packages:build",
      "/v1/recharges, /v1/recharges",
      "/ready, /ready",
      "/v1/orders/o-1/teleport, other",
      "/v1/orders//review, other",
      "/favicon.ico, other"
  })
  void pathsMapToTheirTemplate(String path, String template) {
    assertEquals(template, templates.templateOf(path));
  }

  @Test
  void everyDocumentedPathIsATemplate() {
    assertTrue(templates.size() >= 40, "templates read from openapi.yaml: " + templates.size());
  }
}
