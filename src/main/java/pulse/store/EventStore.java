package pulse.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where events live. Two implementations that behave the same (one conformance suite tests both):
 * {@link RedisEventStore} for production and scale-out, {@link MemoryEventStore} for a single
 * instance with nothing to set up.
 */
public interface EventStore {
  /** Stores events of one site, in order; they are counted once the future succeeds. */
  Future<Void> append(String siteId, List<Event> events);

  Future<WindowData> window(WindowQuery query);

  /**
   * Every pageview of the window [from, now], oldest first, with its visitor: what a filtered
   * snapshot counts its visitors' pageviews from. As many as the window holds (the store's
   * per-site cap bounds them), so only filtered snapshots read it, once per window and tick.
   */
  Future<List<WindowPageview>> pageviews(WindowQuery query);

  /** Figures of one UTC day (yyyyMMdd). */
  Future<DayFigures> day(String siteId, String day);

  /** Distinct visitors over several days (yyyyMMdd each). */
  Future<Long> uniqueVisitors(String siteId, List<String> days);

  /**
   * Unique visitors and pageviews of the first {@code hours} hours (0 to 24) of a UTC day, for
   * "yesterday up to this time" comparisons. A visitor counts in the hour they were first seen.
   */
  Future<DayPart> dayHours(String siteId, String day, int hours);

  /** Time of the site's newest event in ms, or null when it has none kept. */
  Future<Long> lastEventTime(String siteId);

  /**
   * How long a day's salt is kept: the whole UTC day it serves plus an hour of slack. Kept no
   * longer, so that once the day is over its visitor ids can no longer be recomputed from an IP.
   */
  long SALT_TTL_SECONDS = 25 * 3600L;

  /** The salt of a UTC day, the same for every instance sharing the store. */
  Future<String> dailySalt(String day);

  /** Succeeds when the store can be used. */
  Future<Void> ping();

  /** "redis" or "memory", as /health names it. */
  String kind();

  Future<Void> close();
}
