package pulse.alerts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import pulse.realtime.Baseline;
import pulse.site.AlertRule;
import pulse.site.Site;
import pulse.site.Sites;
import pulse.store.EventStore;
import pulse.store.MinutePoint;

/**
 * Evaluates every site's alert rules once a minute, when its minute is recorded (a
 * {@code MinuteRecorder} listener, called on every instance). With several instances sharing a
 * store, the one that takes the minute's lease ({@code alerts:<minute>}) evaluates it and sends
 * the webhooks; the others only show its transitions on their own streams. The rules' state lives
 * in the store (state {@code alerts}), so a restart or another instance carries on from it.
 *
 * <p>A minute whose evaluation failed (the store went away) is evaluated by the next: each
 * evaluation starts after the last minute the state records, up to {@link #CATCH_UP_MINUTES}
 * back. Nothing is sent before the new state is stored, so a failed evaluation sends nothing and
 * its transitions go out once, late, with the next.
 *
 * <p>Each delivery's progress is stored too ({@code alerts:delivery:<rule>}): a delivery whose
 * sender went away (a restart between two retries) is resumed by the next evaluation, with the
 * same body and key, until an hour after its first attempt.
 */
public final class AlertEvaluator {
  private static final Logger LOG = Logger.getLogger(AlertEvaluator.class.getName());
  /** The most minutes one evaluation catches up; older ones are skipped. */
  static final int CATCH_UP_MINUTES = 60;
  /** Held long enough for one evaluation; expires by itself. */
  static final long LEASE_MILLIS = 5 * 60_000L;
  /** When an instance without the lease looks for the holder's transitions to stream them. */
  static final long FOLLOW_DELAY_MILLIS = 5_000;
  static final String DELIVERY_PREFIX = "alerts:delivery:";
  /**
   * A delivery not heard of for this long after it was due (its transition stored, or its next
   * retry) lost its sender: longer than an attempt can take.
   */
  static final long STALLED_MILLIS = WebhookSender.REQUEST_TIMEOUT_MILLIS
      + WebhookSender.CONNECT_TIMEOUT_MILLIS + 60_000;

  /** The expected traffic of a minute (HistoryService#baseline). */
  public interface Baselines {
    Future<Baseline> baseline(String siteId, long minute);
  }

  /** Where an alert's transition is shown live (StreamHub#broadcast as event "alert"). */
  public interface Streams {
    void alert(String siteId, Buffer json);
  }

  private final Vertx vertx;
  private final EventStore store;
  private final Sites sites;
  private final Baselines baselines;
  private final WebhookSender sender;
  private final Streams streams;
  private final Clock clock;
  private final String publicUrl;
  /** Sites being evaluated on this instance: a slow store never stacks evaluations up. */
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  /** Transitions this instance has streamed (by idempotency key), per site and rule. */
  private final Map<String, String> streamed = new ConcurrentHashMap<>();
  private final Set<String> seeded = ConcurrentHashMap.newKeySet();

