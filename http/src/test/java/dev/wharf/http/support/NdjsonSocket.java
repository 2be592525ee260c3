package dev.wharf.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An NDJSON ingest stream sent line by line over a raw HTTP/1.1 connection, the way a connector
 * feeds one: each line leaves at once as its own chunk. (Java's HttpClient holds an InputStream
 * body back until it has more, so it cannot show what a line sent on its own does.)
 */
public final class NdjsonSocket implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;

  public NdjsonSocket(String baseUrl, String token, String path) throws IOException {
    URI base = URI.create(baseUrl);
    socket = new Socket(base.getHost(), base.getPort());
    out = socket.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  public void send(String line) throws IOException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Ends the body and reads the whole answer: its result lines, in order. */
  public List<JsonNode> finish() throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!answer.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("the stream was refused: " + answer);
    }
    List<JsonNode> results = new ArrayList<>();
    // every result is one JSON object on a line of its own between the chunk-size lines
    for (String part : answer.substring(answer.indexOf("\r\n\r\n") + 4).split("\r?\n")) {
      if (part.startsWith("{")) {
        results.add(Api.JSON.readTree(part));
      }
    }
    return results;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
