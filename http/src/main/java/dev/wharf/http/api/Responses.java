package dev.wharf.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.engine.app.Rejected;
import dev.wharf.engine.domain.Rejections;
import dev.wharf.proto.Rejection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON responses and the one place where failures become {"error":{"code","message","field"}}. */
public final class Responses {
  private static final Logger log = LoggerFactory.getLogger(Responses.class);
  private final ObjectMapper mapper;

  public Responses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public HttpResponse json(StatusCode status, JsonNode body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, bytes(body));
  }

  public HttpResponse ok(JsonNode body) {
    return json(StatusCodes.OK, body);
  }

  /** A JSON body as bytes, as {@link #json} sends it. */
  public byte[] bytes(JsonNode body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * 200 with a rendered JSON object plus one more string field at its end: the same bytes as
   * rendering the object with the field put last, without rendering the object again.
   */
  public HttpResponse okWithField(byte[] renderedObject, String field, String value) {
    return okWithField(renderedObject, field(field, value));
  }

  /** One string field rendered on its own, for {@link #okWithField(byte[], byte[])}: {"field":"value"}, escaped. */
  public byte[] field(String field, String value) {
    return bytes(mapper.createObjectNode().put(field, value));
  }

  /** As {@link #okWithField(byte[], String, String)}, with the field rendered by {@link #field} beforehand. */
  public HttpResponse okWithField(byte[] renderedObject, byte[] member) {
    int end = renderedObject.length - 1;
    if (end < 1 || renderedObject[end] != '}') {
      throw new IllegalArgumentException("not a rendered JSON object");
    }
    boolean empty = end == 1; // "{}"
    byte[] out = new byte[end + (empty ? 0 : 1) + member.length - 1];
    System.arraycopy(renderedObject, 0, out, 0, end);
    int at = end;
    if (!empty) {
      out[at++] = ',';
    }
    System.arraycopy(member, 1, out, at, member.length - 1);
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(ContentTypes.APPLICATION_JSON, out);
  }

  public HttpResponse error(StatusCode status, String code, String message, String field, String currentState) {
    return json(status, errorBody(code, message, field, currentState));
  }

  public ObjectNode errorBody(String code, String message, String field, String currentState) {
    ObjectNode error = mapper.createObjectNode().put("code", code).put("message", message);
    if (field != null && !field.isEmpty()) {
      error.put("field", field);
    } else {
      error.putNull("field");
    }
    if (currentState != null && !currentState.isEmpty()) {
      error.put("currentState", currentState);
    }
    ObjectNode root = mapper.createObjectNode();
    root.set("error", error);
    return root;
  }

  public HttpResponse rejection(Rejection r) {
    return error(statusOf(r.getCode()), r.getCode(), r.getMessage(), r.getField(), r.getCurrentState());
  }

  /** Maps any failure of a request's CompletionStage to a JSON error response. */
  public HttpResponse failure(Throwable t) {
    ObjectNode body = failureBody(t);
    return json(statusOfBody(body, t), body);
  }

  /** The error body for a failure (also used per line by streaming ingest). */
  public ObjectNode failureBody(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof Rejected r) {
      Rejection rej = r.rejection();
      return errorBody(rej.getCode(), rej.getMessage(), rej.getField(), rej.getCurrentState());
    }
    if (cause instanceof ApiError e) {
      return errorBody(e.code(), e.getMessage(), e.field(), null);
    }
    if (cause instanceof EntityStreamSizeException) {
      return errorBody("PAYLOAD_TOO_LARGE", "request body is too large", null, null);
    }
    if (cause instanceof TimeoutException) {
      return errorBody("UNAVAILABLE", "the engine did not answer in time; the request may be retried", null, null);
    }
    log.error("unexpected failure", cause);
    return errorBody("INTERNAL", "unexpected error: " + cause.getClass().getSimpleName(), null, null);
  }

  private StatusCode statusOfBody(ObjectNode body, Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof ApiError e) {
      return e.status();
    }
    String code = body.path("error").path("code").asText();
    return switch (code) {
      case "PAYLOAD_TOO_LARGE" -> StatusCodes.PAYLOAD_TOO_LARGE;
      case "UNAVAILABLE" -> StatusCodes.SERVICE_UNAVAILABLE;
      case "INTERNAL" -> StatusCodes.INTERNAL_SERVER_ERROR;
      default -> statusOf(code);
    };
  }

  public static StatusCode statusOf(String rejectionCode) {
    return switch (rejectionCode) {
      case Rejections.NOT_FOUND -> StatusCodes.NOT_FOUND;
      case Rejections.INVALID_STATE, Rejections.CONFLICT, Rejections.TRACKING_NO_IN_USE -> StatusCodes.CONFLICT;
      case Rejections.UNMAPPED_SKU, Rejections.UNKNOWN_SKU, Rejections.UNKNOWN_REFERENCE, Rejections.CURRENCY_MISMATCH ->
          StatusCodes.UNPROCESSABLE_ENTITY;
      case Rejections.VALIDATION -> StatusCodes.BAD_REQUEST;
      default -> StatusCodes.UNPROCESSABLE_ENTITY;
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
