package pulse.site;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import pulse.config.ConfigException;
import pulse.config.Suggestions;

/** Reads and checks the {@code "alerts"} array of a site's entry in the sites file. */
final class AlertRules {
  static final List<String> KEYS =
      List.of("id", "kind", "factor", "value", "minutes", "webhook", "secret");
  static final List<String> KINDS =
      Arrays.stream(AlertRule.Kind.values()).map(AlertRule.Kind::label).toList();
  /** Without "minutes" a condition must hold 5 minutes: one noisy minute alerts nobody. */
  static final int DEFAULT_MINUTES = 5;
  static final int MAX_MINUTES = 1440;
  static final double MAX_FACTOR = 1000;
  static final long MAX_VALUE = 1_000_000_000L;
  static final int MAX_RULES = 20;
  /** A signing secret shorter than this is guessable. */
  static final int MIN_SECRET = 16;
  static final int MAX_URL = 2048;

  private AlertRules() {}

  /** @param where "sites[0] ('shop')" as other messages of the file name the entry */
  static List<AlertRule> parse(JsonNode node, String where, String source) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ConfigException(source + ": " + where + ".alerts must be an array of rules");
    }
    if (node.size() > MAX_RULES) {
      throw new ConfigException(source + ": " + where + ".alerts holds " + node.size()
          + " rules; at most " + MAX_RULES + " per site");
    }
    List<AlertRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode rule : node) {
      String at = source + ": " + where + ".alerts[" + i++ + "]";
      AlertRule parsed = rule(rule, at);
      if (!ids.add(parsed.id())) {
        throw new ConfigException(at + ".id: '" + parsed.id()
            + "' names two rules of the site; a rule's id must be unique within its site");
      }
      rules.add(parsed);
    }
    return List.copyOf(rules);
  }

  private static AlertRule rule(JsonNode rule, String at) {
    if (!rule.isObject()) {
      throw new ConfigException(at + " must be an object such as {\"id\": \"busy\", \"kind\": "
          + "\"above\", \"value\": 50, \"webhook\": \"https://...\", \"secret\": \"...\"}");
    }
    for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!KEYS.contains(name)) {
        throw new ConfigException(at + "." + name + ": unknown field"
            + Suggestions.didYouMean(name, KEYS));
      }
    }
    String id = rule.path("id").isTextual() ? rule.path("id").asText() : null;
    if (!Site.validId(id)) {
      throw new ConfigException(at + ".id must match [A-Za-z0-9_-]{1,64}, got " + rule.path("id"));
    }
    at = at + " ('" + id + "')";
    String kindText = rule.path("kind").isTextual() ? rule.path("kind").asText() : null;
    if (kindText == null || !KINDS.contains(kindText)) {
      throw new ConfigException(at + ".kind must be one of " + String.join(", ", KINDS)
          + ", got " + (rule.has("kind") ? rule.path("kind").toString() : "nothing")
          + (kindText == null ? "" : Suggestions.didYouMean(kindText, KINDS)));
    }
    AlertRule.Kind kind = AlertRule.Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
    boolean byFactor = kind == AlertRule.Kind.SPIKE || kind == AlertRule.Kind.DROP;
    boolean byValue = kind == AlertRule.Kind.ABOVE || kind == AlertRule.Kind.BELOW;
    double factor = 0;
    long value = 0;
    if (byFactor) {
      JsonNode f = rule.path("factor");
      if (!f.isNumber() || !(f.asDouble() > 1) || f.asDouble() > MAX_FACTOR) {
        throw new ConfigException(at + ".factor: " + article(kindText)
            + " rule needs a factor above 1"
            + " and at most " + (int) MAX_FACTOR + " (" + (kind == AlertRule.Kind.SPIKE
            ? "3: three times the usual visitors" : "3: a third of the usual visitors")
            + "), got " + (rule.has("factor") ? f.toString() : "nothing"));
      }
      factor = f.asDouble();
    } else if (rule.has("factor")) {
      throw new ConfigException(at + ".factor is for spike and drop rules; "
          + article(kindText) + " rule " + (byValue ? "takes a value" : "takes neither"));
    }
    if (byValue) {
      JsonNode v = rule.path("value");
      long min = kind == AlertRule.Kind.ABOVE ? 1 : 0;
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min
          || v.asLong() > MAX_VALUE) {
        throw new ConfigException(at + ".value: " + article(kindText)
            + " rule needs a whole number "
            + "of active visitors from " + min + " to " + MAX_VALUE + ", got "
            + (rule.has("value") ? v.toString() : "nothing"));
      }
      value = v.asLong();
    } else if (rule.has("value")) {
      throw new ConfigException(at + ".value is for above and below rules; "
          + article(kindText) + " rule " + (byFactor ? "takes a factor" : "takes neither"));
    }
    int minutes = DEFAULT_MINUTES;
    if (rule.has("minutes")) {
      JsonNode m = rule.path("minutes");
      if (!m.isIntegralNumber() || m.asLong() < 1 || m.asLong() > MAX_MINUTES) {
        throw new ConfigException(at + ".minutes must be a whole number from 1 to " + MAX_MINUTES
            + " (how long the condition must hold), got " + m);
      }
      minutes = m.asInt();
    }
    URI webhook = webhook(rule.path("webhook"), at);
    String secret = null;
    if (rule.has("secret")) {
      JsonNode s = rule.path("secret");
      if (!s.isTextual() || s.asText().length() < MIN_SECRET || s.asText().length() > 512) {
        throw new ConfigException(at + ".secret must be a string of " + MIN_SECRET
            + " to 512 characters (the webhook's HMAC-SHA256 key)");
      }
      if (webhook == null) {
        throw new ConfigException(at + ".secret signs the webhook's requests, but the rule has "
            + "no webhook");
      }
      secret = s.asText();
    }
    AlertRule parsed = new AlertRule(id, kind, factor, value, minutes, webhook, secret);
    if (webhook != null && secret == null && !parsed.slack()) {
      throw new ConfigException(at + ".secret is needed with a webhook (a Slack incoming webhook"
          + " excepted): the receiver checks X-Pulse-Signature with it");
    }
    return parsed;
  }

  /** "a spike", "an above". */
  private static String article(String kind) {
    return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
  }

  private static URI webhook(JsonNode node, String at) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String text = node.isTextual() ? node.asText() : "";
    String problem = null;
    URI uri = null;
    if (text.isEmpty() || text.length() > MAX_URL) {
      problem = "an http:// or https:// URL of at most " + MAX_URL + " characters";
    } else {
      try {
        uri = new URI(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
            || uri.getFragment() != null) {
          problem = "an absolute http:// or https:// URL with a host and no #fragment";
        }
      } catch (URISyntaxException e) {
        problem = "a valid URL (" + e.getReason() + ")";
      }
    }
    if (problem != null) {
      throw new ConfigException(at + ".webhook must be " + problem + ", got " + node);
    }
    return uri;
  }
}
