package dev.wharf.engine.domain;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The last {@code capacity} distinct ids added, the oldest forgotten first: idempotency memory
 * that stays bounded however long an entity lives (decision 0018). Iteration is oldest first, so
 * a snapshot written and read back in that order forgets the same ids next.
 */
public final class RecentIds {
  private final int capacity;
  private final LinkedHashSet<String> ids = new LinkedHashSet<>();

  public RecentIds(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  public boolean contains(String id) {
    return ids.contains(id);
  }

  /** Remembers {@code id} (an id already remembered keeps its place) and forgets the oldest beyond capacity. */
  public void add(String id) {
    if (ids.add(id) && ids.size() > capacity) {
      Iterator<String> oldest = ids.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  public int size() {
    return ids.size();
  }

  public int capacity() {
    return capacity;
  }

  /** The remembered ids, oldest first (a read-only view). */
  public Collection<String> oldestFirst() {
    return Collections.unmodifiableCollection(ids);
  }
}
