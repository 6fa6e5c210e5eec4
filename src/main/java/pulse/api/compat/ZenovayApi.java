package pulse.api.compat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Function;
import pulse.http.CrossOrigin;
import pulse.http.HttpErrors;
import pulse.http.IpAddresses;
import pulse.http.ProxyTrust;
import pulse.http.RateLimiter;
import pulse.ingest.ClientInfo;
import pulse.realtime.DayFiguresService;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotService;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * Zenovay's public realtime endpoints under /e: no authentication, only for sites
 * marked public, CORS for browsers, rate limits per client IP and endpoint, and each answer
 * computed at most once per site per cache TTL.
 */
public final class ZenovayApi {
  static final int WINDOW = 300;

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
  private final DayFiguresService days;
  private final ProxyTrust proxies;
  private final RateLimiter limiter;
  private final TtlCache<JsonObject> cache;

  public ZenovayApi(Sites sites, SnapshotService snapshots, DayFiguresService days, Clock clock,
      ProxyTrust proxies) {
    this.sites = sites;
    this.snapshots = snapshots;
    this.days = days;
    this.proxies = proxies;
    this.limiter = new RateLimiter(clock);
    this.cache = new TtlCache<>(clock);
  }

  public void mount(Router router) {
    router.route("/e/*").handler(CrossOrigin.anyOrigin("GET, OPTIONS", "Content-Type"));
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
    return snapshots.current(site.id(), WINDOW)
        .map(computed -> ZenovayMapper.live(computed.snapshot()));
  }

  /** Yesterday's figures are taken up to the snapshot's time, so both describe one moment. */
  private Future<JsonObject> realtime(Site site) {
    return snapshots.current(site.id(), WINDOW).compose(computed -> {
      Snapshot s = computed.snapshot();
      return days.yesterdaySoFar(site.id(), s.timestampMillis())
          .map(yesterday -> ZenovayMapper.realtime(s, yesterday));
    });
  }

  private Future<JsonObject> stats(Site site) {
    return snapshots.current(site.id(), WINDOW).compose(computed -> {
      Snapshot s = computed.snapshot();
      long now = s.timestampMillis();
      Future<DayFiguresService.Day> today = days.today(site.id(), now);
      Future<Long> week = days.uniqueVisitors(site.id(), 7, now);
      Future<Long> month = days.uniqueVisitors(site.id(), 30, now);
      return Future.all(today, week, month).map(done ->
          ZenovayMapper.stats(s, today.result(), week.result(), month.result()));
    });
  }

  private Future<JsonObject> status(Site site) {
    return days.lastEvent(site.id()).map(last -> ZenovayMapper.status(site.firstDomain(), last));
  }
}
