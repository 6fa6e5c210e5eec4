package pulse.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import pulse.http.CrossOrigin;
import pulse.http.HttpErrors;
import pulse.realtime.HistoryService;
import pulse.realtime.SnapshotService;
import pulse.site.Access;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * GET /api/sites/{site}/history?range=24h&step=5m[&compare=week]: the site's active and present
 * visitors, pageviews and events a minute over a range, with the range's peak; the same access
 * rules as the snapshot.
 */
public final class HistoryRoutes {
  /** Ranges in minutes, and the step each takes when none is given. */
  static final Map<String, Integer> RANGES = Map.of("1h", 60, "24h", 1440, "7d", 10_080,
      "30d", 43_200);
  private static final Map<String, String> DEFAULT_STEPS = Map.of("1h", "1m", "24h", "5m",
      "7d", "1h", "30d", "1h");
  static final Map<String, Integer> STEPS = Map.of("1m", 1, "5m", 5, "1h", 60);

  private final Sites sites;
  private final Access access;
  private final HistoryService history;

  public HistoryRoutes(Sites sites, HistoryService history) {
    this.sites = sites;
    this.access = new Access(sites);
    this.history = history;
  }

  public void mount(Router router) {
    router.options("/api/sites/:site/history")
        .handler(CrossOrigin.preflight("GET, OPTIONS", "Authorization"));
    router.get("/api/sites/:site/history").handler(this::history);
  }

  private void history(RoutingContext ctx) {
    HttpErrors.readableAcrossOrigins(ctx);
    Site site = RealtimeRoutes.readableSite(ctx, sites, access);
    if (site == null) {
      return;
    }
    String range = ctx.request().getParam("range", "24h");
    if (!RANGES.containsKey(range)) {
      HttpErrors.send(ctx, 400, "range must be 1h, 24h, 7d or 30d");
      return;
    }
    String step = ctx.request().getParam("step", DEFAULT_STEPS.get(range));
    if (!STEPS.containsKey(step)) {
      HttpErrors.send(ctx, 400, "step must be 1m, 5m or 1h");
      return;
    }
    String compare = ctx.request().getParam("compare");
    if (compare != null && !compare.equals("week")) {
      HttpErrors.send(ctx, 400, "compare must be week (the same range one week earlier)");
      return;
    }
    history.series(site.id(), range, RANGES.get(range), step, STEPS.get(step), compare != null)
        .onSuccess(series -> {
          HttpServerResponse response = ctx.response()
              .putHeader("Content-Type", "application/json")
              .putHeader("Cache-Control", "no-cache");
          CrossOrigin.allowAnyOrigin(response);
          response.end(SnapshotService.serialise(series));
        })
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }
}
