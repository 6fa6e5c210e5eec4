package pulse.api.compat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.Locale;
import pulse.http.HttpErrors;
import pulse.realtime.DayFiguresService;
import pulse.realtime.SnapshotService;
import pulse.realtime.Times;
import pulse.site.Access;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * Plausible's Stats API: {@code GET /api/v1/stats/realtime/visitors?site_id=} (a bare integer:
 * the visitors of the last 5 minutes) and {@code POST /api/v2/query} for what Pulse holds (see
 * {@link PlausibleQuery}). {@code site_id} is a site's domain, id or alias; the key is a Pulse
 * token of that site with realtime:read. Errors are Plausible's {@code {"error": "..."}} with its
 * statuses and, for the key and the site, its own messages, in its order: the key's presence, the
 * key, the site id, the site.
 */
public final class PlausibleStatsApi {
  static final int REALTIME_WINDOW = 300;
  static final String MISSING_KEY =
      "Missing API key. Please use a valid Plausible API key as a Bearer Token.";
  static final String INVALID_KEY = "Invalid API key or site ID. Please make sure you're using"
      + " a valid API key with access to the site you've requested.";
  static final String MISSING_SITE =
      "Missing site ID. Please provide the required site_id parameter with your request.";

  private final Sites sites;
  private final SiteKeyCheck keys;
  private final SnapshotService snapshots;
  private final DayFiguresService days;
  private final Clock clock;
  private final int maxWindow;
  private final int maxBody;

  /**
   * @param maxWindow the longest window the stores keep (windows.maxSeconds)
   * @param maxBody the largest query body taken (limits.maxBodyBytes, as for events): a query is
   *     a few hundred bytes
   */
  public PlausibleStatsApi(Sites sites, SnapshotService snapshots, DayFiguresService days,
      Clock clock, int maxWindow, int maxBody) {
    this.sites = sites;
    this.keys = new SiteKeyCheck(sites, SiteKeyCheck.Binding.COVERING);
    this.snapshots = snapshots;
    this.days = days;
    this.clock = clock;
    this.maxWindow = maxWindow;
    this.maxBody = maxBody;
  }

  public void mount(Router router) {
    router.get("/api/v1/stats/realtime/visitors").handler(this::realtimeVisitors);
    router.post("/api/v2/query").handler(BodyHandler.create(false).setBodyLimit(maxBody))
        .handler(this::query);
  }

  private void realtimeVisitors(RoutingContext ctx) {
    Site site = authorize(ctx, ctx.request().getParam("site_id"));
    if (site == null) {
      return;
    }
    snapshots.current(site.id(), REALTIME_WINDOW)
        .onSuccess(c -> CompatRoutes.ok(ctx, "no-cache",
            Buffer.buffer(Long.toString(c.snapshot().activeVisitors()))))
        .onFailure(err -> HttpErrors.send(ctx, 500, "Internal server error"));
  }

  private void query(RoutingContext ctx) {
    JsonObject body;
    try {
      Buffer raw = ctx.body().buffer();
      Object parsed = raw == null || raw.length() == 0 ? null : raw.toJsonValue();
      if (!(parsed instanceof JsonObject object)) {
        HttpErrors.send(ctx, 400, "The request body must be a JSON object (a query).");
        return;
      }
      body = object;
    } catch (DecodeException e) {
      HttpErrors.send(ctx, 400, "The request body is not valid JSON.");
      return;
    }
    Object siteId = body.getValue("site_id");
    Site site = authorize(ctx, siteId instanceof String s ? s : null);
    if (site == null) {
      return;
    }
    long now = clock.millis();
    PlausibleQuery q;
    try {
      q = PlausibleQuery.parse(body, now, maxWindow);
    } catch (PlausibleQuery.Refused e) {
      HttpErrors.send(ctx, 400, e.getMessage());
      return;
    }
    if (q.windowSeconds() == 0) {
      long dayStart = Math.floorDiv(now, 86_400_000L) * 86_400_000L;
      JsonArray range = new JsonArray().add(Times.isoSeconds(dayStart))
          .add(Times.isoSeconds(dayStart + 86_399_000L));
      days.today(site.id(), now)
          .onSuccess(day -> CompatRoutes.ok(ctx, "no-cache", PlausibleResults.ofDay(day, q,
              range)))
          .onFailure(err -> HttpErrors.send(ctx, 500, "Internal server error"));
      return;
    }
    snapshots.current(site.id(), q.windowSeconds())
        .onSuccess(c -> {
          long at = c.snapshot().timestampMillis();
          JsonArray range = new JsonArray()
              .add(Times.isoSeconds(at - q.windowSeconds() * 1000L)).add(Times.isoSeconds(at));
          CompatRoutes.ok(ctx, "no-cache", PlausibleResults.ofSnapshot(c.snapshot(), q, range));
        })
        .onFailure(err -> HttpErrors.send(ctx, 500, "Internal server error"));
  }

  /** The site the request's key reads, or null once Plausible's error is sent. */
  private Site authorize(RoutingContext ctx, String siteId) {
    String header = ctx.request().getHeader("Authorization");
    String token = Access.bearer(header);
    if (token == null) {
      HttpErrors.send(ctx, 401, MISSING_KEY);
      return null;
    }
    if (sites.findToken(token) == null) {
      HttpErrors.send(ctx, 401, INVALID_KEY);
      return null;
    }
    if (siteId == null) {
      HttpErrors.send(ctx, 400, MISSING_SITE);
      return null;
    }
    SiteKeyCheck.Result key = keys.check(site(siteId), header);
    if (!key.allowed()) {
      HttpErrors.send(ctx, 401, INVALID_KEY);
      return null;
    }
    return key.site();
  }

  /** Plausible names a site by its domain; Pulse also takes its id or an alias. */
  private Site site(String siteId) {
    Site site = sites.find(siteId);
    if (site != null) {
      return site;
    }
    String domain = siteId.trim().toLowerCase(Locale.ROOT);
    for (Site candidate : sites.all()) {
      if (candidate.domains().contains(domain)) {
        return candidate;
      }
    }
    return null;
  }
}