  public AlertEvaluator(Vertx vertx, EventStore store, Sites sites, Baselines baselines,
      WebhookSender sender, Streams streams, Clock clock, String publicUrl) {
    this.vertx = vertx;
    this.store = store;
    this.sites = sites;
    this.baselines = baselines;
    this.sender = sender;
    this.streams = streams;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  /** The listener: the site's minute is recorded (on every instance). */
  public void minuteRecorded(String siteId, MinutePoint point) {
    Site site = sites.byCanonicalId(siteId);
    if (site == null || site.alerts().isEmpty() || !busy.add(siteId)) {
      return;
    }
    evaluate(site, point)
        .onFailure(err -> LOG.warning("alerts of site " + siteId + ", minute " + point.minute()
            + ": not evaluated (" + err.getMessage() + "); the next minute catches up"))
        .onComplete(ar -> busy.remove(siteId));
  }

  /** Completes when the minute is evaluated (or another instance holds it). */
  Future<Void> evaluate(Site site, MinutePoint point) {
    long minute = point.minute();
    return store.lease(site.id(), "alerts:" + minute, LEASE_MILLIS).compose(mine -> {
      if (!mine) {
        vertx.setTimer(FOLLOW_DELAY_MILLIS, t -> follow(site, minute));
        return Future.succeededFuture();
      }
      return store.readState(site.id(), AlertsState.NAME).compose(text -> {
        AlertsState state = AlertsState.read(text, site);
        seed(site, state, point.minute());
        return evaluateFrom(site, state, point);
      });
    });
  }

  private Future<Void> evaluateFrom(Site site, AlertsState state, MinutePoint point) {
    long minute = point.minute();
    if (state.minute >= minute) {
      return Future.succeededFuture();
    }
    long from = state.minute < 0 ? minute : Math.max(state.minute + 1, minute - CATCH_UP_MINUTES);
    Future<List<MinutePoint>> missed = from < minute
        ? store.history(site.id(), from, minute - 1) : Future.succeededFuture(List.of());
    return missed.compose(points -> {
      List<MinutePoint> all = new ArrayList<>(points);
      all.add(point);
      if (from < minute) {
        LOG.info("alerts of site " + site.id() + ": catching up " + (minute - from)
            + " minutes (" + points.size() + " recorded)");
      }
      return step(site, state, all, 0, new ArrayList<>());
    });
  }

  /** Steps every rule through the points in order; then stores the state, then tells. */
  private Future<Void> step(Site site, AlertsState state, List<MinutePoint> points, int index,
      List<AlertMessage> told) {
    if (index == points.size()) {
      long last = points.get(points.size() - 1).minute();
      AlertsState next = new AlertsState(last, state.rules);
      return store.writeState(site.id(), AlertsState.NAME, next.write())
          .onSuccess(v -> told.forEach(m -> tell(site, m)))
          .onSuccess(v -> resumeStalled(site, next, told));
    }
    MinutePoint point = points.get(index);
    return baselineFor(site, point.minute()).compose(baseline -> {
      for (AlertRule rule : site.alerts()) {
        AlertsState.Entry entry = state.rules.get(rule.id());
        RuleState.Step s = entry.state().step(rule, point, baseline);
        JsonObject transition = entry.lastTransition();
        if (s.transition() != RuleState.Transition.NONE) {
          AlertMessage message = AlertMessage.of(site.id(), rule,
              s.transition() == RuleState.Transition.FIRED, s.figures(), publicUrl);
          told.add(message);
          transition = message.json();
        }
        state.rules.put(rule.id(), new AlertsState.Entry(entry.definition(), s.state(),
            transition));
      }
      return step(site, state, points, index + 1, told);
    });
  }

  private Future<Baseline> baselineFor(Site site, long minute) {
    boolean needed = site.alerts().stream().anyMatch(r -> r.kind() != AlertRule.Kind.ABOVE
        && r.kind() != AlertRule.Kind.BELOW);
    return needed ? baselines.baseline(site.id(), minute) : Future.succeededFuture(Baseline.NONE);
  }

  /** A transition this instance decided: on its streams at once, and to the webhook. */
  private void tell(Site site, AlertMessage message) {
    LOG.info("alert " + message.id() + " " + message.state() + ": " + message.figures());
    stream(site.id(), message.rule().id(), message.json());
    if (message.rule().webhook() == null) {
      return;
    }
    sender.send(message.rule(), message, progress(site, message));
  }

  /**
   * Stores each attempt's outcome, for the alerts API and for a resumption; a retry goes ahead
   * only while the transition is still its rule's latest in the stored state.
   */
  private WebhookSender.Progress progress(Site site, AlertMessage message) {
    String name = DELIVERY_PREFIX + message.rule().id();
    return new WebhookSender.Progress() {
      @Override
      public void attempted(Delivery delivery) {
        store.writeState(site.id(), name, JsonObject.mapFrom(delivery).encode())
            .onFailure(err -> LOG.fine(() -> "delivery state of " + message.id()
                + " not stored: " + err.getMessage()));
      }

      @Override
      public Future<Boolean> stillWanted() {
        return store.readState(site.id(), AlertsState.NAME).map(text -> {
          JsonObject latest = AlertsState.read(text, site).rules.get(message.rule().id())
              .lastTransition();
          return latest == null || message.id().equals(latest.getString("id"));
        });
      }
    };
  }

  /** Resumes the deliveries of earlier transitions whose sender went away. */
  private void resumeStalled(Site site, AlertsState state, List<AlertMessage> told) {
    long now = clock.millis();
    for (AlertRule rule : site.alerts()) {
      JsonObject t = state.rules.get(rule.id()).lastTransition();
      if (rule.webhook() == null || t == null
          || told.stream().anyMatch(m -> m.id().equals(t.getString("id")))) {
        continue;
      }
      String name = DELIVERY_PREFIX + rule.id();
      store.readState(site.id(), name).onSuccess(text -> {
        Delivery before = delivery(text);
        boolean ours = before != null && t.getString("id", "").equals(before.id());
        long dueAt = !ours ? (minuteOf(t) + 1) * 60_000L
            : Delivery.RETRYING.equals(before.result()) ? before.nextAt() : Long.MAX_VALUE;
        if (dueAt == Long.MAX_VALUE || now - dueAt < STALLED_MILLIS) {
          return;
        }
        AlertMessage message = AlertMessage.fromJson(t, rule);
        LOG.info("alert " + message.id() + ": resuming its delivery to "
            + rule.webhook().getHost());
        sender.resume(rule, message, ours ? before : null, progress(site, message));
      });
    }
  }

  private static Delivery delivery(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new JsonObject(text).mapTo(Delivery.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * An instance without the lease: streams the transitions the holder stored, so a dashboard
   * connected to any instance shows the banner.
   */
  private void follow(Site site, long minute) {
    store.readState(site.id(), AlertsState.NAME).onSuccess(text -> {
      AlertsState state = AlertsState.read(text, site);
      seed(site, state, minute);
      state.rules.forEach((id, entry) -> {
        if (entry.lastTransition() != null) {
          stream(site.id(), id, entry.lastTransition());
        }
      });
    });
  }

  /**
   * The first time this instance reads a site's state, transitions older than the last two
   * minutes are taken as streamed already: an instance that starts does not replay old alerts.
   */
  private void seed(Site site, AlertsState state, long minute) {
    if (seeded.add(site.id())) {
      state.rules.forEach((id, entry) -> {
        JsonObject t = entry.lastTransition();
        if (t != null && minuteOf(t) < minute - 2) {
          streamed.putIfAbsent(site.id() + "/" + id, t.getString("id"));
        }
      });
    }
  }

  private static long minuteOf(JsonObject transition) {
    String id = transition.getString("id", "");
    try {
      return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void stream(String siteId, String ruleId, JsonObject transition) {
    String id = transition.getString("id");
    if (id.equals(streamed.put(siteId + "/" + ruleId, id))) {
      return;
    }
    streams.alert(siteId, transition.toBuffer());
  }
}
