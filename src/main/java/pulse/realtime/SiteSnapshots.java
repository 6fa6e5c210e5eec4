package pulse.realtime;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@link SnapshotService} holds for one site, every part bounded by what Pulse decides:
 * plain snapshots by window (at most {@link SnapshotService#MAX_WINDOWS_PER_SITE}), filtered
 * snapshots by window and filter (at most the site's filter cap), the raw reads filtered
 * snapshots share within a tick (a few windows, dropped once a tick old) and the filters
 * admitted. Each map drops its least recently read entry first. Callers hold the object's lock.
 */
final class SiteSnapshots {
  /** Windows whose raw read filtered snapshots share; each may hold a window's every pageview. */
  static final int MAX_INPUTS = 4;

  /** A computation begun at {@code startedAt} (ms), shared by the readers that find it fresh. */
  record Entry<T>(long startedAt, Future<T> result) {
    boolean freshFor(long notBefore, long now) {
      return startedAt >= notBefore && startedAt <= now && !result.failed();
    }
  }

  /** A filtered snapshot's key. */
  record Slot(int windowSeconds, SnapshotFilter filter) {}

  private static final class Lru<K, V> extends LinkedHashMap<K, V> {
    private final int max;

    Lru(int max) {
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
      return size() > max;
    }
  }

  final Map<Integer, Entry<SnapshotService.Computed>> windows =
      new Lru<>(SnapshotService.MAX_WINDOWS_PER_SITE);
  final Map<Slot, Entry<SnapshotService.Computed>> filtered;
  final Map<Integer, Entry<FilterInput>> inputs = new Lru<>(MAX_INPUTS);
  final FilterAdmission admission;

  SiteSnapshots(int maxFilters) {
    this.filtered = new Lru<>(maxFilters);
    this.admission = new FilterAdmission(maxFilters);
  }

  /** The entry under key if fresh, else a new one from compute, stored. */
  static <K, T> Entry<T> fresh(Map<K, Entry<T>> map, K key, long notBefore, long now,
      Supplier<Entry<T>> compute) {
    Entry<T> entry = map.get(key);
    if (entry == null || !entry.freshFor(notBefore, now)) {
      entry = compute.get();
      map.put(key, entry);
    }
    return entry;
  }

  /**
   * Drops snapshots unread for {@code idleMillis}, raw reads older than {@code inputMillis} and
   * filters a minute unread; true when nothing is left.
   */
  boolean evict(long now, long idleMillis, long inputMillis) {
    windows.values().removeIf(e -> now - e.startedAt() > idleMillis);
    filtered.values().removeIf(e -> now - e.startedAt() > idleMillis);
    inputs.values().removeIf(e -> now - e.startedAt() > inputMillis);
    admission.expire(now);
    return windows.isEmpty() && filtered.isEmpty() && inputs.isEmpty() && admission.size() == 0;
  }
}
