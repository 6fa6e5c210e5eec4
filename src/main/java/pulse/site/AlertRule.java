package pulse.site;

import java.net.URI;
import java.util.Locale;

/**
 * One alert rule of a site, as the sites file holds it (the site entry's {@code "alerts"}).
 *
 * @param id unique among the site's rules; names the alert in webhooks and the alerts API
 * @param kind what the rule watches
 * @param factor for {@code spike} and {@code drop}: how many times the baseline (above 1); else 0
 * @param value for {@code above} and {@code below}: the number of active visitors; else 0
 * @param minutes how many consecutive minutes the condition must hold before the alert fires,
 *     and be clear before it resolves
 * @param webhook where the alert is posted, or null (then only the dashboard and the API show it)
 * @param secret the HMAC key of the {@code X-Pulse-Signature} header, or null (Slack only)
 */
public record AlertRule(String id, Kind kind, double factor, long value, int minutes,
    URI webhook, String secret) {
  /** What a rule watches. */
  public enum Kind {
    /** active visitors at least factor x the expected baseline */
    SPIKE,
    /** active visitors at most the expected baseline / factor */
    DROP,
    /** active visitors at least value */
    ABOVE,
    /** active visitors at most value */
    BELOW,
    /** no pageview and no event while the baseline expects traffic */
    SILENCE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Slack's incoming webhooks take {"text": ...} and no signature. */
  public boolean slack() {
    return webhook != null && "hooks.slack.com".equalsIgnoreCase(webhook.getHost());
  }

  /**
   * The rule's definition, without where it is sent: a state kept for a rule whose definition
   * changed (a restart with another sites file) is started afresh.
   */
  public String definition() {
    return kind.label() + "/" + factor + "/" + value + "/" + minutes;
  }

  @Override
  public String toString() {
    // never the secret, nor the webhook's path (Slack's holds its key)
    return "AlertRule[" + id + " " + definition() + " -> "
        + (webhook == null ? "none" : webhook.getHost()) + "]";
  }
}
