package dev.wharf.http.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

class ResponsesTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final Responses responses = new Responses(mapper);

  private static byte[] body(HttpResponse response) {
    assertEquals(ContentTypes.APPLICATION_JSON, response.entity().getContentType());
    return ((HttpEntity.Strict) response.entity()).getData().toArray();
  }

  @Test
  void aFieldAddedToARenderedObjectIsTheObjectRenderedWithTheFieldLast() {
    ObjectNode order = mapper.createObjectNode().put("orderId", "o-1").put("qty", 2);
    order.putArray("lines").addObject().put("sku", "CUP");
    byte[] rendered = responses.bytes(order);

    HttpResponse added = responses.okWithField(rendered, "settlement", "NoBalance");

    assertEquals(200, added.status().intValue());
    assertArrayEquals(responses.bytes(order.deepCopy().put("settlement", "NoBalance")), body(added));
  }

  @Test
  void theAddedValueIsEscapedAndAnEmptyObjectGetsNoComma() throws Exception {
    HttpResponse added = responses.okWithField(responses.bytes(mapper.createObjectNode()), "note", "a \"quoted\" \\ value");
    assertEquals(mapper.createObjectNode().put("note", "a \"quoted\" \\ value"), mapper.readTree(body(added)));
  }

  @Test
  void onlyARenderedObjectCanTakeAField() {
    assertThrows(IllegalArgumentException.class, () -> responses.okWithField(responses.bytes(mapper.createArrayNode()), "f", "v"));
    assertThrows(IllegalArgumentException.class, () -> responses.okWithField(new byte[0], "f", "v"));
  }
}
