package dev.wharf.http;

import com.typesafe.config.Config;
import java.util.concurrent.atomic.AtomicBoolean;
import kamon.Kamon;

/** Starts Kamon's modules (Prometheus scrape endpoint, JVM and process metrics) once per JVM. */
final class Metrics {
  private static final AtomicBoolean started = new AtomicBoolean();

  private Metrics() {}

  static void startReporter(Config config) {
    if (started.compareAndSet(false, true)) {
      // no agent: Wharf records what matters through Kamon's API (docs/decisions/0011)
      Kamon.initWithoutAttaching(config);
    }
  }
}
