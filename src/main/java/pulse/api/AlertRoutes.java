package pulse.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pulse.alerts.AlertsView;
import pulse.http.HttpErrors;
import pulse.site.Access;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * GET /api/sites/{site}/alerts: the site's alert rules and their state. Needs a token with the
 * {@code alerts:read} scope for the site, public or not: rules say where alerts go and when.
 */
public final class AlertRoutes {
  private final Sites sites;
  private final Access access;
  private final AlertsView view;

  public AlertRoutes(Sites sites, AlertsView view) {
    this.sites = sites;
    this.access = new Access(sites);
    this.view = view;
  }

  public void mount(Router router) {
    router.get("/api/sites/:site/alerts").handler(this::alerts);
  }

  private void alerts(RoutingContext ctx) {
    Site site = RealtimeRoutes.readableSite(ctx, sites, access, true, ApiToken.ALERTS_READ);
    if (site == null) {
      return;
    }
    view.list(site)
        .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store").end(json.encode()))
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }
}
