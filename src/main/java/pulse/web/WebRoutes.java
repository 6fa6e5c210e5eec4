package pulse.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * ({@code /live/{site}} with its scripts, {@code /live.css} and the map {@code /world.svg}), the
 * list of public sites ({@code /live}), the embeddable counter
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
  /**
   * The dashboards' own files, served at /{name}?v={content hash} and cached for ever; pages name
   * them as {{asset:name}}. The dashboard's script is split by concern, loaded in this order.
   */
  private final Map<String, Asset> versioned = versionedAssets();
  private final Asset countries = new Asset(countryNames(), "application/json");
  private final String dashboard;
  private final String notFound;
  private final String liveList;

  public WebRoutes(Sites sites, SnapshotService snapshots, PulseConfig config) {
    this.sites = sites;
    this.snapshots = snapshots;
    this.config = config;
    this.dashboard = withAssets(Asset.text("live.html"));
    this.notFound = withAssets(Asset.text("notfound.html"));
    this.liveList = withAssets(Asset.text("live-list.html"));
  }

  private static Map<String, Asset> versionedAssets() {
    Map<String, Asset> assets = new LinkedHashMap<>();
    for (String js : List.of("live-render.js", "live-tables.js", "live-map.js", "live-filters.js",
        "live-history.js", "live-alerts.js", "live.js", "live-list.js")) {
      assets.put(js, Asset.resource(js, "application/javascript; charset=utf-8"));
    }
    assets.put("live.css", Asset.resource("live.css", "text/css; charset=utf-8"));
    assets.put("favicon.svg", Asset.resource("favicon.svg", "image/svg+xml"));
    assets.put("world.svg", Asset.resource("world.svg", "image/svg+xml"));
    return assets;
  }

  private String withAssets(String template) {
    String page = template;
    for (Map.Entry<String, Asset> asset : versioned.entrySet()) {
      page = page.replace("{{asset:" + asset.getKey() + "}}",
          "/" + asset.getKey() + "?v=" + asset.getValue().version());
    }
    return page.replace("{{css}}", "/live.css?v=" + versioned.get("live.css").version())
        .replace("{{js}}", "/live.js?v=" + versioned.get("live.js").version())
        .replace("{{icon}}", "/favicon.svg?v=" + versioned.get("favicon.svg").version())
        .replace("{{countries}}", "/live/countries.json?v=" + countries.version());
  }

  public void mount(Router router) {
    router.get("/script.js").handler(ctx -> crossOrigin(ctx).tracker.serve(ctx, SCRIPT_CACHE));
    router.get("/embed.js").handler(ctx -> crossOrigin(ctx).embed.serve(ctx, SCRIPT_CACHE));
    versioned.forEach((name, asset) ->
        router.get("/" + name).handler(ctx -> asset.serve(ctx, VERSIONED_CACHE)));
    router.get("/live/countries.json").handler(ctx -> countries.serve(ctx, VERSIONED_CACHE));
    router.get("/live").handler(this::liveList);
    router.get("/live/").handler(this::liveList);
    router.get("/live/:site").handler(this::dashboard);
    router.getWithRegex("/badge/([^/]+)\\.svg").handler(this::badge);
  }

  /** Trackers and counters load on other sites' pages, including pages that isolate themselves. */
  private WebRoutes crossOrigin(RoutingContext ctx) {
    CrossOrigin.allowAnyOrigin(ctx.response())
        .putHeader("Cross-Origin-Resource-Policy", "cross-origin");
    return this;
  }

  /** The list of public sites with their live counts; its script polls /api/live. */
  private void liveList(RoutingContext ctx) {
    pageHeaders(ctx).end(liveList);
  }

  private HttpServerResponse pageHeaders(RoutingContext ctx) {
    return ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", DASHBOARD_CSP)
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
  }

  private void dashboard(RoutingContext ctx) {
    String id = ctx.pathParam("site");
    Site site = sites.find(id);
    pageHeaders(ctx);
    if (!Site.validId(id)) {
      ctx.response().setStatusCode(404).end(notFound.replace("{{site}}",
          html(id.length() > 80 ? id.substring(0, 80) + "…" : id)));
      return;
    }
    if (site == null || !site.isPublic()) {
      // an unknown site and a private one get the same page, named as asked: it asks for a
      // token, which only a private site's own opens (a navigation cannot carry one)
      ctx.response().setStatusCode(404).end(dashboard.replace("{{site}}", html(id))
          .replace("{{access}}", "private").replace("{{mode}}", mode(ctx)));
      return;
    }
    ctx.response().end(dashboard.replace("{{site}}", html(site.id()))
        .replace("{{access}}", "public").replace("{{mode}}", mode(ctx)));
  }

  /** ?tv=1: the TV layout (dark, large, no controls), set on the page so it never flashes light. */
  private static String mode(RoutingContext ctx) {
    return "1".equals(ctx.request().getParam("tv")) ? "tv" : "";
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
