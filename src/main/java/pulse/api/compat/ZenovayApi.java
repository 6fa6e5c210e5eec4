package pulse.api.compat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import pulse.http.HttpErrors;
import pulse.http.IpAddresses;
import pulse.http.ProxyTrust;
import pulse.http.RateLimiter;
import pulse.ingest.ClientInfo;
import pulse.ingest.Countries;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotService;
import pulse.realtime.Times;
import pulse.site.Site;
import pulse.site.Sites;
import pulse.store.DayFigures;
import pulse.store.DayPart;
import pulse.store.EventStore;
import pulse.store.WindowQuery;

/**
 * Zenovay's public realtime endpoints under /e (seeds/001): no authentication, only for sites
 * marked public, CORS for browsers, rate limits per client IP and endpoint, and each answer
 * computed at most once per site per cache TTL.
 */
public final class ZenovayApi {
  static final int WINDOW = 300;
  private static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;

  /** The four endpoints with their documented rate limit (per minute) and cache TTL (seconds). */
  enum Endpoint {
    LIVE(1000, 5), REALTIME(500, 10), STATS(500, 30), STATUS(100, 60);

    final int perMinute;
    final int ttlSeconds;

    Endpoint(int perMinute, int ttlSeconds) {
      this.perMinute = perMinute;
      this.ttlSeconds = ttlSeconds;
    }
  }

  private final Sites sites;
  private final SnapshotService snapshots;
  private final EventStore store;
  private final Clock clock;
  private final ProxyTrust proxies;
  private final RateLimiter limiter;
  private final TtlCache<JsonObject> cache;

  public ZenovayApi(Sites sites, SnapshotService snapshots, EventStore store, Clock clock,
      ProxyTrust proxies) {
    this.sites = sites;
    this.snapshots = snapshots;
    this.store = store;
    this.clock = clock;
    this.proxies = proxies;
    this.limiter = new RateLimiter(clock);
    this.cache = new TtlCache<>(clock);
  }

  public void mount(Router router) {
    router.route("/e/*").handler(ctx -> {
      ctx.response().putHeader("Access-Control-Allow-Origin", "*")
          .putHeader("Access-Control-Allow-Methods", "GET, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", "Content-Type");
      ctx.next();
    });
    router.options("/e/*").handler(ctx -> ctx.response().setStatusCode(204).end());
    router.get("/e/live/:code").handler(ctx -> serve(ctx, Endpoint.LIVE, this::live));
    router.get("/e/realtime/:code").handler(ctx -> serve(ctx, Endpoint.REALTIME, this::realtime));
    router.get("/e/stats/:code").handler(ctx -> serve(ctx, Endpoint.STATS, this::stats));
    router.get("/e/:code/status").handler(ctx -> serve(ctx, Endpoint.STATUS, this::status));
  }

  private void serve(RoutingContext ctx, Endpoint endpoint,
      Function<Site, Future<JsonObject>> compute) {
    String ip = IpAddresses.limitKey(ClientInfo.ip(ctx.request(), proxies));
    long retryAfter = limiter.acquire(endpoint + " " + ip, endpoint.perMinute);
    if (retryAfter > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
      HttpErrors.send(ctx, 429, "Rate limit exceeded: at most " + endpoint.perMinute
          + " requests per minute");
      return;
    }
    String code = ctx.pathParam("code");
    Site site = sites.find(code);
    if (site == null || !site.isPublic()) {
      HttpErrors.send(ctx, 404, "Website not found");
      return;
    }
    cache.get(endpoint + " " + site.id(), endpoint.ttlSeconds * 1000L, () -> compute.apply(site))
        .onSuccess(body -> CompatRoutes.ok(ctx, "public, max-age=" + endpoint.ttlSeconds,
            // the status answer names the code it was asked by; its key keeps its place
            endpoint == Endpoint.STATUS ? body.copy().put("tracking_code", code) : body))
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }

  private Future<JsonObject> live(Site site) {
    return snapshots.current(site.id(), WINDOW).map(computed -> new JsonObject()
        .put("liveCount", computed.snapshot().activeVisitors())
        .put("timestamp", Times.isoSeconds(computed.snapshot().timestampMillis())));
  }

