package pulse.realtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest change note of each site, remembered for one tick. A stream opened right after a
 * note must get a snapshot computed after it, even when no group of the site was open to take the
 * note (the stream that saw the change may have just reconnected). Older notes no longer matter:
 * a snapshot of the current tick is computed after them anyway, so they are dropped.
 */
final class RecentChangeNotes {
  private final long tickMillis;
  private final Map<String, Long> newest = new ConcurrentHashMap<>();

  RecentChangeNotes(long tickMillis) {
    this.tickMillis = tickMillis;
  }

  void noted(String siteId, long now) {
    newest.values().removeIf(t -> now - t >= tickMillis);
    newest.put(siteId, now);
  }

  /**
   * The time a snapshot for a new stream of the site must be computed at or after: the start of
   * the current tick, unless a change note came after it.
   */
  long notBefore(String siteId, long now) {
    return Math.max(now - tickMillis + 1, newest.getOrDefault(siteId, 0L));
  }

  /** How many sites' notes are held (the memory this costs). */
  int remembered() {
    return newest.size();
  }
}
