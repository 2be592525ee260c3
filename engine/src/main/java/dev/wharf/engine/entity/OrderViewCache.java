package dev.wharf.engine.entity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.proto.OrderView;
import java.util.Optional;

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
 */
public final class OrderViewCache {
  public static final OrderViewCache DISABLED = new OrderViewCache(0);

  private final Cache<String, OrderView> views;

  public OrderViewCache(int maxEntries) {
    // upkeep on the calling thread: ForkJoinPool.commonPool is a thread per task on small machines
    this.views = maxEntries > 0 ? Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build() : null;
  }

  public boolean enabled() {
    return views != null;
  }

  public Optional<OrderView> get(String orderId) {
    return enabled() ? Optional.ofNullable(views.getIfPresent(orderId)) : Optional.empty();
  }

  void publish(String orderId, OrderView view) {
    if (enabled()) {
      views.put(orderId, view);
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
}
