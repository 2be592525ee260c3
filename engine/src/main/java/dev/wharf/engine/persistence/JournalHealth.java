package dev.wharf.engine.persistence;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's journal answers, probed in the background. Readiness reports it, and the
 * API refuses writes with 503 while the journal is down instead of letting them time out.
 * Two failed probes in a row mark it down (one slow probe under load is not an outage); one
 * good probe marks it up.
 */
public final class JournalHealth implements Extension {
  private static final Logger log = LoggerFactory.getLogger(JournalHealth.class);
  private static final int FAILURES_TO_MARK_DOWN = 2;

  public static final ExtensionId<JournalHealth> ID = new ExtensionId<>() {
    @Override
    public JournalHealth createExtension(ActorSystem<?> system) {
      return new JournalHealth(system);
    }
  };

  private final ActorSystem<?> system;
  private final JournalBackend backend;
  private final Duration interval;
  private final Duration timeout;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final List<Runnable> onRecovered = new CopyOnWriteArrayList<>();
  private volatile boolean checked;
  /** Set once probes have failed FAILURES_TO_MARK_DOWN times in a row; cleared by a good probe. */
  private volatile Optional<String> down = Optional.empty();

  private JournalHealth(ActorSystem<?> system) {
    this.system = system;
    this.backend = JournalBackend.forConfig(system.settings().config());
    this.interval = system.settings().config().getDuration("wharf.journal-probe.interval");
    this.timeout = system.settings().config().getDuration("wharf.journal-probe.timeout");
    backend.startBackgroundWork();
    system.getWhenTerminated().thenRun(backend::close);
    probeNow();
  }

  public static JournalHealth get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public JournalBackend backend() {
    return backend;
  }

  /** For readiness: empty once the journal has answered and is not down; otherwise why not. */
  public Optional<String> problem() {
    return checked ? down : Optional.of("the " + backend.name() + " journal has not answered yet");
  }

  /** For refusing writes: present only while the journal is known to be down (not before the first probe). */
  public Optional<String> down() {
    return down;
  }

  /** Runs (on the probe's thread: keep it short) each time the journal answers again after being down. */
  public void onRecovered(Runnable action) {
    onRecovered.add(action);
  }

  private void probeNow() {
    if (system.whenTerminated().isCompleted()) {
      return;
    }
    backend.probe(system)
        .toCompletableFuture()
        .completeOnTimeout(Optional.of(backend.name() + " journal did not answer within " + timeout.toMillis() + " ms"),
            timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> Optional.of(backend.name() + " journal check failed: " + e))
        .thenAccept(this::record)
        .whenComplete((done, failure) -> scheduleNext());
  }

  private void record(Optional<String> result) {
    if (result.isEmpty()) {
      boolean wasDown = down.isPresent();
      failuresInARow.set(0);
      down = Optional.empty();
      checked = true;
      if (wasDown) {
        log.info("{} journal answers again", backend.name());
        onRecovered.forEach(Runnable::run);
      }
    } else if (failuresInARow.incrementAndGet() >= FAILURES_TO_MARK_DOWN) {
      if (down.isEmpty() && checked) {
        log.warn("{} journal is down: {}", backend.name(), result.get());
      } else if (down.isEmpty()) {
        log.info("{} journal does not answer yet: {}", backend.name(), result.get());
      }
      // the probe's own words (a driver's message can name files and hosts) go to the log only:
      // /ready is public and the 503 goes to every client
      down = Optional.of(backend.name() + " journal does not answer (the node's log says why)");
    }
  }

  private void scheduleNext() {
    try {
      system.scheduler().scheduleOnce(interval, this::probeNow, system.executionContext());
    } catch (IllegalStateException shuttingDown) {
      // the scheduler refuses new tasks once the system terminates
    }
  }
}
