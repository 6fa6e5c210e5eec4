package pulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.alerts.AlertPulses.ALERTS_TOKEN;
import static pulse.alerts.AlertPulses.SECRET;
import static pulse.alerts.AlertPulses.START;
import static pulse.alerts.AlertPulses.eventually;
import static pulse.alerts.AlertPulses.evaluatedMinute;
import static pulse.alerts.AlertPulses.ruleState;
import static pulse.alerts.WebhookReceiver.state;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.site.Sites;
import pulse.testing.MutableClock;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;

/**
 * Alerts end to end on one Pulse (embedded store) with a real webhook receiver: the clock moves a
 * minute at a time; the minute recorder evaluates the rules as in production.
 */
@Tag("server")
class AlertsHttpTest {
  private static final long M0 = START.toEpochMilli() / 60_000L;

  /** What a receiver computes to check X-Pulse-Signature: HMAC-SHA256 of the raw body. */
  static String expectedSignature(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Moves the clock into the next minute and waits until the ended one is evaluated. */
  static void nextMinute(MutableClock clock, TestPulse pulse) {
    long ended = clock.millis() / 60_000L;
    clock.set(java.time.Instant.ofEpochMilli((ended + 1) * 60_000L + 3_000));
    assertTrue(eventually(Duration.ofSeconds(10), () -> evaluatedMinute(pulse) >= ended),
        "minute " + ended + " evaluated");
  }

  /** What the API says of the delivery of rule "busy"'s last webhook. */
  private static JsonNode delivery(TestPulse pulse) {
    return json(alerts(pulse, "watched", ALERTS_TOKEN)).path("alerts").path(0).path("delivery");
  }

  private static HttpResponse<String> alerts(TestPulse pulse, String site, String token) {
    return token == null ? pulse.get("/api/sites/" + site + "/alerts")
        : pulse.get("/api/sites/" + site + "/alerts", "Authorization", "Bearer " + token);
  }

  @Test
  void anAlertFiresSignedOnTheStreamAndInTheApiThenResolvesOnce() throws Exception {
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver();
        TestPulse pulse = AlertPulses.start(null, clock,
            AlertPulses.sites(AlertPulses.busy(receiver)));
        SseClient stream = SseClient.open(pulse.base() + "/api/sites/watched/stream")) {
      JsonNode before = json(alerts(pulse, "watched", ALERTS_TOKEN)).path("alerts").path(0);
      assertEquals("ok", before.path("state").asText());
      assertTrue(before.path("last").isNull());

      AlertPulses.visit(pulse, "/pricing");
      nextMinute(clock, pulse);
      List<WebhookReceiver.Received> firing =
          receiver.await(state("firing"), 1, Duration.ofSeconds(10));
      assertEquals(1, firing.size(), "fired once");
      WebhookReceiver.Received hook = firing.get(0);
      assertEquals(expectedSignature(hook.body()), hook.header("X-Pulse-Signature"));
      JsonObject body = hook.json();
      assertEquals("watched:busy:firing:" + M0, body.getString("id"));
      assertEquals(body.getString("id"), hook.header("Idempotency-Key"));
      assertEquals("application/json", hook.header("Content-Type"));
      assertEquals("watched", body.getString("site"));
      assertEquals("busy", body.getString("alert"));
      assertEquals("above", body.getString("kind"));
      assertEquals(1, body.getInteger("activeVisitors"));
      assertEquals(1.0, body.getDouble("threshold"));
      assertEquals("2026-12-01T10:01:00Z", body.getString("at"),
          "sent for the minute the visitor came, at its end: within 90 s");
      assertEquals("/live/watched", body.getString("link"));

      SseClient.Frame alert = null;
      long until = System.currentTimeMillis() + 5_000;
      while (alert == null && System.currentTimeMillis() < until) {
        SseClient.Frame f = stream.nextMessage(Duration.ofMillis(500));
        if (f != null && "alert".equals(f.event())) {
          alert = f;
        }
      }
      assertNotNull(alert, "the site's stream carries event: alert");
      assertEquals(body, new JsonObject(alert.data()), "the stream's message is the webhook's");

      assertTrue(eventually(Duration.ofSeconds(5),
          () -> "delivered".equals(delivery(pulse).path("result").asText())));
      HttpResponse<String> listed = alerts(pulse, "watched", ALERTS_TOKEN);
      JsonNode rule = json(listed).path("alerts").path(0);
      assertEquals("busy", rule.path("id").asText());
      assertEquals("above", rule.path("kind").asText());
      assertEquals(1, rule.path("value").asInt());
      assertEquals(1, rule.path("minutes").asInt());
      assertEquals("firing", rule.path("state").asText());
      assertEquals("2026-12-01T10:01:00Z", rule.path("since").asText());
      assertEquals(1, rule.path("last").path("activeVisitors").asInt());
      assertEquals("127.0.0.1", rule.path("webhook").asText(), "the webhook's host only");
      assertEquals(1, rule.path("delivery").path("attempts").asInt());
      assertEquals(200, rule.path("delivery").path("status").asInt());
      assertFalse(listed.body().contains(SECRET), "never the secret");
      assertFalse(listed.body().contains("/hook"), "never the webhook's path");

      // the visitor leaves the 5-minute window: resolved once, a minute after (each minute's
      // state is stored before its webhook goes: the next minute follows as soon as it says
      // firing still)
      for (int i = 0; i < 8 && !"ok".equals(ruleState(pulse)); i++) {
        nextMinute(clock, pulse);
      }
      List<WebhookReceiver.Received> resolved =
          receiver.await(state("resolved"), 1, Duration.ofSeconds(5));
      assertEquals(1, resolved.size());
      assertEquals(expectedSignature(resolved.get(0).body()),
          resolved.get(0).header("X-Pulse-Signature"));
      assertEquals(0, resolved.get(0).json().getInteger("activeVisitors"));
      nextMinute(clock, pulse);
      nextMinute(clock, pulse);
      Thread.sleep(300);
      assertEquals(2, receiver.received().size(), "one webhook per transition: "
          + receiver.received());
      assertEquals("ok", json(alerts(pulse, "watched", ALERTS_TOKEN)).path("alerts").path(0)
          .path("state").asText());
    }
  }

