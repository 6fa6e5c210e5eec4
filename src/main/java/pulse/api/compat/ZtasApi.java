package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pulse.http.HttpErrors;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotService;
import pulse.realtime.Times;
import pulse.site.Sites;

/**
 * ztas.io: GET /api/realtime?siteId=. A 5-minute window; a Bearer token with
 * realtime:read for the site, public or not.
 */
public final class ZtasApi {
  static final int WINDOW = 300;
  static final int RECENT = 20;

  private final SiteKeyCheck keys;
  private final SnapshotService snapshots;

  public ZtasApi(Sites sites, SnapshotService snapshots) {
    this.keys = new SiteKeyCheck(sites, SiteKeyCheck.Binding.COVERING);
    this.snapshots = snapshots;
  }

  public void mount(Router router) {
    router.get("/api/realtime").handler(this::realtime);
  }

  private void realtime(RoutingContext ctx) {
    String siteId = ctx.request().getParam("siteId");
    if (siteId == null || siteId.isBlank()) {
      HttpErrors.send(ctx, 400, "Site ID required");
      return;
    }
    SiteKeyCheck.Result key = keys.check(siteId, ctx.request().getHeader("Authorization"));
    // an unknown site and a site the token may not read look the same from outside
    if (!key.allowed()) {
      HttpErrors.send(ctx, 403, "Access denied");
      return;
    }
    snapshots.current(key.site().id(), WINDOW)
        .onSuccess(computed -> CompatRoutes.ok(ctx, "no-cache", map(computed.snapshot())))
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }

  static JsonObject map(Snapshot s) {
    JsonObject pages = new JsonObject();
    for (Snapshot.PageStat page : s.pages()) {
      if (page.visitors() > 0) {
        pages.put(page.path(), page.visitors());
      }
    }
    JsonArray recent = new JsonArray();
    for (Snapshot.RecentPageview p : s.recent().subList(0, Math.min(RECENT, s.recent().size()))) {
      recent.add(new JsonObject().put("page", p.path())
          .put("timestamp", Times.isoSeconds(p.timeMillis()))
          .put("country", p.country()));
    }
    JsonArray perMinute = new JsonArray();
    for (Snapshot.MinuteStat m : s.perMinute()) {
      perMinute.add(new JsonObject().put("minute", Times.hourMinute(m.epochMinute() * 60_000L))
          .put("visitors", m.visitors()));
    }
    return new JsonObject()
        .put("activeVisitors", s.activeVisitors())
        .put("pageviewsLast5Min", s.pageviews())
        .put("pageBreakdown", pages)
        .put("recentPageviews", recent)
        .put("visitorsPerMinute", perMinute)
        .put("timestamp", Times.isoSeconds(s.timestampMillis()));
  }
}
