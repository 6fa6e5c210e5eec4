package pulse.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What a snapshot reads: the window [from, now] in milliseconds and its minute buckets. The minute
 * buckets are the last ceil(window/60) clock minutes, the newest being the current minute, so every
 * bucket lies inside the window.
 *
 * @param recentLimit how many of the newest pageviews to read with their details: a snapshot's
 *     {@link #RECENT_LIMIT}, or up to {@link #RECENT_KEPT} for a filtered snapshot, which lists
 *     only its visitors' pageviews among them
 */
public record WindowQuery(String siteId, long now, int windowSeconds, int recentLimit) {
  public static final int RECENT_LIMIT = 50;
  /** How many of the newest pageviews the stores keep with their details (append.lua's RECENT_KEPT). */
  public static final int RECENT_KEPT = 200;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  /** A snapshot's query: the newest {@link #RECENT_LIMIT} pageviews. */
  public WindowQuery(String siteId, long now, int windowSeconds) {
    this(siteId, now, windowSeconds, RECENT_LIMIT);
  }

  public long from() {
    return now - windowSeconds * 1000L;
  }

  public int minuteCount() {
    return (windowSeconds + 59) / 60;
  }

  /** Epoch minute of the oldest bucket. */
  public long firstMinute() {
    return now / 60_000L - (minuteCount() - 1);
  }

  public String today() {
    return day(now);
  }

  /** The UTC hour of the day, 0 to 23. */
  public static int hourOfDay(long epochMillis) {
    return (int) (Math.floorMod(epochMillis, 86_400_000L) / 3_600_000L);
  }

  public static String day(long epochMillis) {
    return DAY.format(Instant.ofEpochMilli(epochMillis));
  }
}
