package pulse.store;

import pulse.config.PulseConfig;

/**
 * The bounds both stores keep, so a flood or a long history cannot grow memory without end.
 * Redis keeps the counts; the embedded store also keeps the byte caps, and sizes both from the
 * heap ({@link #forHeap}).
 */
public record StoreLimits(
    long sessionGapMillis,
    long retainMillis,
    int maxPageviewsPerSite,
    int maxVisitorsPerSite,
    int dayRetentionDays,
    long maxPageviewBytesPerSite,
    long maxVisitorBytesPerSite) {

  /** The share of the heap the embedded store may fill; the rest is for the write buffer,
   * streams, requests and the collector's headroom. */
  static final double STORE_SHARE_OF_HEAP = 0.5;
  /**
   * Heap bytes of a typical pageview (a 20-character path, a 40-character title, a referrer
   * domain) and of a typical visitor, as {@link TimedMembers#memberBytes} and
   * {@link MemorySiteData#visitorBytes} count them: 363 and 825. Measured on a 64-bit JVM with
   * compressed references (used heap after GC with 200,000 stored, divided), they take 328 and
   * 662: the counting errs on the safe side. The visitor's presence, campaign and engaged fields
   * added since (an entry path, two times, the engaged time, empty campaigns) count about 1,070
   * (counted, not measured again).
   */
  static final long TYPICAL_PAGEVIEW_BYTES = 380;
  static final long TYPICAL_VISITOR_BYTES = 1_080;
  /** Hourly visitor counters live three days, as append.lua's. */
  private static final int HOUR_COUNTERS = 3 * 24;
  /** A site's day counter hashes, about 30 fields each. */
  private static final long DAY_HASH_BYTES = 4096;

  /** Counts only: no byte caps (what Redis keeps, and tests that do not size from a heap). */
  public StoreLimits(long sessionGapMillis, long retainMillis, int maxPageviewsPerSite,
      int maxVisitorsPerSite, int dayRetentionDays) {
    this(sessionGapMillis, retainMillis, maxPageviewsPerSite, maxVisitorsPerSite,
        dayRetentionDays, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  public static StoreLimits from(PulseConfig config) {
    // keep a little more than the longest window, and never less than a session gap
    long gap = config.sessions().sessionGapMillis();
    long retain = Math.max(config.windows().maxSeconds() * 1000L, gap) + 60_000L;
    return new StoreLimits(gap, retain, config.limits().maxPageviewsPerSite(),
        config.limits().maxVisitorsPerSite(), config.sessions().dayRetentionDays());
  }

  public long dayTtlSeconds() {
    return dayRetentionDays * 86_400L;
  }

  /**
   * What one site holds whatever it is sent, before pageviews and visitors: its visitor
   * counters (HyperLogLogs) of each kept day, of three days of hours, of each kept minute.
   */
  long fixedBytesPerSite() {
    long minutes = retainMillis / 60_000L + 11;
    return (dayRetentionDays + HOUR_COUNTERS + minutes) * HyperLogLog.MAX_BYTES
        + dayRetentionDays * DAY_HASH_BYTES;
  }

  /**
   * These limits for the embedded store in a heap of maxHeapBytes shared by siteCount sites:
   * <pre>
   *   perSite   = (maxHeap * 0.5 - sites * fixedBytesPerSite) / sites
   *   byte caps = perSite / 3 each for pageviews, custom events and visitors
   *   pageviews = min(configured, perSite / 3 / 380)     visitors = min(configured, perSite / 3 / 840)
   * </pre>
   * so sites * (pageviews + custom events + visitors + fixed) stays within half the heap. The
   * counts are what typical entries allow; the byte caps hold even when every entry is as long
   * as ingest allows. Never below 100 of each (a heap that small is logged as too small).
   */
  public StoreLimits forHeap(long maxHeapBytes, int siteCount) {
    int sites = Math.max(1, siteCount);
    long perSite = Math.max(0,
        (long) (maxHeapBytes * STORE_SHARE_OF_HEAP) - sites * fixedBytesPerSite()) / sites;
    long third = perSite / 3;
    int pageviews = (int) Math.max(100, Math.min(maxPageviewsPerSite, third / TYPICAL_PAGEVIEW_BYTES));
    int visitors = (int) Math.max(100, Math.min(maxVisitorsPerSite, third / TYPICAL_VISITOR_BYTES));
    return new StoreLimits(sessionGapMillis, retainMillis, pageviews, visitors, dayRetentionDays,
        Math.max(third, 100 * TYPICAL_PAGEVIEW_BYTES), Math.max(third, 100 * TYPICAL_VISITOR_BYTES));
  }

  /** The caps, for the start-up log. */
  public String describe(int siteCount) {
    return "per site at most " + maxPageviewsPerSite + " pageviews and as many custom events ("
        + maxPageviewBytesPerSite / (1 << 20) + " MiB each), " + maxVisitorsPerSite
        + " visitors (" + maxVisitorBytesPerSite / (1 << 20) + " MiB), " + siteCount + " sites";
  }
}
