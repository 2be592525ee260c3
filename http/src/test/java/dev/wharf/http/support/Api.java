package dev.wharf.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small JSON client for a node under test, over real HTTP. */
public final class Api {
  public static final ObjectMapper JSON = new ObjectMapper();

  public record Response(int status, JsonNode body, String raw) {
    public String text(String field) {
      return body.path(field).asText();
    }

    public String errorCode() {
      return body.path("error").path("code").asText();
    }

    @Override
    public String toString() {
      return status + " " + raw;
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public String base() {
    return base;
  }

  public Api withToken(String other) {
    return new Api(base, other);
  }

  public static ObjectNode obj() {
    return JSON.createObjectNode();
  }

  public Response get(String path) {
    return join(getAsync(path));
  }

  public Response put(String path, Object body) {
    return join(sendAsync("PUT", path, body));
  }

  public Response post(String path, Object body) {
    return join(sendAsync("POST", path, body));
  }

  public Response delete(String path) {
    return join(sendAsync("DELETE", path, null));
  }

  public CompletableFuture<Response> getAsync(String path) {
    return sendAsync("GET", path, null);
  }

  public CompletableFuture<Response> sendAsync(String method, String path, Object body) {
    HttpRequest.BodyPublisher publisher;
    if (body == null) {
      publisher = HttpRequest.BodyPublishers.noBody();
    } else if (body instanceof String s) {
      publisher = HttpRequest.BodyPublishers.ofString(s);
    } else if (body instanceof byte[] b) {
      publisher = HttpRequest.BodyPublishers.ofByteArray(b);
    } else {
      try {
        publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(90))
        .header("Content-Type", "application/json")
        .method(method, publisher);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(Api::parse);
  }

  /** Streams an NDJSON body and returns the NDJSON lines of the answer. */
  public java.util.List<JsonNode> postNdjson(String path, java.util.function.Supplier<java.io.InputStream> body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofMinutes(10))
        .header("Content-Type", "application/x-ndjson")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofInputStream(body))
        .build();
    try {
      HttpResponse<java.util.stream.Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
      if (r.statusCode() != 200) {
        throw new AssertionError("stream answered " + r.statusCode());
      }
      return r.body().filter(l -> !l.isBlank()).map(Api::readTree).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode readTree(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response parse(HttpResponse<String> r) {
    JsonNode body;
    try {
      body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      body = JSON.createObjectNode();
    }
    return new Response(r.statusCode(), body, r.body());
  }

  private static Response join(CompletableFuture<Response> f) {
    return f.join();
  }
}
