package pulse.store;

import java.util.List;
import java.util.Map;

/**
 * The active visitors of one window counted by what their state says: how many there are, how
 * many had a pageview in the window, and visitors per value of each breakdown (values "" and
 * null are left out), with each page's median engaged time. {@code realtime.SnapshotBuilder}
 * ranks them; {@link BreakdownCounter} counts them, from a list or kept up to date per change.
 *
 * @param pageviewVisitors visitors whose latest pageview is in the window
 * @param engagedSeconds per path, the lower median of its visitors' engaged times in whole
 *     seconds (paths without a visitor who said one are absent)
 */
public record Breakdowns(
    long visitors,
    long pageviewVisitors,
    Map<String, Long> byPath,
    Map<String, Long> byReferrer,
    Map<String, Long> byCountry,
    Map<String, Long> byBrowser,
    Map<String, Long> byOs,
    Map<String, Long> byDevice,
    Map<String, Long> byEntry,
    Map<String, Long> bySource,
    Map<String, Long> byMedium,
    Map<String, Long> byCampaign,
    Map<String, Long> engagedSeconds) {

  /** The visitors of a window counted in one pass; {@code from} is the window's start. */
  public static Breakdowns of(List<ActiveVisitor> active, long from) {
    return BreakdownCounter.of(active, from);
  }
}
