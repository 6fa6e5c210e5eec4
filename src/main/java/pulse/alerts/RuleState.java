package pulse.alerts;

import pulse.realtime.Baseline;
import pulse.site.AlertRule;
import pulse.store.MinutePoint;

/**
 * Where one rule stands, and how a minute moves it: a pure state machine (no clock, no I/O), so
 * that a week of minutes replays in milliseconds. An alert fires once its condition has held
 * {@code minutes} consecutive minutes and resolves once it has been clear (beyond the hysteresis
 * band) as many consecutive minutes; a minute in between restarts the count it interrupts.
 *
 * @param status ok, pending (holding, not yet long enough) or firing
 * @param hold consecutive minutes the condition has held, while not firing
 * @param clear consecutive minutes it has been clear, while firing
 * @param since when the status began (ms), or 0 for a rule that has never left ok
 * @param last what the rule saw in its latest minute, or null before the first
 */
public record RuleState(Status status, int hold, int clear, long since, Figures last) {
  public enum Status { OK, PENDING, FIRING }

  /** A transition a minute caused: the alert fired or resolved, or nothing to tell. */
  public enum Transition { NONE, FIRED, RESOLVED }

  public static final RuleState INITIAL = new RuleState(Status.OK, 0, 0, 0, null);

  /** The state after one minute, and what to tell. */
  public record Step(RuleState state, Transition transition, Figures figures) {}

  public Step step(AlertRule rule, MinutePoint point, Baseline baseline) {
    Condition.Judgement judged = Condition.judge(rule, point, baseline);
    Figures figures = Figures.of(point, judged);
    long at = figures.endMillis();
    Condition.Verdict v = judged.verdict();
    if (v == Condition.Verdict.PAUSE) {
      return new Step(new RuleState(status, hold, clear, since, figures), Transition.NONE,
          figures);
    }
    if (status == Status.FIRING) {
      int clearNow = v == Condition.Verdict.CLEAR ? clear + 1 : 0;
      if (clearNow >= rule.minutes()) {
        return new Step(new RuleState(Status.OK, 0, 0, at, figures), Transition.RESOLVED,
            figures);
      }
      return new Step(new RuleState(Status.FIRING, 0, clearNow, since, figures), Transition.NONE,
          figures);
    }
    if (v != Condition.Verdict.HOLDS) {
      boolean wasPending = status == Status.PENDING;
      return new Step(new RuleState(Status.OK, 0, 0, wasPending ? at : since, figures),
          Transition.NONE, figures);
    }
    int holdNow = hold + 1;
    if (holdNow >= rule.minutes()) {
      return new Step(new RuleState(Status.FIRING, 0, 0, at, figures), Transition.FIRED, figures);
    }
    long pendingSince = status == Status.PENDING ? since : point.minute() * 60_000L;
    return new Step(new RuleState(Status.PENDING, holdNow, 0, pendingSince, figures),
        Transition.NONE, figures);
  }
}