  @Test
  void aWebhookAnswered500IsRetriedWithTheSameKeyAndDeliveredOnce() throws Exception {
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver();
        TestPulse pulse = AlertPulses.start(null, clock,
            AlertPulses.sites(AlertPulses.busy(receiver)))) {
      receiver.answer(500);
      AlertPulses.visit(pulse, "/");
      nextMinute(clock, pulse);
      List<WebhookReceiver.Received> tries =
          receiver.await(state("firing"), 2, Duration.ofSeconds(15));
      assertEquals(2, tries.size(), "answered 500, tried again 5 s later");
      assertEquals(tries.get(0).body(), tries.get(1).body());
      assertEquals(tries.get(0).header("Idempotency-Key"), tries.get(1).header("Idempotency-Key"));
      assertEquals(expectedSignature(tries.get(1).body()), tries.get(1).header("X-Pulse-Signature"));
      assertTrue(eventually(Duration.ofSeconds(5),
          () -> "delivered".equals(delivery(pulse).path("result").asText())));
      JsonNode delivery = delivery(pulse);
      assertEquals(2, delivery.path("attempts").asInt());
      // the next minutes' evaluations look for stalled deliveries: a delivered one is not one
      clock.advanceSeconds(120);
      nextMinute(clock, pulse);
      Thread.sleep(300);
      assertEquals(2, receiver.received().size(), "delivered: not sent again");
    }
  }

  @Test
  void theStateSurvivesARestartOfTheEmbeddedStore(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Sites sites = AlertPulses.sites(AlertPulses.busy(receiver));
      try (TestPulse a = AlertPulses.start(null, clock, sites, dir.toString())) {
        AlertPulses.visit(a, "/");
        nextMinute(clock, a);
        assertEquals(1, receiver.await(state("firing"), 1, Duration.ofSeconds(10)).size());
        // the delivery's result is stored once the receiver's answer is back, after the receiver
        // has the request: stop only then, or the restart would find it still under way
        assertTrue(eventually(Duration.ofSeconds(5),
            () -> "delivered".equals(delivery(a).path("result").asText())));
      }
      try (TestPulse b = AlertPulses.start(null, clock, sites, dir.toString())) {
        JsonNode rule = json(alerts(b, "watched", ALERTS_TOKEN)).path("alerts").path(0);
        assertEquals("firing", rule.path("state").asText(), "still firing after the restart");
        assertEquals("delivered", rule.path("delivery").path("result").asText());
        // the realtime window is not kept: no visitor now, so the alert resolves, once
        nextMinute(clock, b);
        assertEquals(1, receiver.await(state("resolved"), 1, Duration.ofSeconds(10)).size());
        nextMinute(clock, b);
        Thread.sleep(300);
        assertEquals(List.of("firing", "resolved"), receiver.received().stream()
            .map(r -> r.json().getString("state")).toList(), "fired once, resolved once");
      }
    }
  }

  /** That a 4xx is not retried, WebhookSenderTest shows quickly; here the API's account of it. */
  @Test
  void aWebhookAnswered400IsShownRefused() throws Exception {
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver();
        TestPulse pulse = AlertPulses.start(null, clock,
            AlertPulses.sites(AlertPulses.busy(receiver)))) {
      receiver.answer(400);
      AlertPulses.visit(pulse, "/");
      nextMinute(clock, pulse);
      assertEquals(1, receiver.await(state("firing"), 1, Duration.ofSeconds(10)).size());
      assertTrue(eventually(Duration.ofSeconds(5), () -> delivery(pulse).has("result")));
      JsonNode delivery = delivery(pulse);
      assertEquals("refused", delivery.path("result").asText());
      assertEquals(400, delivery.path("status").asInt());
    }
  }

  @Test
  void theAlertsApiNeedsATokenWithAlertsReadEvenForAPublicSite() {
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver();
        TestPulse pulse = AlertPulses.start(null, clock,
            AlertPulses.sites(AlertPulses.busy(receiver)))) {
      HttpResponse<String> none = alerts(pulse, "watched", null);
      assertEquals(401, none.statusCode());
      assertEquals("send Authorization: Bearer <token>", json(none).path("error").asText());
      assertEquals(401, alerts(pulse, "watched", "pk_unknown0000000000000000000001").statusCode());
      HttpResponse<String> scope = alerts(pulse, "watched", AlertPulses.REALTIME_TOKEN);
      assertEquals(403, scope.statusCode());
      assertEquals("this token may not read site 'watched'", json(scope).path("error").asText());
      HttpResponse<String> other = alerts(pulse, "other", ALERTS_TOKEN);
      assertEquals(404, other.statusCode(), "a private site of another token is not told");
      assertEquals("unknown site 'other'", json(other).path("error").asText());
      assertEquals(404, alerts(pulse, "nosuch", ALERTS_TOKEN).statusCode());
      assertEquals(400, alerts(pulse, "bad%20id", ALERTS_TOKEN).statusCode());
      HttpResponse<String> ok = alerts(pulse, "watched", ALERTS_TOKEN);
      assertEquals(200, ok.statusCode());
      assertEquals("no-store", ok.headers().firstValue("Cache-Control").orElse(""));
      assertTrue(json(ok).path("evaluatedMinute").isNull());
    }
  }
}
