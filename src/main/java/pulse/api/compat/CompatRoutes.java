package pulse.api.compat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pulse.Services;
import pulse.config.CompatConfig;
import pulse.http.ProxyTrust;
import pulse.ingest.EventParser;

/**
 * Mounts the compatibility APIs that pulse.json's "compat" switches leave on: the read APIs of
 * five hosted products (each a pure mapping of the canonical snapshot) and the tracker endpoints
 * of Plausible and Umami (each feeding the /api/collect pipeline).
 */
public final class CompatRoutes {
  private CompatRoutes() {}

  public static void mount(Router router, Services services) {
    CompatConfig on = services.config().compat();
    ProxyTrust proxies = services.config().proxies();
    if (on.ztas()) {
      new ZtasApi(services.sites(), services.snapshots()).mount(router);
    }
    if (on.zenovay()) {
      new ZenovayApi(services.sites(), services.snapshots(), services.store(), services.clock(),
          proxies).mount(router);
    }
    if (on.versatailor()) {
      new VersatailorApi(services.sites(), services.snapshots()).mount(router);
    }
    if (on.datafast()) {
      new DataFastApi(services.sites(), services.snapshots(), services.clock(), proxies)
          .mount(router);
    }
    if (on.umami()) {
      new UmamiApi(services.sites(), services.snapshots()).mount(router);
    }
    EventParser parser = new EventParser(services.sites());
    int maxBody = services.config().maxBodyBytes();
    if (on.plausibleTracker()) {
      new PlausibleTracker(services.sites(), parser, services.ingest()).mount(router, maxBody);
    }
    if (on.umamiTracker()) {
      new UmamiTracker(services.sites(), parser, services.ingest()).mount(router, maxBody);
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
