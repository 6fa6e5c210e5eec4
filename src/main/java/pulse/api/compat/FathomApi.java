package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pulse.http.HttpErrors;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotService;
import pulse.site.Sites;

/**
 * Fathom: {@code GET /v1/current_visitors?site_id=&detailed=true}, a Bearer key (a Pulse token of
 * the site with realtime:read; the site id is an alias, e.g. Fathom's {@code CDBUGS}). Answers
 * {@code {"total": n}}, and with {@code detailed} the pages ({@code pathname}, {@code hostname},
 * {@code total}) and referrers ({@code referrer_hostname}, {@code referrer_pathname},
 * {@code total}), each by current visitors, most first: Fathom lists its top 150, Pulse the
 * snapshot's top 20 of each. Errors are
 * Fathom's {@code {"error": "..."}} with 400 or 401, as its API documents.
 */
public final class FathomApi {
  /** Current visitors: the last 5 minutes, as the other realtime APIs Pulse speaks. */
  static final int WINDOW = 300;
  /** Fathom's detailed view lists the top 150 pages and referrers. */
  static final int TOP = 150;
  static final String NO_PERMISSION =
      "This token doesn't have permission to access this endpoint";
  static final String SITE_REQUIRED = "The site id field is required.";

  private final SiteKeyCheck keys;
  private final SnapshotService snapshots;

  public FathomApi(Sites sites, SnapshotService snapshots) {
    this.keys = new SiteKeyCheck(sites, SiteKeyCheck.Binding.COVERING);
    this.snapshots = snapshots;
  }

  public void mount(Router router) {
    router.get("/v1/current_visitors").handler(this::currentVisitors);
  }

  private void currentVisitors(RoutingContext ctx) {
    String siteId = ctx.request().getParam("site_id");
    if (siteId == null || siteId.isBlank()) {
      HttpErrors.send(ctx, 400, SITE_REQUIRED);
      return;
    }
    SiteKeyCheck.Result key = keys.check(siteId, ctx.request().getHeader("Authorization"));
    // an unknown site looks like one the key may not read
    if (!key.allowed()) {
      HttpErrors.send(ctx, 401, NO_PERMISSION);
      return;
    }
    boolean detailed = detailed(ctx.request().getParam("detailed"));
    snapshots.current(key.site().id(), WINDOW)
        .onSuccess(c -> CompatRoutes.ok(ctx, "no-cache",
            map(c.snapshot(), key.site().firstDomain(), detailed)))
        .onFailure(err -> HttpErrors.send(ctx, 500, "Server error"));
  }

  /** Laravel's boolean query values: true, 1, on and yes (any case) ask for the breakdown. */
  static boolean detailed(String value) {
    return value != null && switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "on", "yes" -> true;
      default -> false;
    };
  }

  /**
   * @param hostname the site's first domain: the snapshot keeps paths, not hosts
   */
  static JsonObject map(Snapshot s, String hostname, boolean detailed) {
    JsonObject body = new JsonObject().put("total", s.activeVisitors());
    if (!detailed) {
      return body;
    }
    JsonArray content = new JsonArray();
    for (Snapshot.PageStat page : s.pages()) {
      if (page.visitors() > 0 && content.size() < TOP) {
        content.add(new JsonObject().put("pathname", page.path()).put("hostname", hostname)
            .put("total", page.visitors()));
      }
    }
    JsonArray referrers = new JsonArray();
    for (Snapshot.ReferrerStat r : s.referrers()) {
      if (referrers.size() < TOP) {
        // Pulse keeps a referrer's domain, not its path
        referrers.add(new JsonObject().put("referrer_hostname", r.domain())
            .put("referrer_pathname", "").put("total", r.visitors()));
      }
    }
    return body.put("content", content).put("referrers", referrers);
  }
}
