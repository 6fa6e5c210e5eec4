package pulse.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Refuses, with a JSON 400, a request whose path or query does not decode, before the router
 * sees it: Vert.x decodes both lazily, and a malformed escape ({@code ?%%%}) would otherwise throw
 * inside a route (a 500) or inside route matching (a plain-text 400). Also answers in JSON the
 * requests Vert.x itself finds invalid (a malformed request line or headers).
 */
public final class RequestGuard {
  private static final String ESCAPES = " is not valid percent-encoding: each % must be followed by"
      + " two hex digits";

  private RequestGuard() {}

  /** The router behind a check that the path and query of every request decode. */
  public static Handler<HttpServerRequest> around(Handler<HttpServerRequest> router) {
    return request -> {
      String problem = problem(request);
      if (problem != null) {
        // as the errors of the routes other sites read: harmless, and readable by them
        request.response().putHeader("Access-Control-Allow-Origin", "*");
        HttpErrors.send(request.response(), 400, new JsonObject().put("error", problem));
        return;
      }
      router.handle(request);
    };
  }

  /** What is wrong with the request's path or query, or null when both decode. */
  static String problem(HttpServerRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    if (!decodes(path)) {
      return "the path" + ESCAPES;
    }
    if (query >= 0) {
      String text = uri.substring(query + 1);
      if (!decodes(text)) {
        return "the query string" + ESCAPES;
      }
      try {
        request.params();
      } catch (RuntimeException e) {
        return "the query string cannot be read: " + e.getMessage();
      }
    }
    return null;
  }

  private static boolean decodes(String text) {
    try {
      QueryStringDecoder.decodeComponent(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
