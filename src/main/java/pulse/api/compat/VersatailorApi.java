package pulse.api.compat;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import pulse.http.HttpErrors;
import pulse.realtime.SnapshotService;
import pulse.realtime.Times;
import pulse.site.Access;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * Versatailor: GET /api/v1/realtime?websiteId=. A 3-minute window; each website has
 * tokens of its own ({@code vt_...}, bound to that one site). The checks run in the documented
 * order, each failure answered with its documented message.
 */
public final class VersatailorApi {
  private static final Logger LOG = Logger.getLogger(VersatailorApi.class.getName());
  static final int WINDOW = 180;
  static final Pattern TOKEN = Pattern.compile("vt_[A-Za-z0-9]{16,}");

  private final Sites sites;
  private final SiteKeyCheck keys;
  private final SnapshotService snapshots;

  public VersatailorApi(Sites sites, SnapshotService snapshots) {
    this.sites = sites;
    this.keys = new SiteKeyCheck(sites, SiteKeyCheck.Binding.BOUND_ONLY);
    this.snapshots = snapshots;
  }

  public void mount(Router router) {
    router.get("/api/v1/realtime").handler(this::realtime);
  }

  private void realtime(RoutingContext ctx) {
    try {
      String authorization = ctx.request().getHeader("Authorization");
      String token = Access.bearer(authorization);
      if (token == null) {
        HttpErrors.send(ctx, 401,
            "Missing or invalid authorization header. Expected: Bearer <token>");
        return;
      }
      if (!TOKEN.matcher(token).matches()) {
        HttpErrors.send(ctx, 401, "Invalid token format");
        return;
      }
      String websiteId = ctx.request().getParam("websiteId");
      if (websiteId == null || websiteId.isBlank()) {
        HttpErrors.send(ctx, 400, "websiteId is required");
        return;
      }
      SiteKeyCheck.Result key = keys.check(websiteId, authorization);
      if (key.outcome() == SiteKeyCheck.Outcome.UNKNOWN_SITE) {
        HttpErrors.send(ctx, 404, "Website not found");
        return;
      }
      Site site = key.site();
      if (!site.isPublic() && !key.tokenOfSite()) {
        // a private site asked for without a token of its own is not told from an unknown one
        HttpErrors.send(ctx, 404, "Website not found");
        return;
      }
      if (!sites.hasOwnToken(site.id())) {
        HttpErrors.send(ctx, 401, "No API token configured for this website");
        return;
      }
      if (!key.allowed()) {
        HttpErrors.send(ctx, 401, "Invalid API token");
        return;
      }
      snapshots.current(site.id(), WINDOW)
          .onSuccess(computed -> CompatRoutes.ok(ctx, "no-cache", new JsonObject()
              .put("currentVisitors", computed.snapshot().pageviewVisitors())
              .put("websiteId", websiteId)
              .put("timestamp", Times.isoMillis(computed.snapshot().timestampMillis()))))
          .onFailure(err -> internalError(ctx, err));
    } catch (RuntimeException e) {
      internalError(ctx, e);
    }
  }

  private static void internalError(RoutingContext ctx, Throwable err) {
    LOG.log(Level.WARNING, "versatailor realtime failed", err);
    HttpErrors.send(ctx, 500, "Internal server error");
  }
}