  /**
   * Today so far against yesterday up to the same time of day. Yesterday's part comes from hourly
   * figures: the whole hours before this one, plus this hour's share of yesterday's same hour in
   * proportion to the minutes gone (exact on the hour).
   */
  private Future<JsonObject> realtime(Site site) {
    return snapshots.current(site.id(), WINDOW).compose(computed -> {
      Snapshot s = computed.snapshot();
      long now = s.timestampMillis();
      String yesterday = WindowQuery.day(now - DAY);
      int hour = WindowQuery.hourOfDay(now);
      double fraction = Math.floorMod(now, HOUR) / (double) HOUR;
      Future<DayPart> before = store.dayHours(site.id(), yesterday, hour);
      Future<DayPart> through = store.dayHours(site.id(), yesterday, hour + 1);
      return Future.all(before, through).map(done -> {
        double visitorsThen = between(before.result().visitors(), through.result().visitors(),
            fraction);
        double pageviewsThen = between(before.result().pageviews(), through.result().pageviews(),
            fraction);
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
                .put("change", change(s.today().visitors(), visitorsThen)))
            .put("pageViews", new JsonObject().put("current", s.pageviews())
                .put("today", s.today().pageviews())
                .put("change", change(s.today().pageviews(), pageviewsThen)))
            .put("countries", countries)
            .put("topPages", pages)
            .put("timestamp", Times.isoSeconds(now));
      });
    });
  }

  /** Today's sessions (by the UTC day they started) give the rates; visitors over 1, 7, 30 days. */
  private Future<JsonObject> stats(Site site) {
    return snapshots.current(site.id(), WINDOW).compose(computed -> {
      long now = computed.snapshot().timestampMillis();
      Future<DayFigures> today = store.day(site.id(), WindowQuery.day(now));
      Future<Long> week = store.uniqueVisitors(site.id(), lastDays(now, 7));
      Future<Long> month = store.uniqueVisitors(site.id(), lastDays(now, 30));
      return Future.all(today, week, month).map(done -> {
        DayFigures d = today.result();
        long sessions = d.sessions();
        long flagged = d.newSessions() + d.returningSessions();
        return new JsonObject()
            .put("visitors", new JsonObject()
                .put("live", computed.snapshot().activeVisitors())
                .put("today", d.visitors())
                .put("week", week.result())
                .put("month", month.result()))
            .put("bounceRate", ratio(d.bounces(), sessions, 2))
            .put("avgSessionDuration",
                sessions == 0 ? 0 : Math.round(d.durationMillis() / 1000.0 / sessions))
            .put("pagesPerSession", ratio(d.pageviews(), sessions, 1))
            .put("newVisitorRate", ratio(d.newSessions(), flagged, 2))
            .put("returningVisitorRate", ratio(d.returningSessions(), flagged, 2))
            .put("timestamp", Times.isoSeconds(now));
      });
    });
  }

  private Future<JsonObject> status(Site site) {
    long now = clock.millis();
    return store.lastEventTime(site.id()).map(last -> new JsonObject()
        .put("active", last != null && now - last < DAY)
        .put("tracking_code", (String) null)
        .put("domain", site.firstDomain())
        .put("last_event", last == null ? null : Times.isoSeconds(last)));
  }

  static List<String> lastDays(long now, int days) {
    List<String> out = new ArrayList<>(days);
    for (int i = 0; i < days; i++) {
      out.add(WindowQuery.day(now - i * DAY));
    }
    return out;
  }

  static double between(long before, long through, double fraction) {
    return before + (through - before) * fraction;
  }

  /** Percentage change, one decimal; 0 when there is nothing to compare with. */
  static double change(long now, double then) {
    return then <= 0 ? 0.0 : CompatRoutes.round((now - then) / then * 100, 1);
  }

  static double ratio(long part, long whole, int decimals) {
    return whole == 0 ? 0.0 : CompatRoutes.round(part / (double) whole, decimals);
  }
}
