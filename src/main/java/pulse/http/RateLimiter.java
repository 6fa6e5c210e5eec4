package pulse.http;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per key per clock minute (a fixed window: the count starts again at each minute), in
 * this instance's memory. A key is whatever the caller limits by, e.g. endpoint and client IP.
 * Keys of past minutes are dropped (at most once a minute) once many have gathered, so the map
 * holds about the keys of the last minute or two.
 */
public final class RateLimiter {
  private static final long MINUTE = 60_000L;
  private static final int PRUNE_ABOVE = 10_000;

  private record Window(long minute, int count) {}

  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private volatile long prunedMinute;

  public RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Counts one request under key.
   *
   * @return 0 when it is within limit per minute, else the seconds until the minute ends (at
   *     least 1), for a Retry-After header
   */
  public long acquire(String key, int limit) {
    long now = clock.millis();
    long minute = Math.floorDiv(now, MINUTE);
    Window w = windows.compute(key, (k, old) -> old == null || old.minute != minute
        ? new Window(minute, 1) : new Window(minute, old.count == Integer.MAX_VALUE
            ? old.count : old.count + 1));
    if (minute > prunedMinute && windows.size() > PRUNE_ABOVE) {
      // once per minute at most, so a flood of new keys costs no scan per request
      prunedMinute = minute;
      windows.values().removeIf(old -> old.minute < minute);
    }
    if (w.count <= limit) {
      return 0;
    }
    long left = (minute + 1) * MINUTE - now;
    return Math.max(1, (left + 999) / 1000);
  }

  /** How many keys are held (tests check that old ones go). */
  public int size() {
    return windows.size();
  }
}
