package dev.wharf.engine.entity;

import dev.wharf.proto.OrderView;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * back. Bounded, least recently written or read first: scanners read the orders that were just
 * taken in or moved on, and each of those was just published. (Caffeine's frequency-based
 * admission refused freshly written views against older, busier ones: a flash sale's orders
 * were 0-21% uncached when scanners came for them.) A miss just asks the entity (decision 0012).
 * Striped, so that concurrent reads rarely meet on one lock.
 *
 * <p>Each entry also keeps the view's rendering for the API once a read has made one: a view
 * never changes (a write publishes a new one), so neither does its rendering, and a scanner
 * polling an order gets the same bytes without the order being rendered again.
 */
public final class OrderViewCache {
  public static final OrderViewCache DISABLED = new OrderViewCache(0);

  /** Up to 64 locks; a stripe holds at least ~1,000 views, so the bound's split by hash barely shows. */
  private static final int MAX_STRIPES = 64;
  private static final int MIN_STRIPE_ENTRIES = 1024;
  private final Stripe[] stripes;

  public OrderViewCache(int maxEntries) {
    if (maxEntries <= 0) {
      this.stripes = null;
      return;
    }
    int count = Math.max(1, Math.min(MAX_STRIPES, maxEntries / MIN_STRIPE_ENTRIES));
    this.stripes = new Stripe[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new Stripe(maxEntries / count);
    }
  }

  public boolean enabled() {
    return stripes != null;
  }

  public Optional<OrderView> get(String orderId) {
    return published(orderId).map(Published::view);
  }

  public Optional<Published> published(String orderId) {
    if (!enabled()) {
      return Optional.empty();
    }
    Stripe stripe = stripeOf(orderId);
    synchronized (stripe) {
      return Optional.ofNullable(stripe.get(orderId));
    }
  }

  void publish(String orderId, OrderView view) {
    if (enabled()) {
      Published published = new Published(view);
      Stripe stripe = stripeOf(orderId);
      synchronized (stripe) {
        stripe.put(orderId, published);
      }
    }
  }

  /** Drops one view, as the bound would: the next read asks the order itself. */
  public void drop(String orderId) {
    if (enabled()) {
      Stripe stripe = stripeOf(orderId);
      synchronized (stripe) {
        stripe.remove(orderId);
      }
    }
  }

  int size() {
    int size = 0;
    for (Stripe stripe : stripes) {
      synchronized (stripe) {
        size += stripe.size();
      }
    }
    return size;
  }

  private Stripe stripeOf(String orderId) {
    // the stripe from the high bits of a mixed hash: a stripe's HashMap indexes by the low bits,
    // and keys sharing those would pile into a few of its buckets
    long mixed = (orderId.hashCode() * 0x9E3779B9L) & 0xffffffffL;
    return stripes[(int) ((mixed * stripes.length) >>> 32)];
  }

  /** One stripe: a map in access order that drops its eldest entry past its share of the bound. */
  private static final class Stripe extends LinkedHashMap<String, Published> {
    private final int maxEntries;

    Stripe(int maxEntries) {
      super(16, 0.75f, true);
      this.maxEntries = maxEntries;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Published> eldest) {
      return size() > maxEntries;
    }
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
