package pulse.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import pulse.http.CrossOrigin;
import pulse.http.HttpErrors;
import pulse.http.IpAddresses;
import pulse.http.WindowParam;
import pulse.config.PulseConfig;
import pulse.ingest.ClientInfo;
import pulse.realtime.DeltaFormat;
import pulse.realtime.SnapshotFilter;
import pulse.realtime.SnapshotService;
import pulse.realtime.StreamHub;
import pulse.realtime.StreamTickets;
import pulse.realtime.Times;
import pulse.site.Access;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * GET /api/sites/{site}/stream (Server-Sent Events; window, view and filter parameters as the
 * snapshot's, and {@code delta=merge-patch} or {@code delta=json-patch} for patch frames after
 * the first) and POST
 * /api/sites/{site}/stream-tickets, which trades a token for a ticket, since EventSource cannot
 * send an Authorization header. A ticket opens the site's stream with any window, view and
 * filter.
 */
public final class StreamRoutes {
  private final Sites sites;
  private final Access access;
  private final StreamHub hub;
  private final SnapshotService snapshots;
  private final StreamTickets tickets;
  private final PulseConfig config;
  private final Clock clock;

  public StreamRoutes(Sites sites, StreamHub hub, SnapshotService snapshots,
      StreamTickets tickets, PulseConfig config, Clock clock) {
    this.sites = sites;
    this.access = new Access(sites);
    this.hub = hub;
    this.snapshots = snapshots;
    this.tickets = tickets;
    this.config = config;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/sites/:site/stream").handler(this::stream);
    router.options("/api/sites/:site/stream-tickets")
        .handler(CrossOrigin.preflight("POST, OPTIONS", "Authorization"));
    router.post("/api/sites/:site/stream-tickets").handler(this::ticket);
  }

  /** Any origin: a ticket is had only for a token, which a page holds only if it was given it. */
  private void ticket(RoutingContext ctx) {
    HttpErrors.readableAcrossOrigins(ctx);
    Site site = RealtimeRoutes.readableSite(ctx, sites, access, true);
    if (site == null) {
      return;
    }
    StreamTickets.Ticket ticket = tickets.issue(site.id(), clock.millis());
    CrossOrigin.allowAnyOrigin(ctx.response()).setStatusCode(201)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("ticket", ticket.text())
            .put("expiresAt", Times.isoMillis(ticket.expiresAt())).encode());
  }

  private void stream(RoutingContext ctx) {
    HttpErrors.readableAcrossOrigins(ctx);
    String id = ctx.pathParam("site");
    String ticket = ctx.request().getParam("ticket");
    Site site;
    if (ticket != null && Site.validId(id) && sites.find(id) != null) {
      site = sites.find(id);
      if (!site.isPublic() && !tickets.opens(ticket, site.id(), clock.millis())) {
        // a private site's stream without a valid ticket is not told from an unknown site's
        RealtimeRoutes.unknownSite(ctx, id);
        return;
      }
    } else {
      site = RealtimeRoutes.readableSite(ctx, sites, access, false);
      if (site == null) {
        return;
      }
    }
    int window = WindowParam.fromRequest(ctx, config.windows().defaultSeconds(),
        config.windows().maxSeconds());
    if (window < 0) {
      return;
    }
    String view = ctx.request().getParam("view");
    if (view != null && !view.equals("counter") && !view.equals("snapshot")) {
      HttpErrors.send(ctx, 400, "view must be snapshot or counter");
      return;
    }
    // delta=merge-patch (RFC 7386) or json-patch (RFC 6902): after the first snapshot, event: patch
    // messages of what changed
    DeltaFormat delta = DeltaFormat.fromParameter(ctx.request().getParam("delta"));
    if (delta == null) {
      HttpErrors.send(ctx, 400, "delta must be " + DeltaFormat.allowed());
      return;
    }
    SnapshotFilter filter = FilterParam.fromRequest(ctx, snapshots, site.id());
    if (filter == null) {
      return;
    }
    // the per-address cap counts an IPv6 client by its /64
    String ip = IpAddresses.limitKey(ClientInfo.ip(ctx.request(), config.server().proxies()));
    switch (hub.admit(ip)) {
      case INSTANCE_FULL -> {
        ctx.response().putHeader("Retry-After", "10");
        HttpErrors.send(ctx, 503, "this instance holds its maximum of streams; retry later");
        return;
      }
      case IP_FULL -> {
        ctx.response().putHeader("Retry-After", "30");
        HttpErrors.send(ctx, 429, "too many open streams from this address");
        return;
      }
      default -> { }
    }
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        // compressing would hold frames back in the deflater; a stream must flush each one
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    // a private site's stream opens here only with its ticket, so whoever has one may read it
    CrossOrigin.allowAnyOrigin(response);
    response.write(StreamHub.RETRY);
    hub.open(new StreamHub.Key(site.id(), window, "counter".equals(view), filter), response, ip,
        delta);
  }
}
