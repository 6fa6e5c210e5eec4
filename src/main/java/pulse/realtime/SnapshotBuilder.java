package pulse.realtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import pulse.store.ActiveVisitor;
import pulse.store.StoredPageview;
import pulse.store.WindowData;
import pulse.store.WindowQuery;

/** Turns a store's raw window figures into the canonical {@link Snapshot}. */
public final class SnapshotBuilder {
  public static final int TOP = 20;

  private SnapshotBuilder() {}

  public static Snapshot build(String siteId, WindowQuery q, WindowData d) {
    List<ActiveVisitor> active = d.visitors();

    Map<String, Long> visitorsByPath = countBy(active, ActiveVisitor::path);
    Set<String> paths = new HashSet<>(visitorsByPath.keySet());
    paths.addAll(d.pageviewsByPath().keySet());
    List<Snapshot.PageStat> pages = new ArrayList<>(paths.size());
    for (String path : paths) {
      pages.add(new Snapshot.PageStat(path, visitorsByPath.getOrDefault(path, 0L),
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
    for (StoredPageview p : d.recent()) {
      recent.add(new Snapshot.RecentPageview(p.path(), p.title(), p.referrer(),
          emptyToNull(p.country()), p.browser(), p.os(), p.device(), p.time()));
    }

    return new Snapshot(
        siteId,
        q.windowSeconds(),
        q.now(),
        active.size(),
        active.stream().filter(v -> v.lastPageview() >= q.from()).count(),
        d.pageviews(),
        List.copyOf(pages.subList(0, Math.min(TOP, pages.size()))),
        top(active, ActiveVisitor::referrer, Snapshot.ReferrerStat::new),
        top(active, ActiveVisitor::country, Snapshot.CountryStat::new),
        top(active, ActiveVisitor::browser, Snapshot.NameStat::new),
        top(active, ActiveVisitor::os, Snapshot.NameStat::new),
        top(active, ActiveVisitor::device, Snapshot.NameStat::new),
        perMinute,
        recent,
        new Snapshot.Today(d.todayVisitors(), d.todayPageviews()),
        active,
        d.recent());
  }

  private static Map<String, Long> countBy(List<ActiveVisitor> visitors,
      Function<ActiveVisitor, String> key) {
    Map<String, Long> counts = new HashMap<>();
    for (ActiveVisitor v : visitors) {
      String k = key.apply(v);
      if (k != null && !k.isEmpty()) {
        counts.merge(k, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** Visitors per value, most first (ties by name), top 20; visitors without a value are left out. */
  private static <T> List<T> top(List<ActiveVisitor> visitors, Function<ActiveVisitor, String> key,
      BiFunction<String, Long, T> make) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(countBy(visitors, key).entrySet());
    entries.sort(Map.Entry.<String, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey()));
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
