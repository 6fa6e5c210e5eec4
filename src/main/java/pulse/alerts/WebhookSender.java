package pulse.alerts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import pulse.site.AlertRule;

/**
 * Posts an alert's transition to its rule's webhook: signed, with its idempotency key, retried
 * with {@link Backoff} on a network error, a timeout, a 5xx or a 429, and never on another 4xx
 * (the receiver will not change its mind). Every request has a deadline.
 */
public final class WebhookSender {
  private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
  static final long CONNECT_TIMEOUT_MILLIS = 5_000;
  /** The whole request, from connecting to the end of the answer. */
  static final long REQUEST_TIMEOUT_MILLIS = 10_000;
  static final String USER_AGENT = "Pulse-Alerts/1";

  private final Vertx vertx;
  private final HttpClient client;
  private final Clock clock;
  private final Backoff backoff;

  public WebhookSender(Vertx vertx, Clock clock, Backoff backoff) {
    this.vertx = vertx;
    this.clock = clock;
    this.backoff = backoff;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) CONNECT_TIMEOUT_MILLIS)
        .setIdleTimeout((int) REQUEST_TIMEOUT_MILLIS).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxRedirects(0));
  }

  /** What a delivery tells and asks its owner. */
  public interface Progress {
    /** After every attempt. */
    void attempted(Delivery delivery);

    /**
     * Asked before each retry: false when a newer transition of the rule superseded this one
     * (an alert that resolved while its firing was being retried), and the retries stop.
     */
    Future<Boolean> stillWanted();
  }

  /** Sends until delivered, refused, superseded or given up. */
  public void send(AlertRule rule, AlertMessage message, Progress progress) {
    attempt(rule, message, message.body(), 1, clock.millis(), progress);
  }

  /**
   * Carries on with a delivery whose sender went away (a restart): the same body, key and
   * signature, its attempts counted on, until an hour after its first attempt.
   */
  public void resume(AlertRule rule, AlertMessage message, Delivery before, Progress progress) {
    int attempts = before == null ? 0 : before.attempts();
    long firstAt = before == null ? clock.millis() : before.firstAt();
    if (attempts > 0 && backoff.nextDelay(attempts, firstAt, clock.millis()) < 0) {
      progress.attempted(new Delivery(message.id(), message.state(), "failed", attempts,
          before.status(), before.error(), clock.millis(), firstAt, 0));
      return;
    }
    attempt(rule, message, message.body(), attempts + 1, firstAt, progress);
  }

  private void attempt(AlertRule rule, AlertMessage message, Buffer body, int attempt,
      long firstAt, Progress progress) {
    post(rule, message, body).onComplete(ar -> {
      int status = ar.succeeded() ? ar.result() : 0;
      String error = ar.failed() ? describe(ar.cause(), rule) : status / 100 == 2 ? null
          : "HTTP " + status;
      boolean retry = ar.failed() || status >= 500 || status == 429;
      long now = clock.millis();
      if (!retry) {
        String result = status / 100 == 2 ? "delivered" : "refused";
        if (error != null) {
          LOG.warning("alert " + message.id() + ": " + rule.webhook().getHost() + " refused it ("
              + error + "); not tried again");
        }
        progress.attempted(new Delivery(message.id(), message.state(), result, attempt, status,
            error, now, firstAt, 0));
        return;
      }
      long delay = backoff.nextDelay(attempt, firstAt, now);
      if (delay < 0) {
        LOG.warning("alert " + message.id() + ": " + rule.webhook().getHost() + " still failing ("
            + error + ") after " + attempt + " attempts; given up");
        progress.attempted(new Delivery(message.id(), message.state(), "failed", attempt, status,
            error, now, firstAt, 0));
        return;
      }
      LOG.info("alert " + message.id() + ": " + rule.webhook().getHost() + " failed (" + error
          + "), attempt " + (attempt + 1) + " in " + delay + " ms");
      progress.attempted(new Delivery(message.id(), message.state(), Delivery.RETRYING, attempt,
          status, error, now, firstAt, now + delay));
      vertx.setTimer(delay, t -> progress.stillWanted().onComplete(wanted -> {
        // a failed check (the store is down) is no reason to stop
        if (wanted.succeeded() && !wanted.result()) {
          LOG.info("alert " + message.id() + ": superseded by a newer transition; not retried");
          return;
        }
        attempt(rule, message, body, attempt + 1, firstAt, progress);
      }));
    });
  }

  /** One POST; its status, whatever it is, or a failure for no answer. */
  private Future<Integer> post(AlertRule rule, AlertMessage message, Buffer body) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(rule.webhook().toString())
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
        .setIdleTimeout(REQUEST_TIMEOUT_MILLIS)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("Idempotency-Key", message.id());
    if (rule.secret() != null) {
      options.putHeader("X-Pulse-Signature", AlertMessage.signature(rule.secret(), body));
    }
    return client.request(options)
        .compose(request -> request.send(body))
        // the answer's body is read and dropped, never held: only its status counts
        .compose(response -> response.handler(chunk -> { }).end()
            .map(ignored -> response.statusCode()))
        .timeout(REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * What went wrong, for the log and the alerts API: without the webhook's path or query, which
   * may hold a key (Slack's do) and which some errors quote.
   */
  static String describe(Throwable e, AlertRule rule) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String url = rule.webhook().toString();
    String path = rule.webhook().getRawPath();
    text = text.replace(url, rule.webhook().getScheme() + "://" + rule.webhook().getRawAuthority()
        + "/…");
    if (path != null && path.length() > 1) {
      text = text.replace(path, "/…");
    }
    if (rule.webhook().getRawQuery() != null) {
      text = text.replace(rule.webhook().getRawQuery(), "…");
    }
    return text.length() > 200 ? text.substring(0, 200) : text;
  }

  public Future<Void> close() {
    return client.close();
  }
}
