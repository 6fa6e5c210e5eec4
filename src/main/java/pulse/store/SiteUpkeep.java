package pulse.store;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an append.lua call also does a site's upkeep, decided per site on this instance: the trims
 * and caps (events past the retention, the per-site caps, the newest-pageviews list) at most
 * once a second, and the refresh of the realtime keys' TTLs at most once every
 * {@link #REFRESH_MILLIS}. A site with a few events a second would otherwise pay both on every
 * call, about half of the call's commands.
 *
 * <p>Neither is needed for correctness on every call. The window reads take entries by score, so
 * an entry past the retention that is trimmed a second later is never read; the caps bound
 * memory, and a batch of {@link #BATCH_EVENTS} events or more (a flood comes in those) is capped
 * as it comes. The realtime keys live {@code retain + 600 s} from their last refresh, far more
 * than the {@link #REFRESH_MILLIS} between two refreshes by any instance that writes the site;
 * an instance that stops leaves the keys the same margin, and a key a call may have created
 * (after a restart, a failover or an idle hour) gets its TTL in that call whatever this says
 * (append.lua). Sites come only from the sites file, so the map is bounded.
 */
final class SiteUpkeep {
  /** Trims and caps at most this often per site and instance. */
  static final long TRIM_MILLIS = 1_000;
  /** The realtime keys' TTLs (retention + 600 s) are refreshed at most this often. */
  static final long REFRESH_MILLIS = 10_000;
  /** A batch this large does its trims and caps whenever it comes: their cost is shared. */
  static final int BATCH_EVENTS = 64;

  /** What one call does besides its writes. */
  record Due(boolean trim, boolean refresh) {}

  private final Clock clock;
  /** site → [last trim, last refresh] (ms, this instance's clock). */
  private final Map<String, long[]> last = new ConcurrentHashMap<>();

  SiteUpkeep(Clock clock) {
    this.clock = clock;
  }

  /**
   * What the next call for the site does, taken as done: a call that fails is not retried with
   * the same decision, and the next due upkeep comes a second (or ten) later.
   */
  Due next(String siteId, int batchEvents) {
    long now = clock.millis();
    long[] times = last.computeIfAbsent(siteId,
        id -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
    synchronized (times) {
      // a clock set back (tests, a corrected host clock) does not stop the upkeep
      boolean trim = batchEvents >= BATCH_EVENTS || due(times[0], now, TRIM_MILLIS);
      boolean refresh = due(times[1], now, REFRESH_MILLIS);
      if (trim) {
        times[0] = now;
      }
      if (refresh) {
        times[1] = now;
      }
      return new Due(trim, refresh);
    }
  }

  private static boolean due(long at, long now, long every) {
    return at == Long.MIN_VALUE || now - at >= every || now < at;
  }
}
