package pulse.alerts;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pulse.realtime.Times;
import pulse.site.AlertRule;
import pulse.site.Site;
import pulse.store.EventStore;

/**
 * A site's rules with where each stands, for GET /api/sites/{site}/alerts. Shows a webhook's host
 * only: its path may hold a key (Slack's do), and the secret never leaves the sites file.
 */
public final class AlertsView {
  private final EventStore store;

  public AlertsView(EventStore store) {
    this.store = store;
  }

  public Future<JsonObject> list(Site site) {
    Future<String> stateText = store.readState(site.id(), AlertsState.NAME);
    List<Future<String>> deliveries = new ArrayList<>();
    for (AlertRule rule : site.alerts()) {
      deliveries.add(rule.webhook() == null ? Future.succeededFuture(null)
          : store.readState(site.id(), AlertEvaluator.DELIVERY_PREFIX + rule.id()));
    }
    return Future.all(stateText, Future.all(deliveries)).map(done -> {
      AlertsState state = AlertsState.read(stateText.result(), site);
      JsonArray alerts = new JsonArray();
      for (int i = 0; i < site.alerts().size(); i++) {
        AlertRule rule = site.alerts().get(i);
        alerts.add(rule(rule, state.rules.get(rule.id()), deliveries.get(i).result()));
      }
      return new JsonObject().put("site", site.id())
          .put("evaluatedMinute", state.minute < 0 ? null
              : Times.isoSeconds(state.minute * 60_000L))
          .put("alerts", alerts);
    });
  }

  private static JsonObject rule(AlertRule rule, AlertsState.Entry entry, String delivery) {
    JsonObject json = new JsonObject().put("id", rule.id()).put("kind", rule.kind().label());
    switch (rule.kind()) {
      case SPIKE, DROP -> json.put("factor", rule.factor());
      case ABOVE, BELOW -> json.put("value", rule.value());
      default -> { }
    }
    json.put("minutes", rule.minutes())
        .put("webhook", rule.webhook() == null ? null : rule.webhook().getHost());
    RuleState s = entry.state();
    json.put("state", s.status().name().toLowerCase(Locale.ROOT))
        .put("since", s.since() == 0 ? null : Times.isoSeconds(s.since()));
    if (s.last() != null) {
      JsonObject last = AlertsState.figures(s.last());
      last.put("minute", Times.isoSeconds(s.last().minute() * 60_000L));
      json.put("last", last);
    } else {
      json.putNull("last");
    }
    json.put("lastTransition", entry.lastTransition());
    json.put("delivery", delivery(delivery));
    return json;
  }

  private static JsonObject delivery(String text) {
    if (text == null) {
      return null;
    }
    try {
      JsonObject d = new JsonObject(text);
      for (String time : List.of("at", "firstAt", "nextAt")) {
        Long ms = d.getLong(time);
        d.put(time, ms == null || ms == 0 ? null : Times.isoSeconds(ms));
      }
      return d;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
