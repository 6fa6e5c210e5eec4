package pulse.alerts;

import pulse.realtime.Baseline;
import pulse.site.AlertRule;
import pulse.store.MinutePoint;

/**
 * What one minute says about a rule's condition. A band of {@link #HYSTERESIS} around the
 * threshold separates "holds" from "clear", so that figures wavering around the threshold neither
 * fire nor resolve the alert again and again.
 */
final class Condition {
  /** An alert over a threshold of 50 resolves below 45; one under 10, above 11. */
  static final double HYSTERESIS = 0.10;

  enum Verdict {
    /** the condition holds this minute */
    HOLDS,
    /** in the hysteresis band, or not decidable: neither holds nor clear */
    BETWEEN,
    /** clearly not holding (beyond the band) */
    CLEAR,
    /** the minute says nothing (silence at an hour without expected traffic): counts nothing */
    PAUSE
  }

  /**
   * One minute's judgement.
   *
   * @param threshold what the active visitors were compared with, or null (none could be)
   * @param expected the baseline's expected active visitors, or null
   */
  record Judgement(Verdict verdict, Double threshold, Double expected) {}

  private Condition() {}

  static Judgement judge(AlertRule rule, MinutePoint point, Baseline baseline) {
    Double expected = baseline == null ? null : baseline.expected();
    long active = point.activeVisitors();
    return switch (rule.kind()) {
      case ABOVE -> atLeast(active, rule.value(), expected);
      case BELOW -> atMost(active, rule.value(), expected);
      case SPIKE -> expected == null
          // nothing to compare with: not a spike, and not a reason to resolve one either
          ? new Judgement(Verdict.BETWEEN, null, null)
          : atLeast(active, rule.factor() * Math.max(expected, 1), expected);
      case DROP -> expected == null || expected <= 0
          // nothing was expected, so nothing dropped
          ? new Judgement(Verdict.CLEAR, null, expected)
          : atMost(active, expected / rule.factor(), expected);
      case SILENCE -> silence(point, expected);
    };
  }

  private static Judgement atLeast(long active, double threshold, Double expected) {
    Verdict v = active >= threshold ? Verdict.HOLDS
        : active < threshold * (1 - HYSTERESIS) ? Verdict.CLEAR : Verdict.BETWEEN;
    return new Judgement(v, threshold, expected);
  }

  private static Judgement atMost(long active, double threshold, Double expected) {
    Verdict v = active <= threshold ? Verdict.HOLDS
        : active > threshold * (1 + HYSTERESIS) ? Verdict.CLEAR : Verdict.BETWEEN;
    return new Judgement(v, threshold, expected);
  }

  /**
   * Silence: a minute without a pageview and without a custom event, while the baseline expects
   * at least one active visitor. A minute with traffic is clear; a quiet minute when none is
   * expected (the night of a small site, or no history yet) counts neither way, so a rule never
   * fires without history and a silence that runs into the night stays firing.
   */
  private static Judgement silence(MinutePoint point, Double expected) {
    if (point.pageviews() > 0 || point.events() > 0) {
      return new Judgement(Verdict.CLEAR, 0.0, expected);
    }
    if (expected == null || expected < 1) {
      return new Judgement(Verdict.PAUSE, 0.0, expected);
    }
    return new Judgement(Verdict.HOLDS, 0.0, expected);
  }
}
