package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import pulse.http.HttpErrors;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotFilter;
import pulse.realtime.SnapshotService;
import pulse.realtime.Times;
import pulse.site.Sites;

/**
 * Umami: GET /api/realtime/{websiteId} and GET /api/websites/{websiteId}/active. A Bearer token
 * with realtime:read for the site, otherwise 401 with Umami's error body.
 *
 * <p>The realtime answer has two shapes, chosen per site in the sites file: the classic one (a
 * 5-minute window of pageviews and sessions, the default) and Umami's current one
 * ({@code "umamiRealtime": "v3"}: 30 minutes of countries, urls, referrers, events and series,
 * with Umami's filter parameters; see {@link UmamiRealtimeV3}). {@code active} counts the visitors
 * of the last 5 minutes, as Umami's {@code getActiveVisitors} does.
 *
 * <p>Ids are UUID-shaped and stable: a session's id is derived from the site, the cookieless
 * visitor id (itself a salted hash that changes daily) and the session's start, so it says
 * nothing about an IP address.
 */
public final class UmamiApi {
  static final int WINDOW = 300;
  /** Umami's REALTIME_RANGE: 30 minutes. */
  static final int V3_WINDOW = 1800;
  static final JsonObject UNAUTHORIZED = new JsonObject().put("error", new JsonObject()
      .put("message", "Unauthorized").put("code", "unauthorized").put("status", 401));

  private final Sites sites;
  private final SiteKeyCheck keys;
  private final SnapshotService snapshots;
  private final int v3Window;

  /**
   * @param maxWindow the longest window the stores keep (windows.maxSeconds): Umami's 30 minutes
   *     are shortened to it
   */
  public UmamiApi(Sites sites, SnapshotService snapshots, int maxWindow) {
    this.sites = sites;
    this.keys = new SiteKeyCheck(sites, SiteKeyCheck.Binding.COVERING);
    this.snapshots = snapshots;
    this.v3Window = Math.min(V3_WINDOW, maxWindow);
  }

  public void mount(Router router) {
    // Umami lists the window's sessions
    snapshots.retainSessionsFor(WINDOW);
    snapshots.retainSessionsFor(v3Window);
    router.get("/api/realtime/:websiteId").handler(this::realtime);
    router.get("/api/websites/:websiteId/active").handler(this::active);
  }

  /** The site the request's token may read, or null once the 401 is sent. */
  private SiteKeyCheck.Result allowed(RoutingContext ctx) {
    SiteKeyCheck.Result key = keys.check(ctx.pathParam("websiteId"),
        ctx.request().getHeader("Authorization"));
    // like Umami, an unknown website is no different from one the token may not view
    if (!key.allowed()) {
      HttpErrors.send(ctx.response(), 401, UNAUTHORIZED);
      return null;
    }
    return key;
  }

  private void realtime(RoutingContext ctx) {
    SiteKeyCheck.Result key = allowed(ctx);
    if (key == null) {
      return;
    }
    if (sites.umamiRealtimeV3(key.site().id())) {
      realtimeV3(ctx, key);
      return;
    }
    snapshots.current(key.site().id(), WINDOW)
        .onSuccess(computed -> CompatRoutes.ok(ctx, "no-cache", map(computed.snapshot())))
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }

  private void realtimeV3(RoutingContext ctx, SiteKeyCheck.Result key) {
    SnapshotFilter filter;
    try {
      filter = UmamiFilters.parse(ctx.queryParams());
    } catch (UmamiFilters.Refused e) {
      HttpErrors.send(ctx.response(), 400, error(400, "bad-request", e.getMessage()));
      return;
    }
    String site = key.site().id();
    if (snapshots.admitFilter(site, filter) > 0) {
      HttpErrors.send(ctx.response(), 429, error(429, "too-many-requests",
          "Too many distinct filters on this website within a minute"));
      return;
    }
    snapshots.current(site, v3Window, filter)
        .onSuccess(computed -> CompatRoutes.ok(ctx, "no-cache",
            UmamiRealtimeV3.map(computed.snapshot(), key.site().firstDomain())))
        .onFailure(err -> serverError(ctx));
  }

  private void active(RoutingContext ctx) {
    SiteKeyCheck.Result key = allowed(ctx);
    if (key == null) {
      return;
    }
    snapshots.current(key.site().id(), WINDOW)
        .onSuccess(computed -> CompatRoutes.ok(ctx, "no-cache",
            new JsonObject().put("visitors", computed.snapshot().activeVisitors())))
        .onFailure(err -> serverError(ctx));
  }

  /** Umami's error body: {@code {"error": {"message", "code", "status"}}}. */
  static JsonObject error(int status, String code, String message) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", message).put("code", code).put("status", status));
  }

  /** The store is down: Umami's serverError(), never a bare 5xx page. */
  private static void serverError(RoutingContext ctx) {
    HttpErrors.send(ctx.response(), 500, error(500, "server-error", "Server error"));
  }

  static JsonObject map(Snapshot s) {
    Map<String, Long> sessionStarts = new HashMap<>();
    for (Snapshot.Session v : s.sessions()) {
      sessionStarts.put(v.visitorId(), v.sessionStart());
    }
    // the snapshot holds the newest pageviews first; Umami lists them oldest first
    JsonArray pageviews = new JsonArray();
    List<Snapshot.PageviewDetail> recent = s.recentDetails();
    for (int i = recent.size() - 1; i >= 0; i--) {
      Snapshot.PageviewDetail p = recent.get(i);
      long start = sessionStarts.getOrDefault(p.visitorId(), 0L);
      pageviews.add(new JsonObject()
          .put("__id", uuid("pageview", s.site(), p.id()))
          .put("sessionId", sessionId(s.site(), p.visitorId(), start))
          .put("createdAt", Times.isoMillis(p.timeMillis()))
          .put("urlPath", p.path())
          .put("urlQuery", p.query())
          .put("referrerDomain", p.referrer())
          .put("pageTitle", p.title())
          .put("country", emptyToNull(p.country()))
          .put("browser", p.browser())
          .put("os", p.os())
          .put("device", p.device()));
    }
    List<Snapshot.Session> active = new ArrayList<>(s.sessions());
    active.sort(Comparator.comparingLong(Snapshot.Session::sessionStart)
        .thenComparing(Snapshot.Session::visitorId));
    JsonArray sessions = new JsonArray();
    for (Snapshot.Session v : active) {
      String sessionId = sessionId(s.site(), v.visitorId(), v.sessionStart());
      sessions.add(new JsonObject()
          .put("__id", uuid("session", s.site(), sessionId))
          .put("sessionId", sessionId)
          .put("createdAt", Times.isoMillis(v.sessionStart()))
          .put("country", emptyToNull(v.country()))
          .put("browser", v.browser())
          .put("os", v.os())
          .put("device", v.device()));
    }
    return new JsonObject()
        .put("pageviews", pageviews)
        .put("sessions", sessions)
        .put("visitors", active.size())
        .put("timestamp", s.timestampMillis());
  }

  static String sessionId(String site, String visitorId, long sessionStart) {
    return uuid("session-id", site, visitorId + "/" + sessionStart);
  }

  private static String uuid(String kind, String site, String id) {
    return UUID.nameUUIDFromBytes((kind + "\0" + site + "\0" + id)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
