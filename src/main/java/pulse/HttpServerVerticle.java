package pulse;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.CompressionConfig;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One HTTP server on its event loop. Pulse deploys one per event loop on the same port (Vert.x
 * hands new connections to them in turn), all sharing one {@link HttpFrontDoor}: with a single
 * server every request, and every snapshot answered to a poller, ran on one thread, and a second
 * of polls queued behind each computation.
 */
public final class HttpServerVerticle extends VerticleBase {
  private final HttpFrontDoor door;
  private final String host;
  private final int port;
  private HttpServer server;

  public HttpServerVerticle(HttpFrontDoor door, String host, int port) {
    this.door = door;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setPort(port)
        .setHost(host)
        // Vert.x 5.1's setCompressionSupported(true) answers "gzip" at level 0 (nothing saved);
        // naming the compressors and their level makes it compress
        .setCompression(new CompressionConfig().setCompressionEnabled(true).addGzip(6)
            .addDeflate(6))
        .setMaxHeaderSize(HttpFrontDoor.MAX_HEADER_BYTES)
        .setMaxInitialLineLength(HttpFrontDoor.MAX_LINE_LENGTH)
        .setIdleTimeout(60)
        // Pulse serves no WebSocket: without these its extension handler sits in every
        // connection's pipeline, and each write to 10,000 streams passes through it
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // with h2c on, Vert.x reads a whole first request (to see whether it asks to upgrade)
        // before the connection exists; the connection cap and request deadline must see it first
        .setHttp2ClearTextEnabled(false);
    return vertx.createHttpServer(options)
        .connectionHandler(door::connection)
        .invalidRequestHandler(door.invalidRequests())
        .requestHandler(door.requests()).listen()
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
