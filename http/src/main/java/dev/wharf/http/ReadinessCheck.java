package dev.wharf.http;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** What keeps a node from serving traffic yet; an empty list means ready. */
@FunctionalInterface
public interface ReadinessCheck {
  CompletionStage<List<String>> check();
}
