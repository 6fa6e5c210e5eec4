package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.store.ActiveVisitor;
import pulse.store.StoredPageview;
import pulse.store.WindowData;
import pulse.store.WindowPageview;
import pulse.store.WindowQuery;

/** A filtered snapshot is the snapshot of the matching visitors, counted with the same arithmetic. */
class FilteredWindowTest {
  // 10:00:30 UTC; a 3-minute window has the minutes 09:58, 09:59 and 10:00
  private static final long NOW = 1_795_428_030_000L;
  private static final WindowQuery Q = new WindowQuery("demo", NOW, 180, WindowQuery.RECENT_KEPT);

  private static ActiveVisitor visitor(String id, String path, String country, long lastSeen) {
    return new ActiveVisitor(id, lastSeen, NOW - 170_000, path, "", country, "Chrome", "Windows",
        "desktop", lastSeen);
  }

  private static StoredPageview detail(String id, String visitor, String path, long time) {
    return new StoredPageview(id, visitor, time, path, "", "t", "", "DE", "Chrome", "Windows",
        "desktop");
  }

  @Test
  void theSnapshotOfTheMatchingVisitorsCountsTheirPageviewsPagesMinutesAndRecent() {
    long m0 = (NOW / 60_000 - 2) * 60_000; // start of the first minute
    List<ActiveVisitor> visitors = List.of(
        visitor("anna", "/pricing", "DE", m0 + 150_000),
        visitor("bert", "/docs", "DE", m0 + 130_000),
        visitor("carl", "/pricing", "US", m0 + 140_000));
    List<WindowPageview> pageviews = List.of(
        new WindowPageview("anna", "/", m0 + 1_000),
        new WindowPageview("carl", "/", m0 + 2_000),
        new WindowPageview("anna", "/pricing", m0 + 61_000),
        new WindowPageview("bert", "/docs", m0 + 70_000),
        new WindowPageview("carl", "/pricing", m0 + 140_000),
        new WindowPageview("gone", "/", m0 + 141_000));
    List<StoredPageview> recent = List.of(
        detail("6", "gone", "/", m0 + 141_000),
        detail("5", "carl", "/pricing", m0 + 140_000),
        detail("4", "bert", "/docs", m0 + 70_000),
        detail("3", "anna", "/pricing", m0 + 61_000),
        detail("2", "carl", "/", m0 + 2_000),
        detail("1", "anna", "/", m0 + 1_000));
    WindowData all = new WindowData(visitors, 6, Map.of("/", 3L, "/pricing", 2L, "/docs", 1L),
        new long[] {2, 1, 3}, new long[] {2, 2, 3}, recent, 40, 90);

    Snapshot de = SnapshotBuilder.build("demo", Q,
        FilteredWindow.of(Q, all, pageviews, SnapshotFilter.parse(List.of("country:DE"))));
    assertEquals(2, de.activeVisitors());
    assertEquals(3, de.pageviews());
    assertEquals(List.of(new Snapshot.PageStat("/docs", 1, 1), new Snapshot.PageStat("/pricing", 1, 1),
        new Snapshot.PageStat("/", 0, 1)), de.pages());
    assertEquals(List.of(new Snapshot.CountryStat("DE", 2)), de.countries());
    // minute 0: anna's pageview; 1: anna's and bert's; 2: anna and bert last seen
    assertEquals(List.of(1L, 2L, 0L),
        de.perMinute().stream().map(Snapshot.MinuteStat::pageviews).toList());
    assertEquals(List.of(1L, 2L, 2L),
        de.perMinute().stream().map(Snapshot.MinuteStat::visitors).toList());
    assertEquals(List.of("4", "3", "1"),
        de.recentDetails().stream().map(Snapshot.PageviewDetail::id).toList());
    assertEquals(new Snapshot.Today(40, 90), de.today(), "today stays the site's");
    assertEquals(List.of("anna", "bert"),
        de.sessions().stream().map(Snapshot.Session::visitorId).sorted().toList());

    Snapshot pricing = SnapshotBuilder.build("demo", Q, FilteredWindow.of(Q, all, pageviews,
        SnapshotFilter.parse(List.of("path:/pricing"))));
    assertEquals(2, pricing.activeVisitors());
    assertEquals(4, pricing.pageviews(), "the matching visitors' pageviews of every page");
    assertEquals(List.of(new Snapshot.PageStat("/pricing", 2, 2), new Snapshot.PageStat("/", 0, 2)),
        pricing.pages());

    Snapshot nobody = SnapshotBuilder.build("demo", Q, FilteredWindow.of(Q, all, pageviews,
        SnapshotFilter.parse(List.of("country:DE", "path:/nowhere"))));
    assertEquals(0, nobody.activeVisitors());
    assertEquals(0, nobody.pageviews());
    assertEquals(List.of(), nobody.pages());
    assertEquals(List.of(), nobody.recent());
    assertEquals(3, nobody.perMinute().size());
  }

  @Test
  void recentListsAtMostFiftyOfTheMatchingVisitorsPageviews() {
    List<StoredPageview> recent = new java.util.ArrayList<>();
    List<WindowPageview> pageviews = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String v = i % 2 == 0 ? "even" : "odd";
      recent.add(detail("r" + i, v, "/", NOW - i * 100));
      pageviews.add(new WindowPageview(v, "/", NOW - (199 - i) * 100));
    }
    WindowData all = new WindowData(List.of(visitor("even", "/", "DE", NOW),
        visitor("odd", "/", "US", NOW)), 200, Map.of("/", 200L), new long[3], new long[3], recent,
        2, 200);
    Snapshot even = SnapshotBuilder.build("demo", Q, FilteredWindow.of(Q, all, pageviews,
        SnapshotFilter.parse(List.of("country:DE"))));
    assertEquals(WindowQuery.RECENT_LIMIT, even.recent().size());
    assertEquals("r0", even.recentDetails().get(0).id());
    assertEquals("r98", even.recentDetails().get(49).id());
    assertEquals(100, even.pageviews());
  }
}
