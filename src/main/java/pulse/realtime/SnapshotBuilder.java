package pulse.realtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import pulse.store.ActiveVisitor;
import pulse.store.Breakdowns;
import pulse.store.CountedVisitors;
import pulse.store.Event;
import pulse.store.StoredPageview;
import pulse.store.WindowData;
import pulse.store.WindowQuery;

/** Turns a store's raw window figures into the canonical {@link Snapshot}. */
public final class SnapshotBuilder {
  public static final int TOP = 20;
  /** How recently a visitor's page must have shown itself (pageview or heartbeat) to be present. */
  public static final long PRESENT_MILLIS = 45_000;

  private SnapshotBuilder() {}

  public static Snapshot build(String siteId, WindowQuery q, WindowData d) {
    return build(siteId, q, d, true);
  }

  /**
   * @param withSessions whether the snapshot lists every active visitor's session (for the
   *     mappings that list sessions); without, {@link Snapshot#sessions()} is empty and the
   *     snapshot holds nothing per visitor
   */
  public static Snapshot build(String siteId, WindowQuery q, WindowData d, boolean withSessions) {
    List<ActiveVisitor> active = d.visitors();
    // the visitor cache keeps a window's counts per changed visitor; other lists are counted here
    // in one pass (there may be tens of thousands of visitors)
    Breakdowns b = active instanceof CountedVisitors counted ? counted.breakdowns()
        : Breakdowns.of(active, q.from());
    long presentSince = q.now() - PRESENT_MILLIS;
    long present = 0;
    // a count per path that adds without a new Long per visitor (all 10,000 may be present)
    Map<String, long[]> presentByPath = new HashMap<>();
    // presence is a matter of time, so it is counted per snapshot, over the visitors seen since
    // presentSince only when the list is in last-seen order (a page shows itself by an event)
    for (ActiveVisitor v : active instanceof CountedVisitors counted
        ? counted.seenSince(presentSince) : active) {
      if (v.presentSince(presentSince)) {
        present++;
        if (v.path() != null && !v.path().isEmpty()) {
          presentByPath.computeIfAbsent(v.path(), p -> new long[1])[0]++;
        }
      }
    }
    // made as a mapping reads them: most ticks no mapping that lists sessions is asked
    List<Snapshot.Session> sessions = withSessions ? new SessionList(active) : List.of();

    Set<String> paths = new HashSet<>(b.byPath().keySet());
    paths.addAll(d.pageviewsByPath().keySet());
    List<Snapshot.PageStat> pages = new ArrayList<>(paths.size());
    for (String path : paths) {
      pages.add(new Snapshot.PageStat(path, b.byPath().getOrDefault(path, 0L),
          d.pageviewsByPath().getOrDefault(path, 0L), present(presentByPath, path),
          b.engagedSeconds().getOrDefault(path, 0L)));
    }
    pages.sort(Comparator.comparingLong(Snapshot.PageStat::visitors).reversed()
        .thenComparing(Comparator.comparingLong(Snapshot.PageStat::pageviews).reversed())
        .thenComparing(Snapshot.PageStat::path));

    List<Snapshot.MinuteStat> perMinute = new ArrayList<>(q.minuteCount());
    for (int k = 0; k < q.minuteCount(); k++) {
      perMinute.add(new Snapshot.MinuteStat(q.firstMinute() + k, d.minuteVisitors()[k],
          d.minutePageviews()[k]));
    }

    List<Snapshot.RecentPageview> recent = new ArrayList<>(d.recent().size());
    List<Snapshot.PageviewDetail> details = new ArrayList<>(d.recent().size());
    for (StoredPageview p : d.recent()) {
      recent.add(new Snapshot.RecentPageview(p.path(), p.title(), p.referrer(),
          emptyToNull(p.country()), p.browser(), p.os(), p.device(), p.time()));
      details.add(new Snapshot.PageviewDetail(p.id(), p.visitorId(), p.time(), p.path(),
          p.query(), p.title(), p.referrer(), p.country(), p.browser(), p.os(), p.device()));
    }

    return new Snapshot(
        siteId,
        q.windowSeconds(),
        q.now(),
        active.size(),
        present,
        b.pageviewVisitors(),
        d.pageviews(),
        List.copyOf(pages.subList(0, Math.min(TOP, pages.size()))),
        top(b.byEntry(), Snapshot.EntryPageStat::new),
        top(b.byReferrer(), Snapshot.ReferrerStat::new),
        top(b.byCountry(), Snapshot.CountryStat::new),
        top(b.byBrowser(), Snapshot.NameStat::new),
        top(b.byOs(), Snapshot.NameStat::new),
        top(b.byDevice(), Snapshot.NameStat::new),
        new Snapshot.Campaigns(top(b.bySource(), Snapshot.NameStat::new),
            top(b.byMedium(), Snapshot.NameStat::new), top(b.byCampaign(), Snapshot.NameStat::new)),
        EventTally.of(d.events()),
        bots(d.bots()),
        perMinute,
        recent,
        new Snapshot.Today(d.todayVisitors(), d.todayPageviews()),
        sessions,
        Collections.unmodifiableList(details));
  }

  private static long present(Map<String, long[]> byPath, String path) {
    long[] n = byPath.get(path);
    return n == null ? 0 : n[0];
  }

  /** Every class of bot in a fixed order, 0 when none came; an unknown class counts as other. */
  private static Map<String, Long> bots(Map<String, Long> counted) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String c : Event.BOT_CLASSES) {
      out.put(c, 0L);
    }
    counted.forEach((c, n) -> out.merge(out.containsKey(c) ? c : "other", n, Long::sum));
    return Collections.unmodifiableMap(out);
  }

  /** Visitors per value, most first (ties by name), top 20. */
  private static <T> List<T> top(Map<String, Long> counts, BiFunction<String, Long, T> make) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort((a, b) -> !a.getValue().equals(b.getValue())
        ? Long.compare(b.getValue(), a.getValue()) : a.getKey().compareTo(b.getKey()));
    List<T> out = new ArrayList<>(Math.min(TOP, entries.size()));
    for (int i = 0; i < entries.size() && i < TOP; i++) {
      out.add(make.apply(entries.get(i).getKey(), entries.get(i).getValue()));
    }
    return List.copyOf(out);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
