package dev.wharf.http.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Splits a request body into its lines ('\n'; a last line without one counts). A line longer than
 * the limit comes out as {@link Line#tooLong()} with none of its bytes: they are dropped as they
 * arrive, so a line of any length costs at most the limit in memory, and the lines after it are
 * read as usual. (Pekko's Framing fails the whole stream at its maximum instead.)
 */
final class NdjsonLines {
  private NdjsonLines() {}

  /** One line without its '\n', or the mark of one over the limit. */
  record Line(ByteString bytes, boolean tooLong) {
    boolean isBlank() {
      return !tooLong && bytes.utf8String().isBlank();
    }
  }

  static Flow<ByteString, Line, NotUsed> split(int maxLineBytes) {
    return Flow.<ByteString>create()
        .statefulMap(() -> new Splitter(maxLineBytes),
            (splitter, chunk) -> Pair.create(splitter, splitter.feed(chunk)),
            splitter -> Optional.of(splitter.finish()))
        .mapConcat(lines -> lines);
  }

  /** The line being read: its bytes so far, or only the fact that it is too long. */
  private static final class Splitter {
    private final int max;
    private ByteStringBuilder current = new ByteStringBuilder();
    private int size;
    private boolean tooLong;

    Splitter(int max) {
      this.max = max;
    }

    List<Line> feed(ByteString chunk) {
      List<Line> lines = new ArrayList<>(2);
      int from = 0;
      int newline;
      while ((newline = chunk.indexOf((byte) '\n', from)) >= 0) {
        append(chunk.slice(from, newline));
        lines.add(take());
        from = newline + 1;
      }
      append(chunk.drop(from));
      return lines;
    }

    /** At the end of the body: its last line, if it has one. */
    List<Line> finish() {
      return size > 0 || tooLong ? List.of(take()) : List.of();
    }

    private void append(ByteString part) {
      if (tooLong || part.isEmpty()) {
        return;
      }
      if (size + part.size() > max) {
        tooLong = true;
        current = new ByteStringBuilder();
        return;
      }
      current.append(part);
      size += part.size();
    }

    private Line take() {
      Line line = tooLong ? new Line(ByteString.emptyByteString(), true) : new Line(current.result(), false);
      current = new ByteStringBuilder();
      size = 0;
      tooLong = false;
      return line;
    }
  }
}
