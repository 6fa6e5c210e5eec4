package pulse.realtime;

import java.util.HashMap;
import java.util.Map;

/**
 * The cap on distinct filters of one site: at most {@code max} filter sets read within the last
 * minute. A filter read before stays admitted as long as it is read (a stream's refreshes read
 * it); a new one past the cap waits until the oldest has gone a minute unread. So what a site's
 * readers can make Pulse compute and hold per tick is bounded, however many filters they try.
 * Not thread-safe: {@link SiteSnapshots} holds it under its lock.
 */
final class FilterAdmission {
  static final long SPAN_MILLIS = 60_000L;

  private final int max;
  private final Map<SnapshotFilter, Long> lastRead = new HashMap<>();

  FilterAdmission(int max) {
    this.max = max;
  }

  /**
   * Admits a filter read now: 0 when it may be read, otherwise the seconds until a slot frees
   * (at least 1).
   */
  long admit(SnapshotFilter filter, long now) {
    expire(now);
    if (lastRead.containsKey(filter) || lastRead.size() < max) {
      lastRead.put(filter, now);
      return 0;
    }
    long oldest = Long.MAX_VALUE;
    for (long t : lastRead.values()) {
      oldest = Math.min(oldest, t);
    }
    return Math.max(1, (oldest + SPAN_MILLIS - now + 999) / 1000);
  }

  /** Notes a read of an admitted filter (a stream's refresh); a filter past the cap is not added. */
  void touch(SnapshotFilter filter, long now) {
    admit(filter, now);
  }

  void expire(long now) {
    lastRead.values().removeIf(t -> now - t >= SPAN_MILLIS);
  }

  int size() {
    return lastRead.size();
  }
}
