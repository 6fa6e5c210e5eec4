package pulse;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.CompressionConfig;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import pulse.api.RealtimeRoutes;
import pulse.api.StreamRoutes;
import pulse.http.CrossOrigin;
import pulse.http.HttpErrors;
import pulse.http.RateLimiter;
import pulse.http.ReadRateLimit;
import pulse.http.RequestGuard;
import pulse.ingest.ClientInfo;
import pulse.api.compat.CompatRoutes;
import pulse.ingest.IngestHandler;
import pulse.web.WebRoutes;

/** The HTTP front door: one router for ingest, reads and health, with JSON errors everywhere. */
public final class HttpServerVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(HttpServerVerticle.class.getName());

  static final long BODY_TIMEOUT_MILLIS = 10_000;

  private final Services services;
  private HttpServer server;

  public HttpServerVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    // every read of figures counts against its address, before any route computes anything
    ReadRateLimit reads = new ReadRateLimit(new RateLimiter(services.clock()),
        services.config().readsPerIpPerMinute(),
        request -> ClientInfo.ip(request, services.config().trustProxy()));
    // on every request and first, before any route that may not match: a route that matches
    // after one that failed on its method makes Vert.x answer 404 where 405 is right
    router.route().handler(reads);

    router.options("/api/collect").handler(CrossOrigin.preflight("POST, OPTIONS", "Content-Type"));
    // a route of its own: Vert.x runs body handlers before user handlers within one route, and the
    // content type must be refused before a body is read
    // a body that trickles in (slow-loris) is cut off: 408 after 10 s
    router.post("/api/collect").handler(TimeoutHandler.create(BODY_TIMEOUT_MILLIS, 408));
    router.post("/api/collect").handler(ctx -> {
      CrossOrigin.allowAnyOrigin(ctx.response());
      services.ingest().checkContentType(ctx);
    });
    router.post("/api/collect")
        .handler(BodyHandler.create(false).setBodyLimit(services.config().maxBodyBytes()))
        .handler(services.ingest()::handle);

    new RealtimeRoutes(services.sites(), services.snapshots(), services.config()).mount(router);
    new StreamRoutes(services.sites(), services.streams(), services.tickets(), services.config(),
        services.clock()).mount(router);
    CompatRoutes.mount(router, services.config(), services.sites(), services.snapshots(),
        services.days(), services.ingest(), services.clock());

    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
    new WebRoutes(services.sites(), services.snapshots(), services.config()).mount(router);

    router.errorHandler(404, ctx -> HttpErrors.send(ctx, 404, "no such route: "
        + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(this::failure);
    router.errorHandler(405, ctx -> HttpErrors.send(ctx, 405, "method not allowed"));
    router.errorHandler(500, this::failure);

    HttpServerOptions options = new HttpServerOptions()
        .setPort(services.config().port())
        .setHost(services.config().host())
        // Vert.x 5.1's setCompressionSupported(true) answers "gzip" at level 0 (nothing saved);
        // naming the compressors and their level makes it compress
        .setCompression(new CompressionConfig().setCompressionEnabled(true).addGzip(6)
            .addDeflate(6))
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8192)
        .setIdleTimeout(60);
    return vertx.createHttpServer(options).requestHandler(RequestGuard.around(router))
        .invalidRequestHandler(RequestGuard::invalid).listen()
        .onSuccess(s -> server = s);
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
    String admin = services.config().adminToken();
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
    int status = ctx.statusCode();
    switch (status) {
      case 413 -> {
        if (ctx.request().path().equals("/api/collect")) {
          services.metrics().rejected(IngestHandler.reason(413), 1);
        }
        HttpErrors.send(ctx, 413,
            "body is larger than " + services.config().maxBodyBytes() + " bytes");
      }
      case 400 -> HttpErrors.send(ctx, 400, "bad request");
      case 408 -> HttpErrors.send(ctx, 408, "request body took too long");
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

  public int actualPort() {
    return server.actualPort();
  }
}
