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

  /**
   * Records one minute of the site's history: the caller's active and present counts, and the
   * minute's pageviews and custom events as the store counts them. Written once: when the minute
   * is recorded already (by another instance sharing the store, or this one) nothing changes and
   * the point held is returned with {@code written} false. Kept {@link HistorySlots#KEEP_DAYS}
   * days after its day.
   */
  Future<Recorded> recordMinute(String siteId, long minute, long activeVisitors, long present);

  /** Whether {@link #recordMinute} wrote the point, and the point the store holds for the minute. */
  record Recorded(boolean written, MinutePoint point) {}

  /** The point of a minute as it stands, written nowhere: the minute in progress. */
  Future<MinutePoint> minuteSoFar(String siteId, long minute, long activeVisitors, long present);

  /** The recorded points of [fromMinute, toMinute], oldest first; unrecorded minutes are absent. */
  Future<List<MinutePoint>> history(String siteId, long fromMinute, long toMinute);

  /**
   * Takes a lease named {@code name} of the site for {@code ttlMillis} when nobody holds it: true
   * for the one caller (of every instance sharing the store) that got it. What only one instance
   * may do (send an alert) is done by the holder.
   */
  Future<Boolean> lease(String siteId, String name, long ttlMillis);

  /** A small named piece of state of the site (JSON text), or null; kept until overwritten. */
  Future<String> readState(String siteId, String name);

  Future<Void> writeState(String siteId, String name, String value);

  /** Succeeds when the store can be used. */
  Future<Void> ping();

  /** "redis" or "memory", as /health names it. */
  String kind();

  Future<Void> close();
}
