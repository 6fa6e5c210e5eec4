package pulse.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The CORS headers of routes that pages of any site call (trackers, Zenovay's public endpoints),
 * written in one place. Unlike vertx-web's CorsHandler these are sent whether or not the request
 * names an Origin, as the products' documented answers carry them.
 */
public final class CrossOrigin {
  /** How long browsers may keep a tracker's preflight answer (a day). */
  static final String PREFLIGHT_MAX_AGE = "86400";

  private CrossOrigin() {}

  /** Any origin may read this response. */
  public static HttpServerResponse allowAnyOrigin(HttpServerResponse response) {
    return response.putHeader("Access-Control-Allow-Origin", "*");
  }

  /**
   * A handler that marks every answer of its routes (errors included) readable by any origin,
   * with the methods and request headers allowed, and passes the request on.
   */
  public static Handler<RoutingContext> anyOrigin(String methods, String allowHeaders) {
    return ctx -> {
      allowAnyOrigin(ctx.response())
          .putHeader("Access-Control-Allow-Methods", methods)
          .putHeader("Access-Control-Allow-Headers", allowHeaders);
      ctx.next();
    };
  }

  /** A handler answering a preflight: 204, any origin, these methods and headers, for a day. */
  public static Handler<RoutingContext> preflight(String methods, String allowHeaders) {
    return ctx -> allowAnyOrigin(ctx.response().setStatusCode(204))
        .putHeader("Access-Control-Allow-Methods", methods)
        .putHeader("Access-Control-Allow-Headers", allowHeaders)
        .putHeader("Access-Control-Max-Age", PREFLIGHT_MAX_AGE)
        .end();
  }
}
