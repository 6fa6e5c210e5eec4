package pulse.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.json.JsonObject;

/** Every error Pulse answers: a status and {"error": "..."} that says what is wrong. */
public final class HttpErrors {
  private HttpErrors() {}

  /**
   * The errors of this request carry {@code Access-Control-Allow-Origin: *}: on routes a page of
   * another site reads (counters, badges, streams), so it can tell a private or unknown site
   * from a network failure. An error says nothing a cross-origin reader could misuse.
   */
  public static void readableAcrossOrigins(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> {
      if (ctx.response().getStatusCode() >= 400) {
        ctx.response().putHeader("Access-Control-Allow-Origin", "*");
      }
    });
  }

  public static void send(RoutingContext ctx, int status, String message) {
    send(ctx.response(), status, new JsonObject().put("error", message));
  }

  public static void send(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.end();
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /**
   * As {@link #send(RoutingContext, int, String)}, then closes the connection: for a client too
   * slow to finish its request, whose rest is not waited for.
   */
  public static void sendAndClose(RoutingContext ctx, int status, String message) {
    sendAndClose(ctx.response(), ctx.request().connection(), status, message);
  }

  public static void sendAndClose(HttpServerResponse response, HttpConnection connection,
      int status, String message) {
    if (!response.ended() && !response.closed() && !response.headWritten()) {
      response.setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .putHeader("Connection", "close")
          .end(new JsonObject().put("error", message).encode())
          .onComplete(r -> connection.close());
    } else {
      connection.close();
    }
  }
}
