package dev.wharf.engine.entity;

import dev.wharf.proto.OrderView;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latest view of each order, published by its entity after every write and after recovery,
 * so that reads (scanners polling GET /v1/orders/{id}) need no ask. Only valid where every order
 * entity runs in this JVM: single mode. In a cluster an order may be written on another node, so
 * the cache is {@link #DISABLED} there and every read asks the entity.
 *
 * <p>The entity publishes before it replies, so a client that saw a write acknowledged reads it
 * back. Bounded: past {@code maxEntries} some entries are dropped; a miss just asks the entity.
 */
public final class OrderViewCache {
  public static final OrderViewCache DISABLED = new OrderViewCache(0);

  private final int maxEntries;
  private final ConcurrentHashMap<String, OrderView> views = new ConcurrentHashMap<>();
  private final AtomicInteger putsSinceSizeCheck = new AtomicInteger();

  public OrderViewCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  public boolean enabled() {
    return maxEntries > 0;
  }

  public Optional<OrderView> get(String orderId) {
    return enabled() ? Optional.ofNullable(views.get(orderId)) : Optional.empty();
  }

  void publish(String orderId, OrderView view) {
    if (!enabled()) {
      return;
    }
    views.put(orderId, view);
    if (putsSinceSizeCheck.incrementAndGet() >= 1024) {
      putsSinceSizeCheck.set(0);
      trim();
    }
  }

  /** Drops arbitrary entries down to 90% of the bound (a dropped order is read from its entity). */
  private void trim() {
    int excess = views.size() - maxEntries;
    if (excess <= 0) {
      return;
    }
    int toDrop = excess + maxEntries / 10;
    Iterator<String> keys = views.keySet().iterator();
    while (toDrop-- > 0 && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }

  int size() {
    return views.size();
  }
}
