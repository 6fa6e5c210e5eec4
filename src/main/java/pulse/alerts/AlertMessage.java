package pulse.alerts;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import pulse.realtime.Times;
import pulse.site.AlertRule;

/**
 * What an alert's transition says, as the webhook's JSON body, Slack's {@code {"text": ...}} and
 * the stream's {@code event: alert}; and the signature of a body.
 *
 * @param id the idempotency key: the same for every attempt of the same transition, whichever
 *     instance sends it, so a receiver can drop duplicates
 * @param firing true when the alert fired, false when it resolved
 * @param link the site's dashboard: the configured public address, else a path
 */
public record AlertMessage(String id, String site, AlertRule rule, boolean firing,
    Figures figures, String link) {

  public static AlertMessage of(String site, AlertRule rule, boolean firing, Figures figures,
      String publicUrl) {
    String state = firing ? "firing" : "resolved";
    String id = site + ":" + rule.id() + ":" + state + ":" + figures.minute();
    String base = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    return new AlertMessage(id, site, rule, firing, figures, base + "/live/" + site);
  }

  /** The message of a transition as {@link #json()} wrote it (to resume its delivery). */
  static AlertMessage fromJson(JsonObject t, AlertRule rule) {
    String id = t.getString("id", "");
    long minute = Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
    Figures figures = new Figures(minute, t.getLong("activeVisitors", 0L),
        t.getLong("present", 0L), t.getDouble("baseline"), t.getDouble("threshold"));
    return new AlertMessage(id, t.getString("site"), rule, "firing".equals(t.getString("state")),
        figures, t.getString("link"));
  }

  public String state() {
    return firing ? "firing" : "resolved";
  }

  /** The webhook's body and the stream's message. */
  public JsonObject json() {
    return new JsonObject()
        .put("id", id)
        .put("site", site)
        .put("alert", rule.id())
        .put("kind", rule.kind().label())
        .put("state", state())
        .put("at", Times.isoSeconds(figures.endMillis()))
        .put("activeVisitors", figures.activeVisitors())
        .put("present", figures.present())
        .put("baseline", figures.baseline())
        .put("threshold", figures.threshold())
        .put("minutes", rule.minutes())
        .put("link", link);
  }

  /** The body as sent: Slack's shape to a Slack incoming webhook, Pulse's JSON elsewhere. */
  public Buffer body() {
    String text = rule.slack() ? new JsonObject().put("text", slackText()).encode()
        : json().encode();
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }

  /** One line a person reads in a channel. */
  String slackText() {
    StringBuilder sb = new StringBuilder();
    sb.append(firing ? ":rotating_light: " : ":white_check_mark: ")
        .append(site).append(": alert ").append(rule.id()).append(" (").append(condition())
        .append(") ").append(firing ? "firing" : "resolved").append(": ")
        .append(figures.activeVisitors()).append(" active visitors");
    if (figures.baseline() != null) {
      sb.append(", usually ").append(number(figures.baseline()));
    }
    sb.append(" at ").append(Times.isoSeconds(figures.endMillis()));
    // Slack's link syntax; a relative path would not be a link, so it is shown as text
    sb.append(link.startsWith("http") ? " <" + link + "|live dashboard>" : " (" + link + ")");
    return sb.toString();
  }

  private String condition() {
    return switch (rule.kind()) {
      case ABOVE -> "at least " + rule.value() + " active visitors";
      case BELOW -> "at most " + rule.value() + " active visitors";
      case SPIKE -> number(rule.factor()) + "x the usual visitors";
      case DROP -> "a " + number(rule.factor()) + "th of the usual visitors";
      case SILENCE -> "no pageviews or events while traffic is expected";
    } + ", " + rule.minutes() + (rule.minutes() == 1 ? " minute" : " minutes");
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
  }

  /** {@code sha256=<hex>}: the HMAC-SHA256 of the exact body bytes with the rule's secret. */
  public static String signature(String secret, Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
