package pulse.store;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an append.lua call also does a site's upkeep, decided per site on this instance: the trims
 * and caps (entries past the retention, the per-site caps, the newest-pageviews list) once
 * {@link #TRIM_MILLIS} have passed or {@link #TRIM_EVENTS} events were sent since the last, and
 * the refresh of the realtime keys' TTLs at most every {@link #REFRESH_MILLIS}. A site with a few
 * events a second would otherwise pay both on every call, about half of the call's commands.
 *
 * <p>Neither is needed on every call. The window reads take every set by score, so an entry past
 * the retention is never read whether it is trimmed now or a few seconds later (a site nobody
 * writes to was never trimmed either), and 5 s more than a 61-minute retention is nothing to
 * memory; the caps bound memory, and at most {@link #TRIM_EVENTS} events per instance go past
 * them before the next call caps them again, whatever the rate. The realtime keys live
 * {@code retain + 600 s} from their last refresh, twenty times the {@link #REFRESH_MILLIS} between
 * two refreshes by any instance that writes the site: an instance that stops leaves them that
 * margin, and a key a call may have created (after a restart, a failover or an idle hour) gets its
 * TTL in that call whatever this says (append.lua). Sites come only from the sites file, so the
 * map is bounded.
 */
final class SiteUpkeep {
  /** Trims and caps at least this often per site and instance while it is written. */
  static final long TRIM_MILLIS = 5_000;
  /** ... or once this many events were sent since the last: a flood is capped as it comes. */
  static final int TRIM_EVENTS = 64;
  /** The realtime keys' TTLs (retention + 600 s) are refreshed at most this often. */
  static final long REFRESH_MILLIS = 30_000;

  /** What one call does besides its writes. */
  record Due(boolean trim, boolean refresh) {}

  /** One site's upkeep on this instance. */
  private static final class Site {
    long trimmedAt = Long.MIN_VALUE;
    long refreshedAt = Long.MIN_VALUE;
    long eventsSinceTrim;
  }

  private final Clock clock;
  private final Map<String, Site> sites = new ConcurrentHashMap<>();

  SiteUpkeep(Clock clock) {
    this.clock = clock;
  }

  /**
   * What the next call for the site, of {@code batchEvents} events, does; taken as done: a call
   * that fails is not retried with the same decision, and the next upkeep comes in its time.
   */
  Due next(String siteId, int batchEvents) {
    long now = clock.millis();
    Site site = sites.computeIfAbsent(siteId, id -> new Site());
    synchronized (site) {
      site.eventsSinceTrim += batchEvents;
      boolean trim = site.eventsSinceTrim >= TRIM_EVENTS
          || due(site.trimmedAt, now, TRIM_MILLIS);
      boolean refresh = due(site.refreshedAt, now, REFRESH_MILLIS);
      if (trim) {
        site.trimmedAt = now;
        site.eventsSinceTrim = 0;
      }
      if (refresh) {
        site.refreshedAt = now;
      }
      return new Due(trim, refresh);
    }
  }

  /** Never done, or long enough ago; a clock set back (tests, a host clock corrected) too. */
  private static boolean due(long at, long now, long every) {
    return at == Long.MIN_VALUE || now - at >= every || now < at;
  }
}
