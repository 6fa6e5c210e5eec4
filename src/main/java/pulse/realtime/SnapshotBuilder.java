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
    // one pass over the active visitors (there may be tens of thousands) for every breakdown
    Map<String, Count> byPath = new HashMap<>();
    Map<String, Count> byReferrer = new HashMap<>();
    Map<String, Count> byCountry = new HashMap<>();
    Map<String, Count> byBrowser = new HashMap<>();
    Map<String, Count> byOs = new HashMap<>();
    Map<String, Count> byDevice = new HashMap<>();
    Map<String, Count> byEntry = new HashMap<>();
    Map<String, Count> bySource = new HashMap<>();
    Map<String, Count> byMedium = new HashMap<>();
    Map<String, Count> byCampaign = new HashMap<>();
    Map<String, Count> presentByPath = new HashMap<>();
    Map<String, List<Long>> engagedByPath = new HashMap<>();
    long presentSince = q.now() - PRESENT_MILLIS;
    long present = 0;
    List<Snapshot.Session> sessions = new ArrayList<>(withSessions ? active.size() : 0);
    for (ActiveVisitor v : active) {
      if (v.presentSince(presentSince)) {
        present++;
        count(presentByPath, v.path());
      }
      if (v.engagedMillis() >= 0) {
        engagedByPath.computeIfAbsent(v.path(), p -> new ArrayList<>()).add(v.engagedMillis());
      }
      count(byEntry, v.entryPath());
      count(bySource, v.utmSource());
      count(byMedium, v.utmMedium());
      count(byCampaign, v.utmCampaign());
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
      pages.add(new Snapshot.PageStat(path, n(byPath.get(path)),
          d.pageviewsByPath().getOrDefault(path, 0L), n(presentByPath.get(path)),
          medianSeconds(engagedByPath.get(path))));
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
        active.stream().filter(v -> v.lastPageview() >= q.from()).count(),
        d.pageviews(),
        List.copyOf(pages.subList(0, Math.min(TOP, pages.size()))),
        top(byEntry, Snapshot.EntryPageStat::new),
        top(byReferrer, Snapshot.ReferrerStat::new),
        top(byCountry, Snapshot.CountryStat::new),
        top(byBrowser, Snapshot.NameStat::new),
        top(byOs, Snapshot.NameStat::new),
        top(byDevice, Snapshot.NameStat::new),
        new Snapshot.Campaigns(top(bySource, Snapshot.NameStat::new),
            top(byMedium, Snapshot.NameStat::new), top(byCampaign, Snapshot.NameStat::new)),
        EventTally.of(d.events()),
        bots(d.bots()),
        perMinute,
        recent,
        new Snapshot.Today(d.todayVisitors(), d.todayPageviews()),
        Collections.unmodifiableList(sessions),
        Collections.unmodifiableList(details));
  }

  private static long n(Count c) {
    return c == null ? 0 : c.n;
  }

  /** The lower median of engaged times in whole seconds, 0 for none. */
  static long medianSeconds(List<Long> millis) {
    if (millis == null || millis.isEmpty()) {
      return 0;
    }
    millis.sort(null);
    return millis.get((millis.size() - 1) / 2) / 1000;
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
