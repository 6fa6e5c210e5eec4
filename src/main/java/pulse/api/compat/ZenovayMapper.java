package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pulse.ingest.Countries;
import pulse.realtime.DayFiguresService;
import pulse.realtime.Snapshot;
import pulse.realtime.Times;

/**
 * Zenovay's four answer shapes, from the canonical snapshot and the day figures:
 * pure functions, no I/O, so each shape can be checked on a hand-built snapshot.
 */
final class ZenovayMapper {
  private ZenovayMapper() {}

  /** GET /e/live/{code}: the visitors active in the window. */
  static JsonObject live(Snapshot s) {
    return new JsonObject()
        .put("liveCount", s.activeVisitors())
        .put("timestamp", Times.isoSeconds(s.timestampMillis()));
  }

  /** GET /e/realtime/{code}: today so far against yesterday up to the same time of day. */
  static JsonObject realtime(Snapshot s, DayFiguresService.SoFar yesterday) {
    JsonArray countries = new JsonArray();
    for (Snapshot.CountryStat c : s.countries()) {
      String name = Countries.name(c.code());
      countries.add(new JsonObject().put("code", c.code())
          .put("name", name == null ? c.code() : name).put("count", c.visitors()));
    }
    JsonArray pages = new JsonArray();
    for (Snapshot.PageStat p : s.pages()) {
      if (p.visitors() > 0) {
        pages.add(new JsonObject().put("path", p.path()).put("visitors", p.visitors()));
      }
    }
    return new JsonObject()
        .put("visitors", new JsonObject().put("current", s.activeVisitors())
            .put("today", s.today().visitors())
            .put("change", change(s.today().visitors(), yesterday.visitors())))
        .put("pageViews", new JsonObject().put("current", s.pageviews())
            .put("today", s.today().pageviews())
            .put("change", change(s.today().pageviews(), yesterday.pageviews())))
        .put("countries", countries)
        .put("topPages", pages)
        .put("timestamp", Times.isoSeconds(s.timestampMillis()));
  }

  /**
   * GET /e/stats/{code}: today's sessions (by the UTC day they started) give the rates; unique
   * visitors over 1, 7 and 30 days.
   */
  static JsonObject stats(Snapshot s, DayFiguresService.Day today, long week, long month) {
    long sessions = today.sessions();
    long flagged = today.newSessions() + today.returningSessions();
    return new JsonObject()
        .put("visitors", new JsonObject()
            .put("live", s.activeVisitors())
            .put("today", today.visitors())
            .put("week", week)
            .put("month", month))
        .put("bounceRate", ratio(today.bounces(), sessions, 2))
        .put("avgSessionDuration",
            sessions == 0 ? 0 : Math.round(today.durationMillis() / 1000.0 / sessions))
        .put("pagesPerSession", ratio(today.pageviews(), sessions, 1))
        .put("newVisitorRate", ratio(today.newSessions(), flagged, 2))
        .put("returningVisitorRate", ratio(today.returningSessions(), flagged, 2))
        .put("timestamp", Times.isoSeconds(s.timestampMillis()));
  }

  /**
   * GET /e/{code}/status: whether the site had an event in the last 24 hours. The tracking code
   * is left null here; each answer puts the code it was asked by in that place.
   */
  static JsonObject status(String domain, DayFiguresService.LastEvent last) {
    return new JsonObject()
        .put("active", last.lastDay())
        .put("tracking_code", (String) null)
        .put("domain", domain)
        .put("last_event", last.timeMillis() == null ? null : Times.isoSeconds(last.timeMillis()));
  }

  /** Percentage change, one decimal; 0 when there is nothing to compare with. */
  static double change(long now, double then) {
    return then <= 0 ? 0.0 : CompatRoutes.round((now - then) / then * 100, 1);
  }

  static double ratio(long part, long whole, int decimals) {
    return whole == 0 ? 0.0 : CompatRoutes.round(part / (double) whole, decimals);
  }
}
