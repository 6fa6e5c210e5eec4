package pulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.alerts.AlertPulses.START;
import static pulse.alerts.AlertPulses.eventually;
import static pulse.alerts.AlertPulses.evaluatedMinute;
import static pulse.alerts.AlertPulses.ruleState;
import static pulse.alerts.AlertsHttpTest.expectedSignature;
import static pulse.alerts.AlertsHttpTest.nextMinute;
import static pulse.alerts.WebhookReceiver.state;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.site.Sites;
import pulse.testing.MutableClock;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** Alerts with Redis: several instances send each transition once; an outage loses none. */
@Tag("server")
class AlertsRedisTest {
  private static SseClient.Frame awaitAlert(SseClient stream, Duration timeout) {
    long until = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < until) {
      SseClient.Frame f = stream.nextMessage(Duration.ofMillis(500));
      if (f != null && "alert".equals(f.event())) {
        return f;
      }
    }
    return null;
  }

  @Test
  void twoInstancesSharingRedisSendOneWebhookPerTransitionAndBothStreamIt() throws Exception {
    TestRedis redis = TestRedis.startProcess(List.of());
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Sites sites = AlertPulses.sites(AlertPulses.busy(receiver));
      try (TestPulse a = AlertPulses.start(redis.url(), clock, sites);
          TestPulse b = AlertPulses.start(redis.url(), clock, sites);
          SseClient streamA = SseClient.open(a.base() + "/api/sites/watched/stream");
          SseClient streamB = SseClient.open(b.base() + "/api/sites/watched/stream")) {
        AlertPulses.visit(a, "/launch");
        nextMinute(clock, a);
        assertEquals(1, receiver.await(state("firing"), 1, Duration.ofSeconds(10)).size());
        SseClient.Frame onA = awaitAlert(streamA, Duration.ofSeconds(10));
        SseClient.Frame onB = awaitAlert(streamB, Duration.ofSeconds(10));
        assertNotNull(onA, "instance a streams the alert");
        assertNotNull(onB, "instance b streams the alert");
        assertEquals(new JsonObject(onA.data()), new JsonObject(onB.data()));
        assertEquals("firing", new JsonObject(onA.data()).getString("state"));
        // every instance heard the minute; past the followers' look, still one webhook
        Thread.sleep(2_000);
        assertEquals(1, receiver.await(state("firing"), 2, Duration.ofSeconds(1)).size(),
            "one webhook for two instances: " + receiver.received());

        // the minute's state is stored before its webhook goes: no waiting on the receiver
        // while the shared state says firing still
        for (int i = 0; i < 8 && !"ok".equals(ruleState(a)); i++) {
          nextMinute(clock, i % 2 == 0 ? a : b);
        }
        assertEquals(1, receiver.await(state("resolved"), 1, Duration.ofSeconds(5)).size());
        nextMinute(clock, b);
        Thread.sleep(1_000);
        assertEquals(2, receiver.received().size(), "one webhook per transition: "
            + receiver.received());
        WebhookReceiver.Received resolved = receiver.received().get(1);
        assertEquals(expectedSignature(resolved.body()), resolved.header("X-Pulse-Signature"));
      }
    } finally {
      redis.stop();
    }
  }

  @Test
  void redisDownWhenTheMinuteIsDueLosesNoAlertItFiresLateOnce() throws Exception {
    // keeps its data across the restart (AOF), like a production Redis
    TestRedis redis = TestRedis.startProcess(List.of("--appendonly", "yes", "--appendfsync",
        "always"));
    MutableClock clock = new MutableClock(START);
    long m0 = START.toEpochMilli() / 60_000L;
    try (WebhookReceiver receiver = new WebhookReceiver();
        TestPulse pulse = AlertPulses.start(redis.url(), clock,
            AlertPulses.sites(AlertPulses.busy(receiver)))) {
      nextMinute(clock, pulse);
      assertEquals(m0, evaluatedMinute(pulse), "a quiet minute evaluated: ok");
      AlertPulses.visit(pulse, "/");

      redis.stop();
      // the minute with the visitor ends while Redis is down: it cannot be recorded nor evaluated
      clock.set(Instant.ofEpochMilli((m0 + 2) * 60_000L + 3_000));
      Thread.sleep(3_000);
      assertTrue(receiver.received().isEmpty());

      redis.restart();
      assertTrue(eventually(Duration.ofSeconds(15),
          () -> pulse.get("/health").statusCode() == 200), "the store is back");
      nextMinute(clock, pulse);
      List<WebhookReceiver.Received> firing =
          receiver.await(state("firing"), 1, Duration.ofSeconds(10));
      assertEquals(1, firing.size(), "fired after the outage");
      assertEquals("watched:busy:firing:" + (m0 + 2), firing.get(0).json().getString("id"),
          "late, with the first minute evaluated after it");
      nextMinute(clock, pulse);
      Thread.sleep(500);
      assertEquals(1, receiver.await(state("firing"), 2, Duration.ofSeconds(1)).size(),
          "once: " + receiver.received());
    } finally {
      redis.stop();
    }
  }

  @Test
  void aDeliveryRetryingWhenItsInstanceStopsIsResumedByAnotherWithTheSameKey() throws Exception {
    TestRedis redis = TestRedis.startProcess(List.of());
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Sites sites = AlertPulses.sites(AlertPulses.busy(receiver));
      receiver.answer(500);
      try (TestPulse a = AlertPulses.start(redis.url(), clock, sites)) {
        AlertPulses.visit(a, "/");
        nextMinute(clock, a);
        assertEquals(1, receiver.await(state("firing"), 1, Duration.ofSeconds(10)).size());
        assertTrue(eventually(Duration.ofSeconds(5), () -> "retrying".equals(TestPulse.json(
            a.get("/api/sites/watched/alerts", "Authorization", "Bearer "
                + AlertPulses.ALERTS_TOKEN)).path("alerts").path(0).path("delivery")
            .path("result").asText())));
      }
      // a stopped before its retry; b carries on once the retry is overdue
      try (TestPulse b = AlertPulses.start(redis.url(), clock, sites)) {
        nextMinute(clock, b);
        nextMinute(clock, b);
        List<WebhookReceiver.Received> tries =
            receiver.await(state("firing"), 2, Duration.ofSeconds(10));
        assertEquals(2, tries.size(), "resumed: " + receiver.received());
        assertEquals(tries.get(0).body(), tries.get(1).body());
        assertEquals(tries.get(0).header("Idempotency-Key"),
            tries.get(1).header("Idempotency-Key"));
        assertEquals(expectedSignature(tries.get(1).body()),
            tries.get(1).header("X-Pulse-Signature"));
        assertTrue(eventually(Duration.ofSeconds(5), () -> "delivered".equals(TestPulse.json(
            b.get("/api/sites/watched/alerts", "Authorization", "Bearer "
                + AlertPulses.ALERTS_TOKEN)).path("alerts").path(0).path("delivery")
            .path("result").asText())));
        nextMinute(clock, b);
        Thread.sleep(500);
        assertEquals(2, receiver.received().size(), "delivered once: " + receiver.received());
      }
    } finally {
      redis.stop();
    }
  }
}
