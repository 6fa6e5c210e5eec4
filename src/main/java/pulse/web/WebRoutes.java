package pulse.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.TreeMap;
import pulse.config.PulseConfig;
import pulse.http.CrossOrigin;
import pulse.http.HttpErrors;
import pulse.http.WindowParam;
import pulse.ingest.Countries;
import pulse.realtime.SnapshotService;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * What browsers load from Pulse: the tracker ({@code /script.js}), the live dashboard
 * ({@code /live/{site}} with {@code /live.js} and {@code /live.css}), the embeddable counter
 * ({@code /embed.js}) and the SVG badge ({@code /badge/{site}.svg}). The files live in
 * {@code src/main/resources/web/}; they are read once at start-up.
 */
public final class WebRoutes {
  /** Trackers are loaded by other sites' pages on every visit: cached a day, then revalidated. */
  static final String SCRIPT_CACHE = "public, max-age=86400, stale-while-revalidate=604800";
  /** The dashboard's own files are linked with their content hash, so they never change. */
  static final String VERSIONED_CACHE = "public, max-age=31536000, immutable";
  /**
   * The dashboard page: scripts and styles only from Pulse itself (no inline script, no inline
   * style), no frames, no plugins, no forms posting anywhere; fetch and EventSource to Pulse only.
   */
  static final String DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";
  /** The badge is an image: nothing in it may run or load anything. */
  static final String BADGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

  private final Sites sites;
  private final SnapshotService snapshots;
  private final PulseConfig config;
  private final Asset tracker = Asset.resource("script.js", "application/javascript; charset=utf-8");
  private final Asset embed = Asset.resource("embed.js", "application/javascript; charset=utf-8");
  private final Asset liveJs = Asset.resource("live.js", "application/javascript; charset=utf-8");
  private final Asset liveCss = Asset.resource("live.css", "text/css; charset=utf-8");
  private final Asset icon = Asset.resource("favicon.svg", "image/svg+xml");
  private final Asset countries = new Asset(countryNames(), "application/json");
  private final String dashboard;
  private final String notFound;

  public WebRoutes(Sites sites, SnapshotService snapshots, PulseConfig config) {
    this.sites = sites;
    this.snapshots = snapshots;
    this.config = config;
    this.dashboard = withAssets(Asset.text("live.html"));
    this.notFound = withAssets(Asset.text("notfound.html"));
  }

  private String withAssets(String template) {
    return template.replace("{{css}}", "/live.css?v=" + liveCss.version())
        .replace("{{js}}", "/live.js?v=" + liveJs.version())
        .replace("{{icon}}", "/favicon.svg?v=" + icon.version())
        .replace("{{countries}}", "/live/countries.json?v=" + countries.version());
  }

  public void mount(Router router) {
    router.get("/script.js").handler(ctx -> crossOrigin(ctx).tracker.serve(ctx, SCRIPT_CACHE));
    router.get("/embed.js").handler(ctx -> crossOrigin(ctx).embed.serve(ctx, SCRIPT_CACHE));
    router.get("/live.js").handler(ctx -> liveJs.serve(ctx, VERSIONED_CACHE));
    router.get("/live.css").handler(ctx -> liveCss.serve(ctx, VERSIONED_CACHE));
    router.get("/favicon.svg").handler(ctx -> icon.serve(ctx, VERSIONED_CACHE));
    router.get("/live/countries.json").handler(ctx -> countries.serve(ctx, VERSIONED_CACHE));
    router.get("/live/:site").handler(this::dashboard);
    router.getWithRegex("/badge/([^/]+)\\.svg").handler(this::badge);
  }

  /** Trackers and counters load on other sites' pages, including pages that isolate themselves. */
  private WebRoutes crossOrigin(RoutingContext ctx) {
    CrossOrigin.allowAnyOrigin(ctx.response())
        .putHeader("Cross-Origin-Resource-Policy", "cross-origin");
    return this;
  }

  private void dashboard(RoutingContext ctx) {
    String id = ctx.pathParam("site");
    Site site = sites.find(id);
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", DASHBOARD_CSP)
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (!Site.validId(id)) {
      ctx.response().setStatusCode(404).end(notFound.replace("{{site}}",
          html(id.length() > 80 ? id.substring(0, 80) + "…" : id)));
      return;
    }
    if (site == null || !site.isPublic()) {
      // an unknown site and a private one get the same page, named as asked: it asks for a
      // token, which only a private site's own opens (a navigation cannot carry one)
      ctx.response().setStatusCode(404).end(dashboard.replace("{{site}}", html(id))
          .replace("{{access}}", "private"));
      return;
    }
    ctx.response().end(dashboard.replace("{{site}}", html(site.id()))
        .replace("{{access}}", "public"));
  }

  private void badge(RoutingContext ctx) {
    HttpErrors.readableAcrossOrigins(ctx);
    String id = ctx.pathParam("param0");
    Site site = sites.find(id);
    if (site == null || !site.isPublic()) {
      // a private site's badge would tell anyone its figures; it answers like an unknown one
      HttpErrors.send(ctx, 404, "no public site '" + (Site.validId(id) ? id : "?") + "'");
      return;
    }
    int window = WindowParam.parse(ctx.request().getParam("window"),
        config.windows().defaultSeconds(), config.windows().maxSeconds());
    if (window < 0) {
      HttpErrors.send(ctx, 400, WindowParam.error(config.windows().maxSeconds()));
      return;
    }
    snapshots.current(site.id(), window)
        .onSuccess(computed -> crossOrigin(ctx).svg(ctx, computed.snapshot().activeVisitors()))
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }

  private void svg(RoutingContext ctx, long activeVisitors) {
    ctx.response()
        .putHeader("Content-Type", "image/svg+xml; charset=utf-8")
        .putHeader("Cache-Control", "max-age=10")
        .putHeader("Content-Security-Policy", BADGE_CSP)
        .end(Badge.svg(activeVisitors));
  }

  /** English names of every ISO country code, for the dashboard: {"DE": "Germany", ...}. */
  private static byte[] countryNames() {
    TreeMap<String, Object> names = new TreeMap<>();
    for (String code : Locale.getISOCountries()) {
      String name = Countries.name(code);
      if (name != null) {
        names.put(code, name);
      }
    }
    return new JsonObject(names).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** Escapes text for HTML element content and double-quoted attributes. */
  static String html(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return sb.toString();
  }
}
