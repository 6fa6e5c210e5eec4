package pulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.site.AlertRule;
import pulse.site.AlertRule.Kind;

/** The webhook's body, its signature, Slack's body and the retry schedule. */
class AlertMessageTest {
  private static final AlertRule BUSY = new AlertRule("busy", Kind.ABOVE, 0, 50, 1,
      URI.create("https://ops.example.com/hooks/pulse"), "It's a Secret to Everybody");
  private static final AlertRule SLACK = new AlertRule("surge", Kind.SPIKE, 3, 0, 5,
      URI.create("https://hooks.slack.com/services/T000/B000/XXXXXXXX"), null);
  /** 2026-11-30T14:31:00Z as an epoch minute; the figures are of the minute ending 14:32. */
  private static final long MINUTE = 29_934_151L;

  @Test
  void theBodySaysWhichAlertOfWhichSiteAndItsFigures() {
    AlertMessage m = AlertMessage.of("shop", BUSY, true,
        new Figures(MINUTE, 63, 41, 20.5, 50.0), "https://pulse.example.com/");
    JsonObject json = new JsonObject(m.body().toString());
    assertEquals(new JsonObject()
        .put("id", "shop:busy:firing:" + MINUTE)
        .put("site", "shop").put("alert", "busy").put("kind", "above").put("state", "firing")
        .put("at", "2026-11-30T14:32:00Z")
        .put("activeVisitors", 63).put("present", 41).put("baseline", 20.5)
        .put("threshold", 50.0).put("minutes", 1)
        .put("link", "https://pulse.example.com/live/shop"), json);
    assertFalse(m.body().toString().contains("Secret"));
    AlertMessage resolved = AlertMessage.of("shop", BUSY, false,
        new Figures(MINUTE + 9, 12, 4, null, 50.0), null);
    assertEquals("shop:busy:resolved:" + (MINUTE + 9), resolved.id());
    assertEquals("/live/shop", resolved.json().getString("link"), "no public URL: a path");
    assertTrue(resolved.json().containsKey("baseline"));
  }

  @Test
  void theSignatureIsTheHmacSha256OfTheBodyBytes() {
    // GitHub's documented example of an X-Hub-Signature-256, the same construction
    Buffer body = Buffer.buffer("Hello, World!".getBytes(StandardCharsets.UTF_8));
    assertEquals("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        AlertMessage.signature("It's a Secret to Everybody", body));
  }

  @Test
  void aSlackWebhookGetsText() {
    AlertMessage m = AlertMessage.of("shop", SLACK, true,
        new Figures(MINUTE, 90, 60, 20.0, 60.0), "https://pulse.example.com");
    JsonObject json = new JsonObject(m.body().toString());
    assertEquals(List.of("text"), new ArrayList<>(json.fieldNames()));
    assertEquals(":rotating_light: shop: alert surge (3x the usual visitors, 5 minutes) firing:"
        + " 90 active visitors, usually 20 at 2026-11-30T14:32:00Z"
        + " <https://pulse.example.com/live/shop|live dashboard>", json.getString("text"));
    AlertMessage back = AlertMessage.of("shop", SLACK, false,
        new Figures(MINUTE, 15, 9, 20.0, 60.0), null);
    assertTrue(new JsonObject(back.body().toString()).getString("text")
        .startsWith(":white_check_mark: shop: alert surge"));
  }

  @Test
  void retriesBackOffFromFiveSecondsForAnHour() {
    Backoff b = Backoff.DEFAULT;
    long first = 1_000_000;
    long now = first;
    List<Long> delays = new ArrayList<>();
    int attempts = 1;
    while (true) {
      long delay = b.nextDelay(attempts, first, now);
      if (delay < 0) {
        break;
      }
      delays.add(delay / 1000);
      now += delay;
      attempts++;
    }
    assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 600L, 600L, 600L, 600L), delays);
    assertEquals(3035_000, now - first, "the last attempt is within the hour");
    assertEquals(-1, b.nextDelay(2, first, first + 3_600_000), "none after an hour");
  }

  @Test
  void anErrorNeverQuotesTheWebhooksPath() {
    String said = WebhookSender.describe(new IllegalStateException("The timeout period of 10000ms"
        + " has been exceeded while executing POST /services/T000/B000/XXXXXXXX for server"
        + " hooks.slack.com:443"), SLACK);
    assertEquals("The timeout period of 10000ms has been exceeded while executing POST /… for"
        + " server hooks.slack.com:443", said);
    assertFalse(WebhookSender.describe(new IllegalStateException("failed: "
        + SLACK.webhook()), SLACK).contains("XXXXXXXX"));
  }
}
