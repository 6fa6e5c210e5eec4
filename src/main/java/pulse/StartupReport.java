package pulse;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.logging.Logger;
import pulse.config.PulseConfig;
import pulse.config.RedisUrls;
import pulse.site.Site;
import pulse.site.Sites;
import pulse.store.EventStore;

/**
 * What start-up tells the person who started Pulse: which store it uses (a Redis URL without its
 * password), where the dashboard is, and, within 2 s, when the store does not answer.
 */
final class StartupReport {
  private static final Logger LOG = Logger.getLogger(StartupReport.class.getName());
  /** How long the first ping may take before the store is reported down, and the retry period. */
  static final long STORE_CHECK_MILLIS = 2_000;

  private StartupReport() {}

  /** "the redis store at redis://host:6379" or the embedded store with its caveat. */
  static String store(PulseConfig config) {
    if (!config.usesRedis()) {
      return "the embedded memory store (" + (config.dataDir() == null
          ? "data is lost on restart: dataDir is off"
          : "day figures and history saved in " + config.dataDir() + " every minute")
          + "; set PULSE_REDIS_URL to run several instances)";
    }
    return "the redis store at " + RedisUrls.withoutPassword(config.redisUrl());
  }

  /** The first public site's dashboard, or how to open a private one. */
  static String dashboard(PulseConfig config, Sites sites, int port) {
    String bound = config.server().host();
    String host = bound.equals("0.0.0.0") || bound.equals("::") ? "localhost" : bound;
    String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    Site first = null;
    for (Site site : sites.all()) {
      if (site.isPublic()) {
        return "dashboard: " + base + "/live/" + site.id();
      }
      first = first == null ? site : first;
    }
    if (first == null) {
      return "no sites in " + config.sitesFile() + " (PULSE_SITES): add one to track and watch it";
    }
    return "dashboard: " + base + "/live/" + first.id() + " (a private site: the page asks for a"
        + " token with realtime:read; make one with java -jar pulse.jar token --site "
        + first.id() + ")";
  }

  /**
   * Pings the store; when it has not answered within {@link #STORE_CHECK_MILLIS} says so by name
   * and keeps pinging every period until it answers, then says that too. Pulse runs meanwhile:
   * ingest buffers and /health answers 503, as during an outage.
   */
  static void watchStore(Vertx vertx, EventStore store, PulseConfig config) {
    if (!config.usesRedis()) {
      return;
    }
    String shown = RedisUrls.withoutPassword(config.redisUrl());
    ping(vertx, store).onFailure(err -> {
      LOG.warning("Redis at " + shown + " does not answer (" + reason(err, config) + "); Pulse"
          + " runs on, buffers events and retries every " + STORE_CHECK_MILLIS / 1000
          + " s; /health answers 503 until Redis answers");
      retry(vertx, store, shown);
    });
  }

  private static void retry(Vertx vertx, EventStore store, String shown) {
    vertx.setTimer(STORE_CHECK_MILLIS, t -> ping(vertx, store)
        .onSuccess(v -> LOG.info("Redis at " + shown + " answers: the store is up"))
        .onFailure(err -> retry(vertx, store, shown)));
  }

  private static Future<Void> ping(Vertx vertx, EventStore store) {
    Promise<Void> answered = Promise.promise();
    long timer = vertx.setTimer(STORE_CHECK_MILLIS, t -> answered.tryFail(
        "no answer within " + STORE_CHECK_MILLIS / 1000 + " s"));
    store.ping().onComplete(r -> {
      vertx.cancelTimer(timer);
      if (r.succeeded()) {
        answered.tryComplete();
      } else {
        answered.tryFail(r.cause());
      }
    });
    return answered.future();
  }

  /** The client's error, with the configured URL (and so its password) never echoed. */
  private static String reason(Throwable err, PulseConfig config) {
    String message = String.valueOf(err.getMessage());
    for (String url : config.redisUrl().split(",")) {
      message = message.replace(url.trim(), RedisUrls.withoutPassword(url.trim()));
    }
    return message;
  }
}
