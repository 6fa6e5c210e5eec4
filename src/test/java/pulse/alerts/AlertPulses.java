package pulse.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import pulse.config.ConfigLoader;
import pulse.site.Sites;
import pulse.testing.TestPulse;

/** Pulses with alert rules on a site "watched", for the alert tests. */
final class AlertPulses {
  static final String SECRET = "whsec-0123456789abcdef";
  static final String ALERTS_TOKEN = "pk_alertsReader00000000000000001";
  static final String REALTIME_TOKEN = "pk_watchedRealtime0000000000001";
  /** 2026-12-01T10:00:10Z: ten seconds into a minute. */
  static final Instant START = Instant.parse("2026-12-01T10:00:10Z");

  private AlertPulses() {}

  /** Site "watched" (public) with these rules; "other" (private, no rules). */
  static Sites sites(String rules) {
    return Sites.parse("""
        {"sites": [
          {"id": "watched", "domains": ["localhost"], "public": true, "alerts": %s},
          {"id": "other", "domains": ["other.test"], "public": false}],
         "tokens": [
          {"sha256": "%s", "sites": ["watched"], "scopes": ["alerts:read"]},
          {"sha256": "%s", "sites": ["watched"], "scopes": ["realtime:read"]}]}"""
        .formatted(rules, TestPulse.hash(ALERTS_TOKEN), TestPulse.hash(REALTIME_TOKEN)));
  }

  /** One rule "busy": at least 1 active visitor for a minute, to the receiver. */
  static String busy(WebhookReceiver receiver) {
    return """
        [{"id": "busy", "kind": "above", "value": 1, "minutes": 1,
          "webhook": "%s", "secret": "%s"}]""".formatted(receiver.url(), SECRET);
  }

  static TestPulse start(String redisUrl, Clock clock, Sites sites) {
    return start(redisUrl, clock, sites, "");
  }

  /** @param dataDir where the embedded store saves ("": nowhere) */
  static TestPulse start(String redisUrl, Clock clock, Sites sites, String dataDir) {
    ObjectNode tree = ConfigLoader.defaults();
    tree.put("port", 0);
    tree.put("host", "127.0.0.1");
    tree.putNull("geoipDb");
    tree.put("dataDir", dataDir);
    if (redisUrl != null) {
      tree.put("redisUrl", redisUrl);
    }
    return TestPulse.start(ConfigLoader.fromJson(tree), sites, clock);
  }

  static void visit(TestPulse pulse, String path) {
    pulse.collect("{\"site\":\"watched\",\"url\":\"http://localhost" + path + "\"}",
        TestPulse.CHROME);
  }

  /** Polls (20 ms) until the condition holds or the timeout passes. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /**
   * The state the API gives rule "busy" ("ok", "firing"), or "" when it does not answer. Once a
   * minute is evaluated its state is stored, and its webhook on the way: a test waiting for a
   * transition looks here after each minute instead of waiting on the receiver for a while.
   */
  static String ruleState(TestPulse pulse) {
    return watchedAlerts(pulse).path("alerts").path(0).path("state").asText("");
  }

  /** The epoch minute the API says was evaluated last, or -1. */
  static long evaluatedMinute(TestPulse pulse) {
    String iso = watchedAlerts(pulse).path("evaluatedMinute").asText(null);
    return iso == null ? -1 : Instant.parse(iso).toEpochMilli() / 60_000L;
  }

  /** The alerts API's answer for site "watched", a missing node when it does not answer 200. */
  private static JsonNode watchedAlerts(TestPulse pulse) {
    var r = pulse.get("/api/sites/watched/alerts", "Authorization", "Bearer " + ALERTS_TOKEN);
    return r.statusCode() != 200 ? MissingNode.getInstance()
        : TestPulse.json(r);
  }
}
