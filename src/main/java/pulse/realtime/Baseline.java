package pulse.realtime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What is usual for this minute: the site's active visitors at the same minute one week earlier,
 * and the median of the same minute one to four weeks earlier when all four are recorded. Null
 * figures were not recorded (Pulse was not running, or the history is younger).
 *
 * @param weekAgo active visitors at the same minute one week earlier
 * @param weekAgoPresent present visitors then
 * @param medianOfFourWeeks the median of the same minute 1, 2, 3 and 4 weeks earlier (the mean
 *     of the middle two)
 * @param ratio active visitors now / {@link #expected()}; null without an expectation or when it
 *     is 0
 */
@JsonPropertyOrder({"weekAgo", "weekAgoPresent", "medianOfFourWeeks", "ratio"})
public record Baseline(Long weekAgo, Long weekAgoPresent, Double medianOfFourWeeks, Double ratio) {
  public static final Baseline NONE = new Baseline(null, null, null, null);

  /** What the minute is compared with: the four weeks' median, else the week before. */
  @JsonIgnore
  public Double expected() {
    if (medianOfFourWeeks != null) {
      return medianOfFourWeeks;
    }
    return weekAgo == null ? null : weekAgo.doubleValue();
  }

  /** The same baseline with the ratio of {@code activeVisitors} to it, to two decimals. */
  public Baseline against(long activeVisitors) {
    Double expected = expected();
    Double r = expected == null || expected == 0 ? null
        : Math.round(activeVisitors / expected * 100) / 100.0;
    return new Baseline(weekAgo, weekAgoPresent, medianOfFourWeeks, r);
  }
}
