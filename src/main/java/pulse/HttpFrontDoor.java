package pulse;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import pulse.alerts.AlertsView;
import pulse.api.AlertRoutes;
import pulse.api.CollectRoutes;
import pulse.api.IngestAnswers;
import pulse.api.IngestParts;
import pulse.api.HistoryRoutes;
import pulse.api.LiveRoutes;
import pulse.api.RealtimeRoutes;
import pulse.api.StreamRoutes;
import pulse.config.HttpLimits;
import pulse.http.ConnectionLimiter;
import pulse.http.HttpErrors;
import pulse.http.InvalidRequests;
import pulse.http.IpAddresses;
import pulse.http.ProxyTrust;
import pulse.http.RateLimiter;
import pulse.http.ReadRateLimit;
import pulse.http.RequestDeadlines;
import pulse.http.RequestGuard;
import pulse.ingest.ClientInfo;
import pulse.api.compat.CompatRoutes;
import pulse.ingest.Refusal;
import pulse.web.WebRoutes;

/**
 * The HTTP front door, built once and shared by every HTTP server instance (one per event loop):
 * one router for ingest, reads and health with JSON errors everywhere, and the per-address
 * connection cap and request deadlines, which must count every connection whichever event loop
 * took it. Everything a route holds is thread-safe (rate limiters, caches and the services).
 */
public final class HttpFrontDoor {
  private static final Logger LOG = Logger.getLogger(HttpFrontDoor.class.getName());
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_LINE_LENGTH = 8192;

  private final Services services;
  private final ConnectionLimiter connections;
  private final RequestDeadlines deadlines;
  private final Handler<HttpServerRequest> requests;

  public HttpFrontDoor(Vertx vertx, Services services) {
    this.services = services;
    HttpLimits limits = services.config().http();
    ProxyTrust proxies = services.config().server().proxies();
    this.connections = new ConnectionLimiter(limits.maxConnectionsPerIp(), proxies);
    this.deadlines = new RequestDeadlines(vertx, limits.requestTimeoutMillis());
    Router router = Router.router(vertx);
    router.route().handler(deadlines::handle);
    // a body that trickles in (slow-loris) is cut off on every POST route: 408, connection closed
    router.post().handler(TimeoutHandler.create(limits.bodyTimeoutMillis(), 408));
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    // every read of figures counts against its address, before any route computes anything
    ReadRateLimit reads = new ReadRateLimit(new RateLimiter(services.clock()),
        services.config().limits().readsPerIpPerMinute(),
        request -> IpAddresses.limitKey(ClientInfo.ip(request, proxies)));
    // on every request and first, before any route that may not match: a route that matches
    // after one that failed on its method makes Vert.x answer 404 where 405 is right
    router.route().handler(reads);

    IngestParts ingest = new IngestParts(services.parser(), services.ingest(),
        new IngestAnswers(services.metrics()), services.config().server().proxies(),
        services.config().limits().maxBodyBytes());
    new CollectRoutes(ingest, services.config().limits().maxEventsPerRequest()).mount(router);

    new RealtimeRoutes(services.sites(), services.snapshots(), services.config()).mount(router);
    new HistoryRoutes(services.sites(), services.history()).mount(router);
    new StreamRoutes(services.sites(), services.streams(), services.snapshots(), services.tickets(),
        services.config(), services.clock()).mount(router);
    new LiveRoutes(services.sites(), services.snapshots(), services.config(), services.clock())
        .mount(router);
    new AlertRoutes(services.sites(), new AlertsView(services.store())).mount(router);
    CompatRoutes.mount(router, services.config(), services.sites(), services.snapshots(),
        services.days(), ingest, services.clock());

    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
    new WebRoutes(services.sites(), services.snapshots(), services.config()).mount(router);

    router.errorHandler(404, ctx -> HttpErrors.send(ctx, 404, "no such route: "
        + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(this::failure);
    router.errorHandler(405, ctx -> HttpErrors.send(ctx, 405, "method not allowed"));
    router.errorHandler(500, this::failure);
    this.requests = RequestGuard.around(router);
  }

  /** What a server answers to a request it cannot parse (too long a line or headers). */
  Handler<HttpServerRequest> invalidRequests() {
    return new InvalidRequests(MAX_LINE_LENGTH, MAX_HEADER_BYTES)::handle;
  }

  /** The router behind the request guard: what every server instance hands its requests. */
  Handler<HttpServerRequest> requests() {
    return requests;
  }

  /** A new connection: closed at once over its address's cap, else given its request deadline. */
  void connection(HttpConnection connection) {
    String peer = connection.remoteAddress() == null ? ""
        : connection.remoteAddress().hostAddress();
    String key = connections.admit(peer);
    if (key == null) {
      LOG.fine(() -> "refused a connection: " + peer + " holds its maximum of connections");
      connection.close();
      return;
    }
    deadlines.opened(connection);
    connection.closeHandler(v -> {
      connections.release(key);
      deadlines.closed(connection);
    });
  }

  private void health(RoutingContext ctx) {
    String kind = services.store().kind();
    int buffered = services.writer().buffered();
    services.store().ping().timeout(2, java.util.concurrent.TimeUnit.SECONDS)
        .onSuccess(v -> ctx.response().putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-cache")
            .end(new JsonObject().put("status", "ok").put("store", kind).encode()))
        .onFailure(err -> HttpErrors.send(ctx.response(), 503, new JsonObject()
            .put("status", "unavailable").put("store", kind)
            .put("error", "store unavailable: " + kind + " does not answer")
            .put("bufferedEvents", buffered)));
  }

  /** Prometheus text; behind the admin token when one is configured. */
  private void metrics(RoutingContext ctx) {
    String admin = services.config().server().adminToken();
    if (admin != null) {
      String presented = pulse.site.Access.bearer(ctx.request().getHeader("Authorization"));
      if (presented == null || !java.security.MessageDigest.isEqual(
          pulse.site.Sites.sha256(presented), pulse.site.Sites.sha256(admin))) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        HttpErrors.send(ctx, 401, "the metrics need the admin token (PULSE_ADMIN_TOKEN)");
        return;
      }
    }
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(services.metrics().scrape());
  }

  /** Failures from Vert.x itself (body limits, bad requests) and from bugs: JSON, no details. */
  private void failure(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException) {
      // the client went away mid-request: nothing to answer, and nothing wrong with Pulse
      LOG.fine(() -> "client closed the connection during " + ctx.request().method() + " "
          + ctx.request().path());
      return;
    }
    int status = ctx.statusCode();
    switch (status) {
      case 413 -> {
        if (ctx.request().path().equals("/api/collect")) {
          services.metrics().rejected(Refusal.TOO_LARGE.metricName(), 1);
        }
        HttpErrors.send(ctx, 413,
            "body is larger than " + services.config().limits().maxBodyBytes() + " bytes");
      }
      case 400 -> HttpErrors.send(ctx, 400, "bad request");
      case 408 -> HttpErrors.sendAndClose(ctx, 408, "the request body did not arrive within "
          + services.config().http().bodyTimeoutMillis() + " ms");
      case 431 -> HttpErrors.send(ctx, 431, "request headers too large");
      default -> {
        if (status >= 400 && status < 500) {
          HttpErrors.send(ctx, status, "request refused");
          return;
        }
        LOG.log(Level.WARNING, "failed " + ctx.request().method() + " " + ctx.request().path(),
            ctx.failure());
        HttpErrors.send(ctx, 500, "internal error");
      }
    }
  }

}
