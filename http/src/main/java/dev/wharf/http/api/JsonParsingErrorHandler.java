package dev.wharf.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * A request too malformed for the routes (a bad percent-escape in the path, a URI or header over
 * the server's limits) is answered by the HTTP server itself; this makes that answer the API's
 * JSON error too. The parser's own detail is left out: it can quote a header's value, such as a
 * token. Pekko HTTP creates it by its class name (pekko.http.server.parsing.error-handler).
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public org.apache.pekko.http.scaladsl.model.HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log,
                                                                  ServerSettings settings) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode e = body.putObject("error");
    e.put("code", status.intValue() == 400 ? "MALFORMED_REQUEST" : codeOf(status.reason()));
    e.put("message", "the request could not be read: " + status.reason().toLowerCase(Locale.ROOT));
    e.putNull("field");
    try {
      return (org.apache.pekko.http.scaladsl.model.HttpResponse) HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** "URI Too Long" -> URI_TOO_LONG, as the API's codes are written. */
  static String codeOf(String reason) {
    return reason.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_").replaceAll("^_|_$", "");
  }
}
