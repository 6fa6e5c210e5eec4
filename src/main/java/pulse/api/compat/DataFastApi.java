package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import pulse.http.HttpErrors;
import pulse.http.IpAddresses;
import pulse.http.ProxyTrust;
import pulse.http.RateLimiter;
import pulse.ingest.ClientInfo;
import pulse.realtime.SnapshotService;
import pulse.site.Access;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * DataFast: GET /api/v1/analytics/realtime. A 10-minute window. A {@code df_} website
 * key is bound to one site, which it names; any other token is an account token that needs
 * analytics:read and {@code ?websiteId=}. Every error uses DataFast's envelope.
 */
public final class DataFastApi {
  static final int WINDOW = 600;
  /** Requests per client IP per minute; DataFast does not publish its number, this is Pulse's. */
  static final int RATE_LIMIT = 300;

  private final Sites sites;
  private final SnapshotService snapshots;
  private final RateLimiter limiter;
  private final ProxyTrust proxies;

  public DataFastApi(Sites sites, SnapshotService snapshots, Clock clock, ProxyTrust proxies) {
    this.sites = sites;
    this.snapshots = snapshots;
    this.limiter = new RateLimiter(clock);
    this.proxies = proxies;
  }

  public void mount(Router router) {
    router.get("/api/v1/analytics/realtime").handler(this::realtime);
  }

  private void realtime(RoutingContext ctx) {
    long retryAfter = limiter.acquire(
        IpAddresses.limitKey(ClientInfo.ip(ctx.request(), proxies)), RATE_LIMIT);
    if (retryAfter > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
      error(ctx, 429, "Rate limit exceeded: at most " + RATE_LIMIT + " requests per minute");
      return;
    }
    String token = Access.bearer(ctx.request().getHeader("Authorization"));
    if (token == null) {
      error(ctx, 401, "Missing API key: send Authorization: Bearer df_... or dft_...");
      return;
    }
    ApiToken found = sites.findToken(token);
    if (found == null) {
      error(ctx, 401, "Invalid API key");
      return;
    }
    String fields = ctx.request().getParam("fields");
    if (fields != null && !fields.equals("visitors")) {
      error(ctx, 400, "Invalid fields value: only 'visitors' is supported");
      return;
    }
    Site site = token.startsWith("df_") ? websiteOfKey(ctx, found) : websiteOfAccount(ctx, found);
    if (site == null) {
      return;
    }
    snapshots.current(site.id(), WINDOW)
        .onSuccess(computed -> CompatRoutes.ok(ctx, "no-cache", new JsonObject()
            .put("status", "success")
            .put("data", new JsonArray().add(new JsonObject()
                .put("visitors", computed.snapshot().pageviewVisitors())))))
        .onFailure(err -> error(ctx, 503, "Store unavailable"));
  }

  /**
   * A website key reads its one site; a websiteId, if given anyway, must name that site. It needs
   * realtime:read like every other read of realtime figures (what `pulse token` gives by default).
   */
  private Site websiteOfKey(RoutingContext ctx, ApiToken key) {
    if (!key.scopes().contains(ApiToken.REALTIME_READ)) {
      error(ctx, 403, "This API key lacks the realtime:read permission");
      return null;
    }
    if (key.sites().size() != 1 || key.sites().contains("*")) {
      error(ctx, 403, "A df_ website key must be bound to exactly one website");
      return null;
    }
    Site site = sites.byCanonicalId(key.sites().iterator().next());
    String websiteId = ctx.request().getParam("websiteId");
    if (websiteId != null) {
      Site named = sites.find(websiteId);
      if (named == null) {
        error(ctx, 404, "Website not found");
        return null;
      }
      if (named != site) {
        // another key's private site is not told apart from an unknown one
        if (named.isPublic()) {
          error(ctx, 403, "This API key cannot access that website");
        } else {
          error(ctx, 404, "Website not found");
        }
        return null;
      }
    }
    return site;
  }

  private Site websiteOfAccount(RoutingContext ctx, ApiToken token) {
    if (!token.scopes().contains(ApiToken.ANALYTICS_READ)) {
      error(ctx, 403, "This token lacks the analytics:read permission");
      return null;
    }
    String websiteId = ctx.request().getParam("websiteId");
    if (websiteId == null || websiteId.isBlank()) {
      error(ctx, 400, "websiteId is required with an account token");
      return null;
    }
    Site site = sites.find(websiteId);
    if (site == null) {
      error(ctx, 404, "Website not found");
      return null;
    }
    if (!token.coversSite(site.id())) {
      // a private site the token does not cover is not told apart from an unknown one
      if (site.isPublic()) {
        error(ctx, 403, "This token cannot access that website");
      } else {
        error(ctx, 404, "Website not found");
      }
      return null;
    }
    return site;
  }

  static void error(RoutingContext ctx, int status, String message) {
    HttpErrors.send(ctx.response(), status, new JsonObject().put("status", "error")
        .put("error", new JsonObject().put("code", status).put("message", message)));
  }
}
