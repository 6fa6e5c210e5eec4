package pulse.store;

import java.util.List;
import java.util.Map;

/**
 * The raw figures of one window, as a store reads them; {@code realtime.SnapshotBuilder} turns them
 * into the canonical snapshot, so both stores feed the same arithmetic.
 *
 * @param minutePageviews pageviews per minute bucket, oldest first
 * @param minuteVisitors distinct visitors with any event per minute bucket, oldest first
 * @param recent newest pageviews first, at most {@link WindowQuery#recentLimit}
 * @param events the window's custom events, oldest first
 * @param bots requests dropped as bots in the window, by class (absent classes: none)
 */
public record WindowData(
    List<ActiveVisitor> visitors,
    long pageviews,
    Map<String, Long> pageviewsByPath,
    long[] minutePageviews,
    long[] minuteVisitors,
    List<StoredPageview> recent,
    long todayVisitors,
    long todayPageviews,
    List<WindowEvent> events,
    Map<String, Long> bots) {

  /** A window without custom events and bots. */
  public WindowData(List<ActiveVisitor> visitors, long pageviews, Map<String, Long> pageviewsByPath,
      long[] minutePageviews, long[] minuteVisitors, List<StoredPageview> recent,
      long todayVisitors, long todayPageviews) {
    this(visitors, pageviews, pageviewsByPath, minutePageviews, minuteVisitors, recent,
        todayVisitors, todayPageviews, List.of(), Map.of());
  }
}
