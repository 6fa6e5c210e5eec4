package pulse.api.compat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import pulse.config.CompatConfig;
import pulse.config.PulseConfig;
import pulse.http.ProxyTrust;
import pulse.api.IngestParts;
import pulse.realtime.DayFiguresService;
import pulse.realtime.SnapshotService;
import pulse.site.Sites;

/**
 * Mounts the compatibility APIs that pulse.json's "compat" switches leave on: the read APIs of
 * five hosted products (each a pure mapping of the canonical snapshot) and the tracker endpoints
 * of Plausible and Umami (each feeding the /api/collect pipeline).
 */
public final class CompatRoutes {
  private CompatRoutes() {}

  /**
   * @param days the day figures Zenovay's realtime, stats and status answers need
   * @param ingest what the tracker endpoints feed: the parser and pipeline of /api/collect
   * @param clock the clock of the rate limits and caches
   */
  public static void mount(Router router, PulseConfig config, Sites sites,
      SnapshotService snapshots, DayFiguresService days, IngestParts ingest, Clock clock) {
    CompatConfig on = config.compat();
    ProxyTrust proxies = config.server().proxies();
    if (on.ztas()) {
      new ZtasApi(sites, snapshots).mount(router);
    }
    if (on.zenovay()) {
      new ZenovayApi(sites, snapshots, days, clock, proxies).mount(router);
    }
    if (on.versatailor()) {
      new VersatailorApi(sites, snapshots).mount(router);
    }
    if (on.datafast()) {
      new DataFastApi(sites, snapshots, clock, proxies).mount(router);
    }
    if (on.umami()) {
      new UmamiApi(sites, snapshots, config.windows().maxSeconds()).mount(router);
    }
    if (on.plausibleStats()) {
      new PlausibleStatsApi(sites, snapshots, days, clock, config.windows().maxSeconds(),
          ingest.maxBodyBytes()).mount(router);
    }
    if (on.fathom()) {
      new FathomApi(sites, snapshots).mount(router);
    }
    new Ga4DataApi(sites, snapshots).mount(router);
    new Ga4Collect(sites, ingest).mount(router);
    if (on.plausibleTracker()) {
      new PlausibleTracker(sites, ingest).mount(router);
    }
    if (on.umamiTracker()) {
      new UmamiTracker(sites, ingest).mount(router);
    }
  }

  /** A 200 JSON answer with the product's Cache-Control. */
  static void ok(RoutingContext ctx, String cacheControl, JsonObject body) {
    ok(ctx, cacheControl, body.toBuffer());
  }

  static void ok(RoutingContext ctx, String cacheControl, Buffer body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", cacheControl)
        .end(body);
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
