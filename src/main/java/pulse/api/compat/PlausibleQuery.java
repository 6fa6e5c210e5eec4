package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Plausible Stats API v2 query ({@code POST /api/v2/query}) that Pulse can answer, or the reason
 * it cannot (Plausible's 400 with {@code {"error": "..."}}). Pulse holds the last hour and the UTC
 * day, so it answers {@code date_range} "day", "realtime" (Plausible's last 5 minutes), "30m", and
 * a pair of ISO 8601 datetimes reaching now from within the last hour; the metrics visitors,
 * pageviews and events; no dimension or one of event:page, event:goal, visit:source,
 * visit:country, visit:device and visit:browser; no filters.
 *
 * @param windowSeconds the snapshot window of a datetime range or shorthand; 0 for "day"
 * @param dateRange the request's date_range as given, echoed in the answer
 */
record PlausibleQuery(String siteId, List<String> metrics, Object dateRange, int windowSeconds,
    String dimension, List<List<String>> orderBy, int limit, int offset) {

  /** Plausible's metrics; only the first three are held by Pulse. */
  static final List<String> HELD_METRICS = List.of("visitors", "pageviews", "events");
  private static final List<String> PLAUSIBLE_METRICS = List.of("visitors", "visits",
      "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events", "scroll_depth",
      "percentage", "conversion_rate", "group_conversion_rate", "average_revenue",
      "total_revenue", "time_on_page", "exit_rate");
  static final List<String> HELD_DIMENSIONS = List.of("event:page", "event:goal",
      "visit:source", "visit:country", "visit:device", "visit:browser");
  /** Plausible's default page size (ParsedQueryParams.default_pagination). */
  static final int DEFAULT_LIMIT = 10_000;
  /** Plausible's shorthands that name a window: its realtime is 5 minutes. */
  private static final Map<String, Integer> SHORT_WINDOWS = Map.of("realtime", 300, "30m", 1800);
  /** A client's clock may run this far behind Pulse's when its range "ends now". */
  private static final long END_SLACK_MILLIS = 60_000;

  /** A query Pulse does not answer; the message is the body's "error". */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * @param nowMillis Pulse's clock
   * @param maxWindow the longest window the stores keep (windows.maxSeconds)
   */
  static PlausibleQuery parse(JsonObject body, long nowMillis, int maxWindow) throws Refused {
    String siteId = body.getValue("site_id") instanceof String s ? s : null;
    List<String> metrics = metrics(body.getValue("metrics"));
    Object range = body.getValue("date_range");
    int window = window(range, nowMillis, maxWindow);
    Object filters = body.getValue("filters");
    if (filters != null && !(filters instanceof JsonArray a && a.isEmpty())) {
      throw new Refused("Pulse does not answer filtered queries: leave out `filters`.");
    }
    String dimension = dimension(body.getValue("dimensions"));
    if (window == 0 && dimension != null) {
      throw new Refused("Pulse keeps the day's totals only: a `day` query takes no dimensions.");
    }
    if (window == 0 && metrics.contains("events")) {
      throw new Refused("Pulse keeps no day total of `events`: ask for visitors or pageviews.");
    }
    if (dimension != null && dimension.startsWith("visit:")) {
      for (String m : metrics) {
        if (!m.equals("visitors")) {
          throw new Refused("Metric `" + m + "` is not held by Pulse per `" + dimension
              + "`: ask for visitors.");
        }
      }
    }
    include(body.getValue("include"));
    int[] page = pagination(body.getValue("pagination"));
    return new PlausibleQuery(siteId, metrics, range, window, dimension,
        orderBy(body.getValue("order_by"), metrics, dimension), page[0], page[1]);
  }

  private static List<String> metrics(Object value) throws Refused {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw new Refused("`metrics` is required: a non-empty list, e.g. [\"visitors\"].");
    }
    List<String> out = new ArrayList<>();
    for (Object m : array) {
      if (!(m instanceof String name) || !PLAUSIBLE_METRICS.contains(name)) {
        throw new Refused("Unknown metric '" + CompatText.echo(m) + "'.");
      }
      if (!HELD_METRICS.contains(name)) {
        throw new Refused("Metric `" + name + "` is not held by Pulse: it answers "
            + String.join(", ", HELD_METRICS) + ".");
      }
      if (out.contains(name)) {
        throw new Refused("Metrics cannot be queried multiple times.");
      }
      out.add(name);
    }
    return out;
  }

  /** The window in seconds of a datetime pair or shorthand, 0 for "day"; refused otherwise. */
  private static int window(Object range, long nowMillis, int maxWindow) throws Refused {
    if ("day".equals(range)) {
      return 0;
    }
    if (range instanceof String s && SHORT_WINDOWS.containsKey(s)) {
      return Math.min(SHORT_WINDOWS.get(s), maxWindow);
    }
    if (range instanceof JsonArray pair && pair.size() == 2
        && pair.getValue(0) instanceof String from && pair.getValue(1) instanceof String to) {
      long fromMillis = instant(from, pair);
      long toMillis = instant(to, pair);
      long seconds = (nowMillis - fromMillis + 999) / 1000;
      if (fromMillis < toMillis && toMillis >= nowMillis - END_SLACK_MILLIS && seconds >= 1
          && seconds <= maxWindow) {
        // whole minutes, so polling clients share a few cached windows
        return (int) Math.min(maxWindow, (seconds + 59) / 60 * 60);
      }
    }
    if (range == null) {
      throw new Refused("`date_range` is required.");
    }
    throw new Refused("Invalid date_range '" + CompatText.echo(range) + "': Pulse holds the"
        + " last " + (maxWindow / 60) + " minutes and today, so it answers \"day\", \"realtime\","
        + " \"30m\" and two ISO 8601 datetimes from within them up to now.");
  }

  private static long instant(String text, JsonArray pair) throws Refused {
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new Refused("Invalid date_range '" + CompatText.echo(pair) + "'.");
    }
  }

  private static String dimension(Object value) throws Refused {
    if (value == null || value instanceof JsonArray a && a.isEmpty()) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > 1
        || !(array.getValue(0) instanceof String d) || !HELD_DIMENSIONS.contains(d)) {
      throw new Refused("Invalid dimensions '" + CompatText.echo(value) + "': Pulse answers"
          + " one of " + String.join(", ", HELD_DIMENSIONS) + ".");
    }
    return d;
  }

  private static void include(Object value) throws Refused {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject include)) {
      throw new Refused("Invalid include '" + CompatText.echo(value) + "'.");
    }
    for (String key : include.fieldNames()) {
      Object v = include.getValue(key);
      if (v != null && !Boolean.FALSE.equals(v)) {
        throw new Refused("Pulse does not answer include `" + key + "`.");
      }
    }
  }

  private static int[] pagination(Object value) throws Refused {
    if (value == null) {
      return new int[] {DEFAULT_LIMIT, 0};
    }
    if (value instanceof JsonObject p
        && (p.getValue("limit") == null || p.getValue("limit") instanceof Integer)
        && (p.getValue("offset") == null || p.getValue("offset") instanceof Integer)) {
      int limit = p.getInteger("limit", DEFAULT_LIMIT);
      int offset = p.getInteger("offset", 0);
      if (limit >= 1 && offset >= 0) {
        return new int[] {limit, offset};
      }
    }
    throw new Refused("Invalid pagination '" + CompatText.echo(value) + "'.");
  }

  /** The order: as asked (each entry a metric or the dimension), else the first metric, most first. */
  private static List<List<String>> orderBy(Object value, List<String> metrics, String dimension)
      throws Refused {
    if (value == null) {
      return List.of(List.of(metrics.get(0), "desc"));
    }
    List<List<String>> out = new ArrayList<>();
    if (value instanceof JsonArray entries) {
      for (Object e : entries) {
        if (e instanceof JsonArray entry && entry.size() == 2
            && entry.getValue(0) instanceof String by && entry.getValue(1) instanceof String dir
            && (metrics.contains(by) || by.equals(dimension))
            && (dir.equals("asc") || dir.equals("desc"))) {
          out.add(List.of(by, dir));
        } else {
          throw new Refused("Invalid order_by entry '" + CompatText.echo(e) + "'.");
        }
      }
      return out;
    }
    throw new Refused("Invalid order_by '" + CompatText.echo(value) + "'.");
  }
}
