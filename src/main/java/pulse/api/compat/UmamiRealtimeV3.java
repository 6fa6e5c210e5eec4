package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulse.realtime.Snapshot;
import pulse.realtime.Times;

/**
 * Umami's current GET /api/realtime/{websiteId} answer (Umami 2.x since its realtime rework, and
 * 3.x): {@code countries}, {@code urls}, {@code referrers}, {@code events}, {@code series},
 * {@code totals}, {@code timestamp}, mapped from a 30-minute snapshot.
 *
 * <p>Umami builds countries, urls and referrers from the newest activity rows it lists (at most
 * 100), walking them oldest first: a session's first row counts its country and adds a
 * {@code session} row, each row counts its url and referrer (empty ones are skipped). Pulse walks
 * the snapshot's newest pageviews the same way. Umami's totals add the per-minute series up, so a
 * visitor active in three minutes counts three times in {@code totals.visitors}; Pulse keeps that.
 */
final class UmamiRealtimeV3 {
  private UmamiRealtimeV3() {}

  /**
   * @param hostname the site's first domain: the snapshot keeps paths, not hosts
   */
  static JsonObject map(Snapshot s, String hostname) {
    Map<String, Long> sessionStarts = new LinkedHashMap<>();
    for (Snapshot.Session v : s.sessions()) {
      sessionStarts.put(v.visitorId(), v.sessionStart());
    }
    JsonObject countries = new JsonObject();
    JsonObject urls = new JsonObject();
    JsonObject referrers = new JsonObject();
    List<JsonObject> events = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Snapshot.PageviewDetail> recent = s.recentDetails();
    // the snapshot holds the newest first; Umami walks them oldest first, then lists newest first
    for (int i = recent.size() - 1; i >= 0; i--) {
      Snapshot.PageviewDetail p = recent.get(i);
      String sessionId = UmamiApi.sessionId(s.site(), p.visitorId(),
          sessionStarts.getOrDefault(p.visitorId(), 0L));
      JsonObject row = new JsonObject()
          .put("sessionId", sessionId)
          .put("eventName", "")
          .put("createdAt", Times.isoMillis(p.timeMillis()))
          .put("browser", p.browser())
          .put("os", p.os())
          .put("device", p.device())
          .put("country", nullToEmpty(p.country()))
          .put("urlPath", p.path())
          .put("referrerDomain", nullToEmpty(p.referrer()))
          .put("hostname", hostname);
      if (seen.add(sessionId)) {
        increment(countries, p.country());
        events.add(new JsonObject().put("__type", "session").mergeIn(row));
      }
      increment(urls, p.path());
      increment(referrers, p.referrer());
      events.add(new JsonObject().put("__type", "pageview").mergeIn(row));
    }
    JsonArray newestFirst = new JsonArray();
    for (int i = events.size() - 1; i >= 0; i--) {
      newestFirst.add(events.get(i));
    }
    JsonArray views = new JsonArray();
    JsonArray visitors = new JsonArray();
    long totalViews = 0;
    long totalVisitors = 0;
    for (Snapshot.MinuteStat m : s.perMinute()) {
      // Umami's series group the rows by minute: a minute without rows is not listed
      String minute = Times.isoSeconds(m.epochMinute() * 60_000L);
      if (m.pageviews() > 0) {
        views.add(point(minute, m.pageviews()));
        totalViews += m.pageviews();
      }
      if (m.visitors() > 0) {
        visitors.add(point(minute, m.visitors()));
        totalVisitors += m.visitors();
      }
    }
    return new JsonObject()
        .put("countries", countries)
        .put("urls", urls)
        .put("referrers", referrers)
        .put("events", newestFirst)
        .put("series", new JsonObject().put("views", views).put("visitors", visitors))
        .put("totals", new JsonObject()
            .put("views", totalViews)
            .put("visitors", totalVisitors)
            // the listed rows are pageviews: Pulse keeps custom events as counts, not rows
            .put("events", 0)
            .put("countries", countries.size()))
        .put("timestamp", s.timestampMillis());
  }

  /** A point of Umami's series: {@code t} and {@code x} are both the minute. */
  private static JsonObject point(String minute, long count) {
    return new JsonObject().put("x", minute).put("t", minute).put("y", count);
  }

  private static void increment(JsonObject counts, String key) {
    if (key != null && !key.isEmpty()) {
      counts.put(key, counts.getLong(key, 0L) + 1);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
