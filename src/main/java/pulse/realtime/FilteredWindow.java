package pulse.realtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulse.store.ActiveVisitor;
import pulse.store.StoredPageview;
import pulse.store.WindowData;
import pulse.store.WindowEvent;
import pulse.store.WindowPageview;
import pulse.store.WindowQuery;

/**
 * The window's figures of the visitors a filter matches, in the shape the store reads the whole
 * window in, so that {@link SnapshotBuilder} builds a filtered snapshot with the same arithmetic:
 * the matching visitors, their pageviews (counted from the window's raw pageviews), per path
 * and per minute, and their pageviews among the newest. Today's figures stay the site's.
 */
final class FilteredWindow {
  private FilteredWindow() {}

  /**
   * @param all the whole window, its recent list read up to {@link WindowQuery#RECENT_KEPT}
   * @param pageviews every pageview of the window with its visitor
   */
  static WindowData of(WindowQuery q, WindowData all, List<WindowPageview> pageviews,
      SnapshotFilter filter) {
    Map<String, Set<String>> eventsByVisitor = new HashMap<>();
    if (filter.needsEvents()) {
      for (WindowEvent e : all.events()) {
        eventsByVisitor.computeIfAbsent(e.visitorId(), v -> new HashSet<>()).add(e.name());
      }
    }
    List<ActiveVisitor> matching = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ActiveVisitor v : all.visitors()) {
      if (filter.matches(v, eventsByVisitor)) {
        matching.add(v);
        ids.add(v.visitorId());
      }
    }
    int minutes = q.minuteCount();
    long firstMinute = q.firstMinute();
    long[] minutePageviews = new long[minutes];
    List<Set<String>> minuteVisitors = new ArrayList<>(minutes);
    for (int k = 0; k < minutes; k++) {
      minuteVisitors.add(new HashSet<>());
    }
    Map<String, Long> byPath = new LinkedHashMap<>();
    long count = 0;
    for (WindowPageview p : pageviews) {
      if (!ids.contains(p.visitorId())) {
        continue;
      }
      count++;
      byPath.merge(p.path(), 1L, Long::sum);
      int k = (int) (p.time() / 60_000L - firstMinute);
      if (k >= 0 && k < minutes) {
        minutePageviews[k]++;
        minuteVisitors.get(k).add(p.visitorId());
      }
    }
    // the store counts a minute's visitors by any event; heartbeats are not read one by one, so
    // a matching visitor counts in the minutes of their pageviews and the minute last seen
    for (ActiveVisitor v : matching) {
      int k = (int) (v.lastSeen() / 60_000L - firstMinute);
      if (k >= 0 && k < minutes) {
        minuteVisitors.get(k).add(v.visitorId());
      }
    }
    long[] minuteVisitorCounts = new long[minutes];
    for (int k = 0; k < minutes; k++) {
      minuteVisitorCounts[k] = minuteVisitors.get(k).size();
    }
    List<StoredPageview> recent = new ArrayList<>();
    for (StoredPageview p : all.recent()) {
      if (recent.size() >= WindowQuery.RECENT_LIMIT) {
        break;
      }
      if (ids.contains(p.visitorId())) {
        recent.add(p);
      }
    }
    List<WindowEvent> events = new ArrayList<>();
    for (WindowEvent e : all.events()) {
      if (ids.contains(e.visitorId())) {
        events.add(e);
      }
    }
    // bots are no visitors: a filtered snapshot shows the site's
    return new WindowData(matching, count, byPath, minutePageviews,
        minuteVisitorCounts, recent, all.todayVisitors(), all.todayPageviews(), events,
        all.bots());
  }
}
