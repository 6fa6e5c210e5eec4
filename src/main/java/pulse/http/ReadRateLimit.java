package pulse.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Reads of figures per client address per minute. Each distinct window or view a client asks for
 * may cost a computation, so one address must not be able to ask for thousands a minute; a
 * dashboard, a poller per second or a wall of counters stays far below the limit.
 */
public final class ReadRateLimit implements Handler<RoutingContext> {
  private final RateLimiter limiter;
  private final int perMinute;
  private final Function<HttpServerRequest, String> clientKey;

  /**
   * @param perMinute reads one address may make per minute; 0: no limit
   * @param clientKey what a client is counted by (its address, as the server trusts it)
   */
  public ReadRateLimit(RateLimiter limiter, int perMinute,
      Function<HttpServerRequest, String> clientKey) {
    this.limiter = limiter;
    this.perMinute = perMinute;
    this.clientKey = clientKey;
  }

  /**
   * Counts reads of figures only: GETs under {@code /api/}, {@code /badge/} and {@code /v1/}
   * (Fathom's), and Plausible's query, a read that is posted ({@code POST /api/v2/query}). Posts
   * of events have limits of their own, and so do the Zenovay routes ({@code /e/}), as that
   * product documents.
   */
  @Override
  public void handle(RoutingContext ctx) {
    if (!isRead(ctx.request().method(), ctx.request().path())) {
      ctx.next();
      return;
    }
    long retryAfter = perMinute > 0
        ? limiter.acquire("read:" + clientKey.apply(ctx.request()), perMinute) : 0;
    if (retryAfter == 0) {
      ctx.next();
      return;
    }
    // the public read routes answer other origins; so does their refusal, or an embed cannot say why
    ctx.response().putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Retry-After", Long.toString(retryAfter));
    HttpErrors.send(ctx, 429, "too many reads from this address: at most " + perMinute
        + " a minute; retry in " + retryAfter + " s");
  }

  static boolean isRead(HttpMethod method, String path) {
    if (path == null) {
      return false;
    }
    if (method == HttpMethod.POST) {
      return path.equals("/api/v2/query");
    }
    return method == HttpMethod.GET && (path.startsWith("/api/") || path.startsWith("/badge/")
        || path.startsWith("/v1/"));
  }
}
