package pulse.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import pulse.config.PulseConfig;
import pulse.http.HttpErrors;
import pulse.http.WindowParam;
import pulse.realtime.SnapshotService;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * GET /api/live?window=5m: every public site with its live count, for the /live page. Private
 * sites are never listed. Each site's figures come from its cached snapshot of the window (one
 * computation per site and tick, shared with the dashboards and streams); the list itself is
 * built at most once per tick and window.
 */
public final class LiveRoutes {
  private final Sites sites;
  private final SnapshotService snapshots;
  private final PulseConfig config;
  private final Clock clock;
  private int lastWindow = -1;
  private long lastAt;
  private Future<Buffer> last;

  public LiveRoutes(Sites sites, SnapshotService snapshots, PulseConfig config, Clock clock) {
    this.sites = sites;
    this.snapshots = snapshots;
    this.config = config;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/live").handler(this::live);
  }

  private void live(RoutingContext ctx) {
    HttpErrors.readableAcrossOrigins(ctx);
    int window = WindowParam.fromRequest(ctx, config.windows().defaultSeconds(),
        config.windows().maxSeconds());
    if (window < 0) {
      return;
    }
    answer(window)
        .onSuccess(body -> ctx.response()
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-cache")
            .putHeader("Access-Control-Allow-Origin", "*")
            .end(body))
        .onFailure(err -> HttpErrors.send(ctx, 503, "store unavailable"));
  }

  /** This tick's list for the window: the one built before if it is as new as a tick. */
  private synchronized Future<Buffer> answer(int window) {
    long now = clock.millis();
    if (last != null && window == lastWindow && now - lastAt < snapshots.tickMillis()) {
      return last;
    }
    List<Site> shown = new ArrayList<>();
    List<Future<Buffer>> reads = new ArrayList<>();
    for (Site site : sites.all()) {
      if (site.isPublic()) {
        shown.add(site);
        reads.add(snapshots.current(site.id(), window).map(SnapshotService.Computed::json));
      }
    }
    last = Future.all(reads).map(done -> {
      List<JsonObject> rows = new ArrayList<>();
      for (int i = 0; i < shown.size(); i++) {
        rows.add(row(shown.get(i), done.<Buffer>resultAt(i).toJsonObject()));
      }
      rows.sort(Comparator.comparingLong((JsonObject r) -> -r.getLong("activeVisitors"))
          .thenComparing(r -> r.getString("site")));
      return new JsonObject()
          .put("window", window)
          .put("timestamp", Instant.ofEpochMilli(now).toString())
          .put("sites", new JsonArray(rows))
          .toBuffer();
    });
    lastWindow = window;
    lastAt = now;
    return last;
  }

  /** A site's line: its counts as its snapshot has them ({@code present} once snapshots carry it). */
  private static JsonObject row(Site site, JsonObject snapshot) {
    JsonObject row = new JsonObject()
        .put("site", site.id())
        .put("activeVisitors", snapshot.getLong("activeVisitors", 0L));
    if (snapshot.containsKey("present")) {
      row.put("present", snapshot.getLong("present"));
    }
    row.put("pageviews", snapshot.getLong("pageviews", 0L));
    return row;
  }
}
