package dev.wharf.http;

import static dev.wharf.http.support.Fixtures.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.engine.domain.OrderIds;
import dev.wharf.engine.entity.OrderEntity;
import dev.wharf.http.support.Api;
import dev.wharf.http.support.Fixtures;
import dev.wharf.http.support.OneNodePerClass;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NDJSON ingest: one result per line, in input order, errors per line, dedup across lines. */
class StreamingIngestTest extends OneNodePerClass {

  @BeforeAll
  static void setUp() throws Exception {
    Fixtures.setUp(api, "WH1", "C1", "S1", false, "CUP");
  }


  private static InputStream lines(String... lines) {
    return new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void answersEveryLineInInputOrderWithPerLineErrors() {
    String good1 = order("ST-1", "P-CUP", 1).toString();
    String good2 = order("ST-2", "P-CUP", 2).toString();
    String unmapped = order("ST-3", "P-NEW", 1).toString();
    String badQty = order("ST-4", "P-CUP", 0).toString();
    String longLine = order("ST-5", "P-CUP", 1).put("shippingMethod", "x".repeat(70_000)).toString();
    // far past any frame the server would buffer: answered like the other, and the stream goes on
    String hugeLine = order("ST-6", "P-CUP", 1).put("shippingMethod", "x".repeat(3 * 1024 * 1024)).toString();
    String afterHuge = order("ST-7", "P-CUP", 1).toString();
    List<JsonNode> out = api.postNdjson("/v1/stores/S1/orders:stream",
        () -> lines(good1, "{not json", "", good2, unmapped, badQty, good1, longLine, hugeLine, afterHuge));

    assertEquals(9, out.size(), out::toString);
    assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), out.stream().map(n -> n.path("line").asLong()).toList());
    assertEquals("LINE_TOO_LONG", out.get(7).path("error").path("code").asText());
    assertEquals("ST-7", out.get(8).path("platformOrderNo").asText());
    assertTrue(out.get(8).path("orderId").asText().startsWith("o-"), out.get(8)::toString);
    assertEquals("ST-1", out.get(0).path("platformOrderNo").asText());
    assertTrue(out.get(0).path("orderId").asText().startsWith("o-"));
    assertEquals("MALFORMED_JSON", out.get(1).path("error").path("code").asText());
    assertEquals("ST-2", out.get(2).path("platformOrderNo").asText());
    assertEquals("PENDING", out.get(3).path("state").asText(), "unmapped orders are accepted and wait");
    assertEquals("lines[0].qty", out.get(4).path("error").path("field").asText());
    assertEquals(out.get(0).path("orderId"), out.get(5).path("orderId"), "a re-sent line is the same order");
    // lines are ingested concurrently, so either copy may be the one that created the order
    assertTrue(out.get(0).path("created").asBoolean() ^ out.get(5).path("created").asBoolean(), out::toString);
    assertEquals(out.get(0).path("orderNo"), out.get(5).path("orderNo"));
    assertEquals("LINE_TOO_LONG", out.get(6).path("error").path("code").asText());
    assertEquals(404, api.get("/v1/orders/" + dev.wharf.engine.domain.OrderIds.orderId("S1", "ST-4")).status());
  }

  @Test
  void aStreamToAStoreThatDoesNotExistIsRefusedPerLineWithoutStartingOrders() {
    String[] lines = IntStream.range(0, 20)
        .mapToObj(i -> order("NS-" + i, "P-CUP", 1).toString()).toArray(String[]::new);
    List<JsonNode> out = api.postNdjson("/v1/stores/NO-SUCH-STORE/orders:stream", () -> lines(lines));

    assertEquals(20, out.size(), out::toString);
    out.forEach(n -> assertEquals("NOT_FOUND", n.path("error").path("code").asText(), n::toString));
    // no order can exist for a store that never did, so no Order entity is started to look for one
    Set<String> live = node.liveEntityIds(OrderEntity.TYPE_KEY);
    for (int i = 0; i < 20; i++) {
      String orderId = OrderIds.orderId("NO-SUCH-STORE", "NS-" + i);
      assertFalse(live.contains(orderId), orderId + " was started");
    }
  }

  @Test
  void streamsManyOrdersWithBoundedBuffers() {
    int count = 20_000;
    // generated lazily on both sides: neither the client nor the node holds the whole body
    Iterator<InputStream> generator = new Iterator<>() {
      int next = 0;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public InputStream next() {
        return lines(order("BULK-" + next++, Map.of("P-CUP", 1L)).toString());
      }
    };
    List<JsonNode> out = api.postNdjson("/v1/stores/S1/orders:stream",
        () -> new SequenceInputStream(new java.util.Enumeration<InputStream>() {
          public boolean hasMoreElements() { return generator.hasNext(); }
          public InputStream nextElement() { return generator.next(); }
        }));
    assertEquals(count, out.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      JsonNode r = out.get(i);
      assertEquals(i + 1, r.path("line").asLong());
      assertEquals("BULK-" + i, r.path("platformOrderNo").asText(), r::toString);
      assertTrue(r.path("created").asBoolean(), r::toString);
      ids.add(r.path("orderNo").asText());
    }
    assertEquals(count, ids.size(), "every order got its own number");
  }
}
