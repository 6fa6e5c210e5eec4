package pulse.realtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import pulse.store.ActiveVisitor;
import pulse.store.StoredPageview;
import pulse.store.WindowData;
import pulse.store.WindowQuery;

/** Turns a store's raw window figures into the canonical {@link Snapshot}. */
public final class SnapshotBuilder {
  public static final int TOP = 20;

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
    // one pass over the active visitors (there may be tens of thousands) for every breakdown
    Map<String, Count> byPath = new HashMap<>();
    Map<String, Count> byReferrer = new HashMap<>();
    Map<String, Count> byCountry = new HashMap<>();
    Map<String, Count> byBrowser = new HashMap<>();
    Map<String, Count> byOs = new HashMap<>();
    Map<String, Count> byDevice = new HashMap<>();
    List<Snapshot.Session> sessions = new ArrayList<>(withSessions ? active.size() : 0);
    for (ActiveVisitor v : active) {
      if (withSessions) {
        sessions.add(new Snapshot.Session(v.visitorId(), v.sessionStart(), v.country(),
            v.browser(), v.os(), v.device()));
      }
      count(byPath, v.path());
      count(byReferrer, v.referrer());
      count(byCountry, v.country());
      count(byBrowser, v.browser());
      count(byOs, v.os());
      count(byDevice, v.device());
    }

    Set<String> paths = new HashSet<>(byPath.keySet());
    paths.addAll(d.pageviewsByPath().keySet());
    List<Snapshot.PageStat> pages = new ArrayList<>(paths.size());
    for (String path : paths) {
      Count visitors = byPath.get(path);
      pages.add(new Snapshot.PageStat(path, visitors == null ? 0 : visitors.n,
          d.pageviewsByPath().getOrDefault(path, 0L)));
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
        active.stream().filter(v -> v.lastPageview() >= q.from()).count(),
        d.pageviews(),
        List.copyOf(pages.subList(0, Math.min(TOP, pages.size()))),
        top(byReferrer, Snapshot.ReferrerStat::new),
        top(byCountry, Snapshot.CountryStat::new),
        top(byBrowser, Snapshot.NameStat::new),
        top(byOs, Snapshot.NameStat::new),
        top(byDevice, Snapshot.NameStat::new),
        perMinute,
        recent,
        new Snapshot.Today(d.todayVisitors(), d.todayPageviews()),
        Collections.unmodifiableList(sessions),
        Collections.unmodifiableList(details));
  }

  /** A mutable count, so counting allocates nothing per visitor. */
  private static final class Count {
    long n;
  }

  /** Counts a visitor under a value; visitors without one are left out. */
  private static void count(Map<String, Count> counts, String value) {
    if (value != null && !value.isEmpty()) {
      Count c = counts.get(value);
      if (c == null) {
        c = new Count();
        counts.put(value, c);
      }
      c.n++;
    }
  }

  /** Visitors per value, most first (ties by name), top 20. */
  private static <T> List<T> top(Map<String, Count> counts, BiFunction<String, Long, T> make) {
    List<Map.Entry<String, Count>> entries = new ArrayList<>(counts.entrySet());
    entries.sort((a, b) -> a.getValue().n != b.getValue().n
        ? Long.compare(b.getValue().n, a.getValue().n) : a.getKey().compareTo(b.getKey()));
    List<T> out = new ArrayList<>(Math.min(TOP, entries.size()));
    for (int i = 0; i < entries.size() && i < TOP; i++) {
      out.add(make.apply(entries.get(i).getKey(), entries.get(i).getValue().n));
    }
    return List.copyOf(out);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
