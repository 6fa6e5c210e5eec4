package pulse.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded LRU map, striped into independently locked segments so concurrent event loops rarely
 * contend. Eviction is per segment, which approximates global LRU well enough for a cache. Each
 * segment holds {@code capacity / segments} entries (at least one), so the whole holds at most
 * {@code capacity} entries when capacity is at least the number of segments.
 *
 * <p>Thread-safe. Null keys and values are not supported: {@link #get} answers null for a miss.
 */
final class BoundedLruCache<K, V> {
  static final int SEGMENTS = 16;

  private final Segment<K, V>[] segments;

  BoundedLruCache(int capacity) {
    this(capacity, SEGMENTS);
  }

  /** {@code segments} must be a power of two; tests use one segment for exact LRU order. */
  @SuppressWarnings("unchecked")
  BoundedLruCache(int capacity, int segments) {
    if (segments < 1 || Integer.bitCount(segments) != 1) {
      throw new IllegalArgumentException("segments must be a power of two: " + segments);
    }
    this.segments = new Segment[segments];
    int perSegment = Math.max(1, capacity / segments);
    for (int i = 0; i < segments; i++) {
      this.segments[i] = new Segment<>(perSegment);
    }
  }

  private Segment<K, V> segment(K key) {
    int h = key.hashCode();
    return segments[(h ^ (h >>> 16)) & (segments.length - 1)];
  }

  V get(K key) {
    Segment<K, V> s = segment(key);
    synchronized (s) {
      return s.get(key);
    }
  }

  void put(K key, V value) {
    Segment<K, V> s = segment(key);
    synchronized (s) {
      s.put(key, value);
    }
  }

  /** Entries held now, summed segment by segment (not an atomic snapshot). */
  int size() {
    int size = 0;
    for (Segment<K, V> s : segments) {
      synchronized (s) {
        size += s.size();
      }
    }
    return size;
  }

  private static final class Segment<K, V> extends LinkedHashMap<K, V> {
    private final int max;

    Segment(int max) {
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
      return size() > max;
    }
  }
}
