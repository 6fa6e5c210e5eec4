package pulse.api.compat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import pulse.http.HttpErrors;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotService;
import pulse.site.Access;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * Matomo's Reporting API for live figures: {@code GET or POST
 * /index.php?module=API&method=Live.getCounters&idSite=&lastMinutes=&format=JSON&token_auth=}
 * and {@code Live.getLastVisitsDetails}. {@code idSite} is a site id or alias; {@code token_auth}
 * (query or form field) a Pulse token with realtime:read for the site, or none for a public site
 * (Matomo's anonymous view access).
 *
 * <p>Errors are Matomo's: {@code {"result": "error", "message": "..."}} with its messages and its
 * statuses (core/API/ResponseBuilder.php): 401 for a token that does not authenticate and for a
 * site the caller may not view (an unknown site looks the same), 400 for a method Pulse does not
 * answer (Matomo's "does not exist or is not available"), 200 for the rest, as Matomo answers
 * exceptions without an HTTP code. Only {@code format=JSON} is answered.
 */
public final class MatomoApi {
  /** Matomo's own bounds of lastMinutes. */
  static final int MAX_LAST_MINUTES = 2880;
  /** The window of Live.getLastVisitsDetails: Matomo's real-time widget shows 30 minutes. */
  static final int LAST_VISITS_WINDOW = 1800;
  /** Live.getLastVisitsDetails lists 10 visits unless filter_limit says otherwise. */
  static final int DEFAULT_FILTER_LIMIT = 10;
  private static final int MAX_FORM_BYTES = 8192;

  private final Sites sites;
  private final Access access;
  private final SnapshotService snapshots;
  private final int maxWindowSeconds;
  private final int lastVisitsWindow;

  /** @param maxWindowSeconds the longest window Pulse holds: lastMinutes beyond it get it */
  public MatomoApi(Sites sites, SnapshotService snapshots, int maxWindowSeconds) {
    this.sites = sites;
    this.access = new Access(sites);
    this.snapshots = snapshots;
    this.maxWindowSeconds = maxWindowSeconds;
    this.lastVisitsWindow = Math.min(LAST_VISITS_WINDOW, maxWindowSeconds);
  }

  public void mount(Router router) {
    snapshots.retainSessionsFor(lastVisitsWindow);
    router.get("/index.php").handler(this::api);
    router.post("/index.php").handler(BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES))
        .handler(this::api);
  }

  private void api(RoutingContext ctx) {
    Map<String, String> params = MatomoParams.decode(ctx.request().query());
    boolean tokenInBody = false;
    if (params != null && ctx.request().method() == HttpMethod.POST
        && ctx.body().buffer() != null) {
      Map<String, String> form = MatomoParams.decode(
          ctx.body().buffer().toString(StandardCharsets.UTF_8).strip());
      tokenInBody = form != null && !params.containsKey("token_auth")
          && form.containsKey("token_auth");
      params = form == null ? null : MatomoParams.union(params, form);
    }
    if (params == null) {
      error(ctx, 400, "Malformed parameters: a %-escape is not valid");
      return;
    }
    if (!"API".equals(params.get("module"))) {
      error(ctx, 400, "Pulse answers Matomo's Reporting API only: index.php?module=API");
      return;
    }
    String format = params.getOrDefault("format", "xml");
    if (!format.toLowerCase(Locale.ROOT).equals("json")) {
      error(ctx, 200, "Renderer format '" + clean(format)
          + "' not valid. Try any of the following instead: json.");
      return;
    }
    String token = params.get("token_auth");
    if (token != null && !token.isBlank() && !"anonymous".equals(token)
        && sites.findToken(token.trim()) == null) {
      error(ctx, 401, tokenInBody
          ? "Unable to authenticate with the provided token. It is either invalid or expired."
          : "Unable to authenticate with the provided token. It is either invalid, expired or"
              + " is required to be sent as a POST parameter.");
      return;
    }
    String method = params.get("method");
    if (method == null) {
      error(ctx, 200, "The parameter 'method' isn't set in the Request, and a default value"
          + " wasn't provided.");
      return;
    }
    String[] parts = method.split("\\.", -1);
    if (parts.length != 2) {
      error(ctx, 200, "The method name is invalid. Expected 'module.methodName'");
      return;
    }
    switch (method) {
      case "Live.getCounters" -> counters(ctx, params, token);
      case "Live.getLastVisitsDetails" -> lastVisits(ctx, params, token);
      default -> error(ctx, 400, "The method '" + clean(parts[1]) + "' does not exist or is not"
          + " available in the module '\\Piwik\\Plugins\\" + clean(parts[0]) + "\\API'.");
    }
  }

  private void counters(RoutingContext ctx, Map<String, String> params, String token) {
    String idSite = params.get("idSite");
    if (idSite == null) {
      error(ctx, 200, "Please specify a value for 'idSite'.");
      return;
    }
    String minutes = params.getOrDefault("lastMinutes", "");
    if (!minutes.strip().matches("-?\\d{1,9}")) {
      error(ctx, 200, "Please specify a value for 'lastMinutes'.");
      return;
    }
    int lastMinutes = Integer.parseInt(minutes.strip());
    if (lastMinutes < 1 || lastMinutes > MAX_LAST_MINUTES) {
      error(ctx, 200, "lastMinutes only accepts values between 1 and " + MAX_LAST_MINUTES);
      return;
    }
    int window = Math.min(lastMinutes * 60, maxWindowSeconds);
    answer(ctx, idSite, token, window, (site, s) -> MatomoMapper.counters(s));
  }

  private void lastVisits(RoutingContext ctx, Map<String, String> params, String token) {
    String idSite = params.get("idSite");
    if (idSite == null) {
      error(ctx, 200, "Please specify a value for 'idSite'.");
      return;
    }
    long minTimestamp = number(params.get("minTimestamp"), 0);
    int offset = (int) Math.max(0, number(params.get("filter_offset"), 0));
    int limit = (int) number(params.get("filter_limit"), DEFAULT_FILTER_LIMIT);
    answer(ctx, idSite, token, lastVisitsWindow, (site, s) -> MatomoMapper.lastVisits(s,
        idSite.trim(), site.firstDomain(), minTimestamp, offset, limit < 0 ? -1 : limit));
  }

  /** Checks view access to the site, then answers the mapping of its snapshot. */
  private void answer(RoutingContext ctx, String idSite, String token, int window,
      BiFunction<Site, Snapshot, JsonArray> mapping) {
    Site site = sites.find(idSite.trim());
    String bearer = token == null || token.isBlank() ? null : "Bearer " + token.trim();
    if (site == null || access.check(site, bearer, ApiToken.REALTIME_READ)
        != Access.Result.ALLOWED) {
      // Matomo's NoAccessException: an unknown site reads like one the token may not view
      error(ctx, 401, "You can't access this resource as it requires 'view' access for the"
          + " website id = " + clean(idSite) + ".");
      return;
    }
    snapshots.current(site.id(), window)
        .onSuccess(computed -> CompatRoutes.ok(ctx, "no-store",
            mapping.apply(site, computed.snapshot()).toBuffer()))
        .onFailure(err -> error(ctx, 503, "store unavailable"));
  }

  /** Matomo's JSON error body. */
  private static void error(RoutingContext ctx, int status, String message) {
    HttpErrors.send(ctx.response(), status,
        new JsonObject().put("result", "error").put("message", message));
  }

  /** A whole number parameter, as PHP's (int) reads it; the default when absent or not one. */
  private static long number(String value, long fallback) {
    if (value == null || !value.strip().matches("-?\\d{1,12}")) {
      return fallback;
    }
    return Long.parseLong(value.strip());
  }

  private static String clean(String s) {
    String out = s.replaceAll("[^A-Za-z0-9_.-]", "");
    return out.length() > 64 ? out.substring(0, 64) : out;
  }
}
