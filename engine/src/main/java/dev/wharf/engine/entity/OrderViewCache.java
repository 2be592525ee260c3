package dev.wharf.engine.entity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.proto.OrderView;
import java.util.Optional;
import java.util.function.Function;

/**
 * The latest view of each order, published by its entity after every write, after recovery and
 * when it answers a read (so a miss puts it back), so that reads (scanners polling
 * GET /v1/orders/{id}) need no ask. Only valid where every order
 * entity runs in this JVM: single mode. In a cluster an order may be written on another node, so
 * the cache is {@link #DISABLED} there and every read asks the entity.
 *
 * <p>The entity publishes before it replies, so a client that saw a write acknowledged reads it
 * back. Bounded by Caffeine's frequency and recency policy, so the orders being read stay while
 * the flood of new ones passes through; a miss just asks the entity (decision 0012).
 *
 * <p>Each entry also keeps the view's rendering for the API once a read has made one: a view
 * never changes (a write publishes a new one), so neither does its rendering, and a scanner
 * polling an order gets the same bytes without the order being rendered again.
 */
public final class OrderViewCache {
  public static final OrderViewCache DISABLED = new OrderViewCache(0);

  private final Cache<String, Published> views;

  public OrderViewCache(int maxEntries) {
    // upkeep on the calling thread: ForkJoinPool.commonPool is a thread per task on small machines
    this.views = maxEntries > 0 ? Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build() : null;
  }

  public boolean enabled() {
    return views != null;
  }

  public Optional<OrderView> get(String orderId) {
    return published(orderId).map(Published::view);
  }

  public Optional<Published> published(String orderId) {
    return enabled() ? Optional.ofNullable(views.getIfPresent(orderId)) : Optional.empty();
  }

  void publish(String orderId, OrderView view) {
    if (enabled()) {
      views.put(orderId, new Published(view));
    }
  }

  /** Drops one view, as the bound would. */
  void drop(String orderId) {
    if (enabled()) {
      views.invalidate(orderId);
    }
  }

  int size() {
    views.cleanUp();
    return (int) views.estimatedSize();
  }

  /** A published view and, once rendered, its rendering for the API. */
  public static final class Published {
    private final OrderView view;
    private volatile byte[] rendering;

    Published(OrderView view) {
      this.view = view;
    }

    public OrderView view() {
      return view;
    }

    /**
     * The view rendered by {@code render}, rendered once: every caller must pass the same
     * rendering (the API's JSON). Two first reads at once may both render; either result is kept.
     */
    public byte[] rendered(Function<OrderView, byte[]> render) {
      byte[] r = rendering;
      if (r == null) {
        r = render.apply(view);
        rendering = r;
      }
      return r;
    }
  }
}
