package pulse.alerts;

import pulse.store.MinutePoint;

/**
 * What a rule saw in one minute: the figures a webhook, the stream and the alerts API show.
 *
 * @param minute the epoch minute
 * @param activeVisitors active visitors (5-minute window) of the minute
 * @param present visitors with their page open
 * @param baseline the expected active visitors, or null without history
 * @param threshold what the active visitors were compared with, or null (no baseline)
 */
public record Figures(long minute, long activeVisitors, long present, Double baseline,
    Double threshold) {
  static Figures of(MinutePoint point, Condition.Judgement judgement) {
    return new Figures(point.minute(), point.activeVisitors(), point.present(),
        round(judgement.expected()), round(judgement.threshold()));
  }

  private static Double round(Double d) {
    return d == null ? null : Math.round(d * 100) / 100.0;
  }

  /** The end of the minute, when it was judged (ms). */
  public long endMillis() {
    return (minute + 1) * 60_000L;
  }
}
