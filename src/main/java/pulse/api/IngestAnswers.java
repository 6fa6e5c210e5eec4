package pulse.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.function.Consumer;
import pulse.http.HttpErrors;
import pulse.ingest.IngestOutcome;
import pulse.ingest.Refusal;
import pulse.metrics.PulseMetrics;

/**
 * Turns what ingest decided into HTTP: the one place where a {@link Refusal} gets its status.
 * Every ingest route (Pulse's and the product trackers') answers through it, so they agree.
 */
public final class IngestAnswers {
  private final PulseMetrics metrics;

  public IngestAnswers(PulseMetrics metrics) {
    this.metrics = metrics;
  }

  public static int status(Refusal reason) {
    return switch (reason) {
      case INVALID -> 400;
      case FORBIDDEN_ORIGIN -> 403;
      case UNKNOWN_SITE -> 404;
      case TOO_LARGE -> 413;
      case CONTENT_TYPE -> 415;
      case RATE_LIMITED -> 429;
      case BUFFER_FULL, STORE_UNAVAILABLE -> 503;
    };
  }

  /**
   * Answers an outcome: {@code success} writes the protocol's own success answer for events
   * taken or dropped on purpose; a refusal gets its status and a JSON error, counted by reason.
   */
  public void answer(RoutingContext ctx, IngestOutcome outcome,
      Consumer<HttpServerResponse> success) {
    if (outcome instanceof IngestOutcome.Refused refused) {
      metrics.rejected(refused.reason().metricName(), refused.events());
      if (refused.retryAfterSeconds() > 0) {
        ctx.response().putHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
      }
      HttpErrors.send(ctx, status(refused.reason()), refused.message());
    } else {
      success.accept(ctx.response());
    }
  }

  /** Runs before the body is read: only JSON and text/plain (what sendBeacon sends) are taken. */
  public void checkContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json") && !mime.equals("text/plain")) {
      answer(ctx, new IngestOutcome.Refused(Refusal.CONTENT_TYPE,
          "Content-Type must be application/json or text/plain", 0, 1), r -> {});
      return;
    }
    ctx.next();
  }
}
