package pulse.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pulse.http.CrossOrigin;
import pulse.http.HttpErrors;
import pulse.http.WindowParam;
import pulse.config.PulseConfig;
import pulse.realtime.SnapshotFilter;
import pulse.realtime.SnapshotService;
import pulse.site.Access;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/** Pulse's own read API: GET /api/sites/{site}/realtime?window=5m&filter=country:DE. */
public final class RealtimeRoutes {
  private final Sites sites;
  private final Access access;
  private final SnapshotService snapshots;
  private final PulseConfig config;

  public RealtimeRoutes(Sites sites, SnapshotService snapshots, PulseConfig config) {
    this.sites = sites;
    this.access = new Access(sites);
    this.snapshots = snapshots;
    this.config = config;
  }

  public void mount(Router router) {
    // a counter on another site's page may send a token: its Authorization header needs a preflight
    router.options("/api/sites/:site/realtime")
        .handler(CrossOrigin.preflight("GET, OPTIONS", "Authorization"));
    router.get("/api/sites/:site/realtime").handler(this::realtime);
  }

  private void realtime(RoutingContext ctx) {
    HttpErrors.readableAcrossOrigins(ctx);
    Site site = readableSite(ctx, sites, access);
    if (site == null) {
      return;
    }
    int window = WindowParam.fromRequest(ctx, config.windows().defaultSeconds(),
        config.windows().maxSeconds());
    if (window < 0) {
      return;
    }
    SnapshotFilter filter = FilterParam.fromRequest(ctx, snapshots, site.id());
    if (filter == null) {
      return;
    }
    snapshots.current(site.id(), window, filter)
        .onSuccess(computed -> {
          HttpServerResponse response = ctx.response()
              .putHeader("Content-Type", "application/json")
              .putHeader("Cache-Control", "no-cache");
          // a private site's figures reach this line only for a request that showed its token,
          // and the token is no cookie a browser adds by itself: any page that has it may read
          CrossOrigin.allowAnyOrigin(response);
          response.end(computed.json());
        })
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }

  /**
   * The site named by the :site path parameter if the request may read it; otherwise answers
   * 400, 404, 401 or 403 and returns null. A private site is not told apart from an unknown one
   * (the same 404) unless the request shows a token of that site: then a missing scope is 403.
   */
  static Site readableSite(RoutingContext ctx, Sites sites, Access access) {
    return readableSite(ctx, sites, access, false);
  }

  /** @param tokenAlways true where even a public site needs a token (issuing stream tickets) */
  static Site readableSite(RoutingContext ctx, Sites sites, Access access, boolean tokenAlways) {
    return readableSite(ctx, sites, access, tokenAlways, ApiToken.REALTIME_READ);
  }

  /** @param scope the scope the token needs (alerts:read for the alerts) */
  static Site readableSite(RoutingContext ctx, Sites sites, Access access, boolean tokenAlways,
      String scope) {
    String id = ctx.pathParam("site");
    if (!Site.validId(id)) {
      HttpErrors.send(ctx, 400, "site id must match [A-Za-z0-9_-]{1,64}");
      return null;
    }
    Site site = sites.find(id);
    if (site == null) {
      unknownSite(ctx, id);
      return null;
    }
    String authorization = ctx.request().getHeader("Authorization");
    Access.Result result = tokenAlways
        ? access.checkToken(site, authorization, scope)
        : access.check(site, authorization, scope);
    if (result == Access.Result.ALLOWED) {
      return site;
    }
    if (!site.isPublic() && result != Access.Result.FORBIDDEN) {
      unknownSite(ctx, id);
      return null;
    }
    switch (result) {
      case MISSING_TOKEN:
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        HttpErrors.send(ctx, 401, "send Authorization: Bearer <token>");
        return null;
      case UNKNOWN_TOKEN:
        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        HttpErrors.send(ctx, 401, "unknown token");
        return null;
      default:
        HttpErrors.send(ctx, 403, "this token may not read site '" + id + "'");
        return null;
    }
  }

  /** What an unknown site gets, and a private one asked for without a token of its own. */
  static void unknownSite(RoutingContext ctx, String id) {
    HttpErrors.send(ctx, 404, "unknown site '" + id + "'");
  }
}
