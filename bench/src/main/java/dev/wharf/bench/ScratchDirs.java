package dev.wharf.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temporary data directories for the nodes and journals a bench run starts, and its scratch files
 * (wrk's scripts and request lists), deleted when the JVM exits (normally, by System.exit or on
 * Ctrl-C): a full run writes several GB of journals, and repeated runs filled this machine's disk
 * before. WHARF_BENCH_KEEP_DATA=1 keeps them to look at.
 */
final class ScratchDirs {
  private static final List<Path> CREATED = new CopyOnWriteArrayList<>();
  private static Path files;

  static {
    if (!"1".equals(System.getenv("WHARF_BENCH_KEEP_DATA"))) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(ScratchDirs::deleteQuietly), "scratch-dirs"));
    }
  }

  private ScratchDirs() {}

  static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    CREATED.add(dir);
    return dir;
  }

  /** A new empty file in this run's scratch directory for files. */
  static synchronized Path file(String prefix, String suffix) throws IOException {
    if (files == null) {
      files = create("wharf-bench-files");
    }
    return Files.createTempFile(files, prefix, suffix);
  }

  private static void delete(Path dir) {
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      if (Files.exists(dir)) {
        delete(dir);
      }
    } catch (RuntimeException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
