package pulse.alerts;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import pulse.site.AlertRule;
import pulse.site.Site;

/**
 * A site's alert state as the store keeps it (state "alerts", JSON): the last minute evaluated
 * and, per rule, where it stands and its latest transition. A rule whose definition changed
 * since (another sites file) starts afresh; rules no longer in the file are dropped.
 */
final class AlertsState {
  static final String NAME = "alerts";

  /** One rule's entry: its state, the definition it was reached under, its last transition. */
  record Entry(String definition, RuleState state, JsonObject lastTransition) {}

  /** The last minute evaluated, -1 before the first. */
  final long minute;
  final Map<String, Entry> rules;

  AlertsState(long minute, Map<String, Entry> rules) {
    this.minute = minute;
    this.rules = rules;
  }

  /** The state of the site's rules read from the store's text (null: none yet). */
  static AlertsState read(String text, Site site) {
    JsonObject json = null;
    if (text != null) {
      try {
        json = new JsonObject(text);
      } catch (DecodeException | ClassCastException e) {
        json = null;
      }
    }
    long minute = json == null ? -1 : json.getLong("minute", -1L);
    JsonObject stored = json == null ? new JsonObject() : json.getJsonObject("rules",
        new JsonObject());
    Map<String, Entry> rules = new LinkedHashMap<>();
    for (AlertRule rule : site.alerts()) {
      JsonObject r = stored.getJsonObject(rule.id());
      if (r != null && rule.definition().equals(r.getString("definition"))) {
        rules.put(rule.id(), new Entry(rule.definition(), ruleState(r),
            r.getJsonObject("lastTransition")));
      } else {
        rules.put(rule.id(), new Entry(rule.definition(), RuleState.INITIAL, null));
      }
    }
    return new AlertsState(minute, rules);
  }

  String write() {
    JsonObject rulesJson = new JsonObject();
    rules.forEach((id, e) -> {
      RuleState s = e.state();
      JsonObject r = new JsonObject()
          .put("definition", e.definition())
          .put("status", s.status().name())
          .put("hold", s.hold())
          .put("clear", s.clear())
          .put("since", s.since())
          .put("last", s.last() == null ? null : figures(s.last()))
          .put("lastTransition", e.lastTransition());
      rulesJson.put(id, r);
    });
    return new JsonObject().put("minute", minute).put("rules", rulesJson).encode();
  }

  static JsonObject figures(Figures f) {
    return new JsonObject().put("minute", f.minute()).put("activeVisitors", f.activeVisitors())
        .put("present", f.present()).put("baseline", f.baseline())
        .put("threshold", f.threshold());
  }

  private static RuleState ruleState(JsonObject r) {
    RuleState.Status status;
    try {
      status = RuleState.Status.valueOf(r.getString("status", "OK"));
    } catch (IllegalArgumentException e) {
      status = RuleState.Status.OK;
    }
    JsonObject last = r.getJsonObject("last");
    Figures figures = last == null ? null : new Figures(last.getLong("minute", 0L),
        last.getLong("activeVisitors", 0L), last.getLong("present", 0L),
        last.getDouble("baseline"), last.getDouble("threshold"));
    return new RuleState(status, r.getInteger("hold", 0), r.getInteger("clear", 0),
        r.getLong("since", 0L), figures);
  }
}
