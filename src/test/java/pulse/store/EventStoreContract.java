package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotBuilder;
import pulse.testing.MutableClock;

/**
 * What every {@link EventStore} must do; run against Redis and the embedded store alike, so the two
 * cannot drift apart. Times come from a clock the tests move, to hit window edges exactly.
 */
abstract class EventStoreContract {
  static final Instant START = Instant.parse("2026-11-23T14:32:20.000Z");
  static final StoreLimits LIMITS = new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000, 500, 40);
  private static final AtomicInteger SITES = new AtomicInteger();

  MutableClock clock;
  EventStore store;
  String site;
  private int ids;

  /** A store under test reading this clock, with these limits. */
  abstract EventStore createStore(MutableClock clock, StoreLimits limits);

  @BeforeEach
  void setUp() {
    clock = new MutableClock(START);
    store = createStore(clock, LIMITS);
    site = "contract" + SITES.incrementAndGet() + "_" + getClass().getSimpleName();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  Event pageview(String visitor, String path, long time) {
    return event(Event.PAGEVIEW, visitor, path, time, "", "US", "Chrome", "Windows", "desktop", null);
  }

  Event event(String type, String visitor, String path, long time, String referrer, String country,
      String browser, String os, String device, Boolean returning) {
    return new Event("e" + (ids++), type, time, visitor, path, "", "Title of " + path, referrer,
        type.equals(Event.CUSTOM) ? "signup" : "", "", country, browser, os, device, returning);
  }

  void append(Event... events) {
    await(store.append(site, List.of(events)));
  }

  Snapshot snapshot(int windowSeconds) {
    WindowQuery q = new WindowQuery(site, clock.millis(), windowSeconds);
    return SnapshotBuilder.build(site, q, await(store.window(q)));
  }

  long now() {
    return clock.millis();
  }

  @Test
  void countsVisitorsPagesAndBreakdownsOfAKnownSetOfEvents() {
    long t = now();
    append(
        event(Event.PAGEVIEW, "alice", "/", t - 200_000, "news.ycombinator.com", "US", "Chrome",
            "Windows", "desktop", null),
        event(Event.PAGEVIEW, "alice", "/pricing", t - 100_000, "", "US", "Chrome", "Windows",
            "desktop", null),
        event(Event.PAGEVIEW, "bob", "/pricing", t - 90_000, "google.com", "GB", "Mobile Safari",
            "iOS", "mobile", null),
        event(Event.PAGEVIEW, "carol", "/docs", t - 60_000, "", "DE", "Firefox", "Linux", "desktop",
            null),
        event(Event.PAGEVIEW, "carol", "/", t - 30_000, "", "DE", "Firefox", "Linux", "desktop",
            null),
        event(Event.PAGEVIEW, "dave", "/", t - 10_000, "news.ycombinator.com", "US", "Chrome",
            "Mac OS X", "desktop", null));

    Snapshot s = snapshot(300);
    assertEquals(4, s.activeVisitors());
    assertEquals(6, s.pageviews());
    // a page's visitors are those whose latest pageview is that page
    // carol (30 s ago) and dave (10 s ago) are present on "/": seen within 45 s
    assertEquals(List.of(new Snapshot.PageStat("/", 2, 3, 2, 0),
        new Snapshot.PageStat("/pricing", 2, 2), new Snapshot.PageStat("/docs", 0, 1)), s.pages());
    assertEquals(2, s.present());
    assertEquals(List.of(new Snapshot.ReferrerStat("news.ycombinator.com", 2),
        new Snapshot.ReferrerStat("google.com", 1)), s.referrers());
    assertEquals(List.of(new Snapshot.CountryStat("US", 2), new Snapshot.CountryStat("DE", 1),
        new Snapshot.CountryStat("GB", 1)), s.countries());
    assertEquals(List.of(new Snapshot.NameStat("Chrome", 2), new Snapshot.NameStat("Firefox", 1),
        new Snapshot.NameStat("Mobile Safari", 1)), s.browsers());
    assertEquals(List.of(new Snapshot.NameStat("desktop", 3), new Snapshot.NameStat("mobile", 1)),
        s.devices());
    assertEquals(4, s.os().size());
    assertEquals(new Snapshot.Today(4, 6), s.today());

    assertEquals(6, s.recent().size());
    assertEquals("/", s.recent().get(0).path());
    assertEquals(t - 10_000, s.recent().get(0).timeMillis());
    assertEquals("news.ycombinator.com", s.recent().get(0).referrer());
    assertEquals("Mac OS X", s.recent().get(0).os());
    assertEquals("/", s.recent().get(5).path());
    assertEquals(t - 200_000, s.recent().get(5).timeMillis());
    assertEquals("Title of /", s.recent().get(5).title());
  }

  @Test
  void perMinuteHasOneEntryPerMinuteOfTheWindowOldestFirstWithZeros() {
    // now is 14:32:20; buckets are 14:28 .. 14:32
    long t = now();
    long minute32 = t - 20_000;
    append(pageview("a", "/", minute32 - 4 * 60_000 + 5_000), // 14:28:05
        pageview("a", "/x", minute32 - 4 * 60_000 + 50_000), // 14:28:50
        pageview("b", "/", minute32 - 4 * 60_000 + 55_000), // 14:28:55
        pageview("c", "/", minute32 + 1_000)); // 14:32:01
    Snapshot s = snapshot(300);
    assertEquals(5, s.perMinute().size());
    assertEquals("2026-11-23T14:28:00Z", s.perMinute().get(0).minute());
    assertEquals("2026-11-23T14:32:00Z", s.perMinute().get(4).minute());
    assertEquals(List.of(2L, 0L, 0L, 0L, 1L),
        s.perMinute().stream().map(Snapshot.MinuteStat::visitors).toList());
    assertEquals(List.of(3L, 0L, 0L, 0L, 1L),
        s.perMinute().stream().map(Snapshot.MinuteStat::pageviews).toList());
    assertEquals(1, snapshot(30).perMinute().size());
    assertEquals(60, snapshot(3600).perMinute().size());
  }

  @Test
  void anEventExactlyAtTheWindowStartCountsAndOneMillisecondEarlierDoesNot() {
    long t = now();
    append(pageview("inside", "/in", t - 60_000), pageview("outside", "/out", t - 60_001));
    Snapshot s = snapshot(60);
    assertEquals(1, s.activeVisitors());
    assertEquals(1, s.pageviews());
    assertEquals("/in", s.recent().get(0).path());
    assertEquals(2, snapshot(61).activeVisitors());
  }

  @Test
  void pageviewsPerPathAreExactAtEverySubSecondAndMinuteEdge() {
    // 420 pageviews on three paths, 737 ms apart: about five minutes with pageviews in most
    // seconds, some just before and after second and minute boundaries
    long base = now();
    List<Event> events = new ArrayList<>();
    String[] paths = {"/a", "/b", "/c"};
    for (int i = 0; i < 420; i++) {
      events.add(pageview("v" + (i % 40), paths[i % 3] + (i % 7 == 0 ? "" : "/x"), base + i * 737L));
    }
    clock.advanceMillis(420 * 737L);
    await(store.append(site, events));
    long[] nows = {base + 150_000, base + 150_999, base + 180_000, base + 209_499, base + 240_001,
        base + 299_500, base + 309_540};
    int[] windows = {1, 30, 59, 60, 61, 90, 121, 299, 300};
    for (long at : nows) {
      for (int window : windows) {
        for (int shift = 0; shift < 3; shift++) {
          long queryNow = at + shift * 251;
          Map<String, Long> expected = new HashMap<>();
          long from = queryNow - window * 1000L;
          for (Event e : events) {
            if (e.time() >= from && e.time() <= queryNow) {
              expected.merge(e.path(), 1L, Long::sum);
            }
          }
          WindowData d = await(store.window(new WindowQuery(site, queryNow, window)));
          assertEquals(expected, d.pageviewsByPath(), "now " + queryNow + ", window " + window);
          assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(), d.pageviews());
        }
      }
    }
  }

  @Test
  void aSnapshotAfterChangesShowsThemEvenWhenItReadsOnlyWhatChanged() {
    // the Redis store keeps the active visitors between reads and then reads only those
    // written since: moves, late writes of older events and visitors dropped by the cap
    append(pageview("stays", "/a", now() - 10_000), pageview("moves", "/a", now() - 5_000));
    assertEquals(2, snapshot(300).activeVisitors());
    clock.advanceMillis(1500);
    append(pageview("moves", "/b", now()), pageview("late", "/c", now() - 200_000));
    Snapshot s = snapshot(300);
    assertEquals(3, s.activeVisitors());
    Map<String, Long> visitorsByPath = new HashMap<>();
    s.pages().forEach(p -> visitorsByPath.put(p.path(), p.visitors()));
    assertEquals(Map.of("/a", 1L, "/b", 1L, "/c", 1L), visitorsByPath);
    clock.advanceMillis(100_001);
    assertEquals(2, snapshot(300).activeVisitors(), "the late visitor left the window");

    List<Event> flood = new ArrayList<>();
    for (int i = 0; i < LIMITS.maxVisitorsPerSite() + 50; i++) {
      flood.add(pageview("f" + i, "/f", now()));
    }
    await(store.append(site, flood));
    assertEquals(LIMITS.maxVisitorsPerSite(), snapshot(300).activeVisitors());
  }

  @Test
  void aVisitorWhoseEventLandsWhileASnapshotReadsStaysListed() {
    // a snapshot takes its time, then reads; a visitor's event stamped in between replaces the
    // one that put them in the window, and must not take them out of it (a continuously active
    // visitor would blink out of the count); an event after the reader's clock (another
    // instance's clock ahead) is not in the window yet; a visitor whose first event is stamped
    // in between was not there at the snapshot's time: they come with their pageview, in the
    // next snapshot (else a new visitor would show on a page with no pageview counted)
    append(pageview("reader", "/a", now() - 10_000));
    assertEquals(1, snapshot(300).activeVisitors());
    WindowQuery kept = new WindowQuery(site, now(), 300);
    WindowQuery full = new WindowQuery(site, now(), 3600);
    append(pageview("reader", "/b", now() + 40), pageview("ahead", "/c", now() + 60_000),
        pageview("newcomer", "/new", now() + 30));
    clock.advanceMillis(50);
    for (WindowQuery q : List.of(kept, full)) {
      Snapshot s = SnapshotBuilder.build(site, q, await(store.window(q)));
      assertEquals(1, s.activeVisitors(), "window " + q.windowSeconds() + " s");
      assertEquals(List.of("/b"), s.pages().stream().filter(p -> p.visitors() > 0)
          .map(Snapshot.PageStat::path).toList(), "the reader, on the page the read found");
    }
    Snapshot next = snapshot(300);
    assertEquals(2, next.activeVisitors(), "the newcomer, in the next snapshot");
    assertEquals(Map.of("/a", 1L, "/b", 1L, "/new", 1L), next.pages().stream()
        .collect(java.util.stream.Collectors.toMap(Snapshot.PageStat::path,
            Snapshot.PageStat::pageviews)), "with their pageview");
  }

  @Test
  void windowsOfEveryLengthReadInAnyOrderAgreeWithTheEventsHeld() {
    // the Redis store keeps one visitor state per site for every window; each window must still
    // count exactly its own visitors, whichever window was read before it
    append(pageview("s10", "/a", now() - 10_000), pageview("s100", "/b", now() - 100_000),
        pageview("s1000", "/c", now() - 1_000_000), pageview("s3000", "/d", now() - 3_000_000));
    assertEquals(1, snapshot(60).activeVisitors());
    assertEquals(4, snapshot(3600).activeVisitors());
    assertEquals(2, snapshot(600).activeVisitors());
    assertEquals(1, snapshot(30).activeVisitors());
    assertEquals(3, snapshot(1800).activeVisitors());

    clock.advanceMillis(1500);
    append(pageview("s3000", "/e", now()), pageview("new", "/a", now() - 500));
    assertEquals(3, snapshot(30).activeVisitors(), "s10, the returning s3000 and the new one");
    assertEquals(5, snapshot(3600).activeVisitors());
    Map<String, Long> visitorsByPath = new HashMap<>();
    snapshot(60).pages().forEach(p -> visitorsByPath.put(p.path(), p.visitors()));
    assertEquals(Map.of("/a", 2L, "/e", 1L), visitorsByPath);

    clock.advanceSeconds(2_700);
    assertEquals(4, snapshot(3600).activeVisitors(), "s1000 fell out of the hour");
    assertEquals(0, snapshot(300).activeVisitors());
  }

  @Test
  void eventsFallOutOfAShortWindowAsTheClockMoves() {
    append(pageview("v1", "/", now()));
    assertEquals(1, snapshot(30).activeVisitors());
    clock.advanceSeconds(30);
    assertEquals(1, snapshot(30).activeVisitors());
    clock.advanceMillis(1);
    Snapshot later = snapshot(30);
    assertEquals(0, later.activeVisitors());
    assertEquals(0, later.pageviews());
    assertTrue(later.recent().isEmpty());
    assertTrue(later.pages().isEmpty());
    assertEquals(1, snapshot(300).activeVisitors());
  }

  @Test
  void aHeartbeatKeepsItsVisitorActiveOnTheLatestPageWithoutCountingAPageview() {
    long t = now();
    append(pageview("reader", "/long-article", t - 20 * 60_000));
    append(event(Event.HEARTBEAT, "reader", "/long-article", t - 30_000, "", "US", "Chrome",
        "Windows", "desktop", null));
    Snapshot s = snapshot(300);
    assertEquals(1, s.activeVisitors());
    assertEquals(0, s.pageviews());
    // the heartbeat 30 s ago shows the page open
    assertEquals(List.of(new Snapshot.PageStat("/long-article", 1, 0, 1, 0)), s.pages());
    assertEquals(1, s.present());
    assertEquals(0, s.pageviewVisitors(), "a heartbeat alone is no pageview activity");
    assertEquals(1, snapshot(1500).pageviewVisitors());
    assertEquals(1, s.today().pageviews());
  }

  @Test
  void customEventsKeepTheVisitorActiveButAreNotPageviews() {
    append(pageview("v", "/", now() - 1000),
        event(Event.CUSTOM, "v", "/", now(), "", "US", "Chrome", "Windows", "desktop", null));
    Snapshot s = snapshot(300);
    assertEquals(1, s.activeVisitors());
    assertEquals(1, s.pageviews());
  }

  @Test
  void recentHoldsTheNewestFiftyPageviewsNewestFirstAndListsAreTopTwenty() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      events.add(pageview("v" + i, "/p" + i, now() - 70_000 + i * 1000));
    }
    await(store.append(site, events));
    Snapshot s = snapshot(300);
    assertEquals(70, s.activeVisitors());
    assertEquals(70, s.pageviews());
    assertEquals(50, s.recent().size());
    assertEquals("/p69", s.recent().get(0).path());
    assertEquals("/p20", s.recent().get(49).path());
    assertEquals(20, s.pages().size());
  }

  @Test
  void theWindowsPageviewsAreReadOldestFirstWithTheirVisitorsAndOnlyInsideTheWindow() {
    long t = now();
    Event early = pageview("alice", "/too-old", t - 60_001);
    Event first = pageview("alice", "/", t - 60_000);
    Event second = pageview("bob", "/pricing", t - 30_000);
    Event third = pageview("alice", "/docs", t);
    append(early, first,
        event(Event.HEARTBEAT, "bob", "/", t - 40_000, "", "DE", "Firefox", "Linux", "desktop",
            null),
        event(Event.CUSTOM, "bob", "/", t - 20_000, "", "DE", "Firefox", "Linux", "desktop", null),
        second, third);
    await(store.append(site + "_other", List.of(pageview("carol", "/elsewhere", t - 10_000))));

    List<WindowPageview> got = await(store.pageviews(new WindowQuery(site, t, 60)));
    assertEquals(List.of(
        new WindowPageview("alice", "/", t - 60_000),
        new WindowPageview("bob", "/pricing", t - 30_000),
        new WindowPageview("alice", "/docs", t)), got,
        "pageviews from the window's first to its last millisecond; no heartbeat, event or other site");
    assertEquals(List.of(), await(store.pageviews(new WindowQuery(site, t - 60_002, 1))));
    assertEquals(4, await(store.pageviews(new WindowQuery(site, t, 3600))).size());
    // as many as the window's pageviews set holds: a window with more than the recent 200
    List<Event> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(pageview("m" + i, "/m", t + 1 + i));
    }
    await(store.append(site, many));
    List<WindowPageview> all = await(store.pageviews(new WindowQuery(site, t + 300, 60)));
    assertEquals(302, all.size(), "the first pageview is now out of the window");
    assertEquals("m299", all.get(all.size() - 1).visitorId());
  }

  @Test
  void aQueryMayReadUpToTheTwoHundredNewestPageviewsWithDetails() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      events.add(pageview("v" + i, "/p" + i, now() - 250_000 + i * 1000));
    }
    await(store.append(site, events));
    WindowData d = await(store.window(
        new WindowQuery(site, now(), 3600, WindowQuery.RECENT_KEPT)));
    assertEquals(WindowQuery.RECENT_KEPT, d.recent().size());
    assertEquals("/p249", d.recent().get(0).path());
    assertEquals("v50", d.recent().get(WindowQuery.RECENT_KEPT - 1).visitorId());
    assertEquals(WindowQuery.RECENT_LIMIT,
        await(store.window(new WindowQuery(site, now(), 3600))).recent().size());
  }

  @Test
  void oldEventsAreTrimmedAndAFloodIsCapped() {
    append(pageview("old", "/", now()));
    clock.advanceMillis(LIMITS.retainMillis() + 1);
    append(pageview("new", "/", now()));
    WindowData everything = await(store.window(new WindowQuery(site, now(), 3600)));
    assertEquals(1, everything.visitors().size());
    assertEquals(1, everything.pageviews());

    List<Event> flood = new ArrayList<>();
    for (int i = 0; i < LIMITS.maxPageviewsPerSite() + 200; i++) {
      flood.add(pageview("f" + i, "/f", now()));
    }
    for (int i = 0; i < flood.size(); i += 100) {
      await(store.append(site, flood.subList(i, Math.min(flood.size(), i + 100))));
    }
    Snapshot s = snapshot(60);
    assertEquals(LIMITS.maxPageviewsPerSite(), s.pageviews());
    assertEquals(LIMITS.maxVisitorsPerSite(), s.activeVisitors());
    // the pageviews the cap dropped leave the per-path counts too
    WindowData capped = await(store.window(new WindowQuery(site, now(), 60)));
    assertEquals(capped.pageviews(),
        capped.pageviewsByPath().values().stream().mapToLong(Long::longValue).sum());
  }

  /**
   * Past the cap the oldest pageviews go, however many seconds they span: whole seconds and part
   * of the next, each path's count and the chart's minutes with them; bots are not pageviews and
   * stay counted.
   */
  @Test
  void theCapDropsTheOldestPageviewsAcrossSecondsAndTheirCountsWithThem() {
    long start = (now() / 60_000) * 60_000 + 10_000; // five seconds within one minute
    clock.set(java.time.Instant.ofEpochMilli(start + 5_000));
    int perSecond = LIMITS.maxPageviewsPerSite() * 3 / 10;
    List<Event> flood = new ArrayList<>();
    flood.add(Event.bot("bot1", start, "crawler"));
    for (int k = 0; k < 5; k++) {
      for (int i = 0; i < perSecond; i++) {
        flood.add(pageview("v" + (k * perSecond + i) % 400, "/s" + k, start + k * 1000 + i));
      }
    }
    await(store.append(site, flood));
    WindowData w = await(store.window(new WindowQuery(site, now(), 60)));
    int excess = 5 * perSecond - LIMITS.maxPageviewsPerSite();
    assertEquals(LIMITS.maxPageviewsPerSite(), w.pageviews());
    Map<String, Long> expected = new java.util.TreeMap<>();
    expected.put("/s1", (long) (2 * perSecond - excess));
    for (int k = 2; k < 5; k++) {
      expected.put("/s" + k, (long) perSecond);
    }
    assertEquals(expected, new java.util.TreeMap<>(w.pageviewsByPath()), "the oldest went");
    assertEquals(LIMITS.maxPageviewsPerSite(), java.util.Arrays.stream(w.minutePageviews()).sum());
    assertEquals(Map.of("crawler", 1L), w.bots());
  }

  @Test
  void dayFiguresCountSessionsBouncesDurationAndNewVersusReturning() {
    long t = now();
    String today = WindowQuery.day(t);
    // one-page reader with heartbeats: a bounce with a duration of 60 s
    append(event(Event.PAGEVIEW, "reader", "/", t, "", "US", "Chrome", "Windows", "desktop", false),
        event(Event.HEARTBEAT, "reader", "/", t + 30_000, "", "US", "Chrome", "Windows", "desktop",
            false),
        event(Event.HEARTBEAT, "reader", "/", t + 60_000, "", "US", "Chrome", "Windows", "desktop",
            false));
    // a returning visitor with three pages over 2 minutes
    append(event(Event.PAGEVIEW, "fan", "/", t, "", "GB", "Firefox", "Linux", "desktop", true),
        event(Event.PAGEVIEW, "fan", "/a", t + 60_000, "", "GB", "Firefox", "Linux", "desktop", true),
        event(Event.PAGEVIEW, "fan", "/b", t + 120_000, "", "GB", "Firefox", "Linux", "desktop", true));
    // the fan comes back after a 31-minute gap: a second session, one page
    clock.advanceMillis(31 * 60_000 + 120_000);
    append(event(Event.PAGEVIEW, "fan", "/c", now(), "", "GB", "Firefox", "Linux", "desktop", true));

    DayFigures day = await(store.day(site, today));
    assertEquals(2, day.visitors());
    assertEquals(5, day.pageviews());
    assertEquals(3, day.sessions());
    assertEquals(2, day.bounces());
    assertEquals(60_000 + 120_000, day.durationMillis());
    assertEquals(1, day.newSessions());
    assertEquals(2, day.returningSessions());
    assertEquals(DayFigures.EMPTY, await(store.day(site, "20261122")));
  }

  @Test
  void uniqueVisitorsOverSeveralDaysCountEachVisitorOnce() {
    long t = now();
    append(pageview("a", "/", t), pageview("b", "/", t));
    clock.advanceMillis(86_400_000L);
    append(pageview("a", "/", now()), pageview("c", "/", now()));
    String d1 = WindowQuery.day(t);
    String d2 = WindowQuery.day(now());
    assertEquals(2, await(store.uniqueVisitors(site, List.of(d1))));
    assertEquals(3, await(store.uniqueVisitors(site, List.of(d1, d2))));
    assertEquals(0, await(store.uniqueVisitors(site, List.of("20200101"))));
  }

  @Test
  void thousandsOfDayVisitorsAreCountedWithinOnePercentInBoundedMemory() {
    // both stores count day visitors with a HyperLogLog: exact when few, within 1% of many
    String today = WindowQuery.day(now());
    for (int batch = 0; batch < 6; batch++) {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        events.add(pageview("many" + (batch * 500 + i), "/", now()));
      }
      await(store.append(site, events));
    }
    long counted = await(store.day(site, today)).visitors();
    assertTrue(Math.abs(counted - 3000) <= 30, "counted " + counted + " of 3000");
    assertEquals(counted, await(store.uniqueVisitors(site, List.of(today))));
    assertEquals(counted, await(store.dayHours(site, today, 24)).visitors());
  }

  @Test
  void dayHoursCountPageviewsAndFirstSeenVisitorsOfTheFirstHoursOfADay() {
    // START is 14:32:20; events at 00:10, 09:59:59.999, 10:00 and 14:32
    long midnight = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    long h10 = midnight + 10 * 3_600_000L;
    append(pageview("early", "/", midnight + 600_000), pageview("early", "/a", h10 - 1),
        pageview("ten", "/", h10), pageview("early", "/b", h10 + 5_000),
        event(Event.HEARTBEAT, "late", "/", now(), "", "US", "Chrome", "Windows", "desktop", null),
        pageview("late", "/", now()));
    String day = WindowQuery.day(now());
    assertEquals(DayPart.EMPTY, await(store.dayHours(site, day, 0)));
    assertEquals(new DayPart(1, 1), await(store.dayHours(site, day, 1)));
    // hour 9 holds the 09:59:59.999 pageview; a visitor counts once, in the hour first seen
    assertEquals(new DayPart(1, 2), await(store.dayHours(site, day, 10)));
    assertEquals(new DayPart(2, 4), await(store.dayHours(site, day, 11)));
    assertEquals(new DayPart(2, 4), await(store.dayHours(site, day, 14)));
    assertEquals(new DayPart(3, 5), await(store.dayHours(site, day, 15)));
    assertEquals(new DayPart(3, 5), await(store.dayHours(site, day, 24)));
    assertEquals(DayPart.EMPTY, await(store.dayHours(site, "20261122", 24)));
    // the hourly figures add up to the day's
    DayFigures whole = await(store.day(site, day));
    assertEquals(whole.visitors(), await(store.dayHours(site, day, 24)).visitors());
    assertEquals(whole.pageviews(), await(store.dayHours(site, day, 24)).pageviews());
  }

  @Test
  void aBatchWrittenTwiceCountsOnce() {
    List<Event> batch = List.of(pageview("v", "/", now() - 2000),
        event(Event.HEARTBEAT, "v", "/", now() - 1000, "", "US", "Chrome", "Windows", "desktop",
            null),
        event(Event.CUSTOM, "v", "/", now(), "", "US", "Chrome", "Windows", "desktop", null));
    await(store.append(site, batch));
    // the writer retries a batch whose reply was lost: nothing may count twice
    await(store.append(site, batch));
    Snapshot s = snapshot(300);
    assertEquals(1, s.pageviews());
    assertEquals(new Snapshot.Today(1, 1), s.today());
    DayFigures day = await(store.day(site, WindowQuery.day(now())));
    assertEquals(1, day.sessions());
    assertEquals(1, day.bounces());
    assertEquals(2000, day.durationMillis());
  }

  @Test
  void aBatchOfHeartbeatsAndLeavesWrittenTwiceChangesNothing() {
    append(pageview("v", "/", now() - 30_000));
    List<Event> batch = List.of(
        event(Event.HEARTBEAT, "v", "/", now() - 10_000, "", "US", "Chrome", "Windows", "desktop",
            null),
        event(Event.LEAVE, "v", "/", now() - 5_000, "", "US", "Chrome", "Windows", "desktop",
            null));
    await(store.append(site, batch));
    Snapshot once = snapshot(300);
    DayFigures dayOnce = await(store.day(site, WindowQuery.day(now())));
    await(store.append(site, batch));
    assertEquals(once, snapshot(300));
    assertEquals(dayOnce, await(store.day(site, WindowQuery.day(now()))));
    assertEquals(25_000, dayOnce.durationMillis());
  }

  @Test
  void lastEventTimeIsTheNewestEvent() {
    assertNull(await(store.lastEventTime(site)));
    append(pageview("a", "/", now() - 5000), pageview("a", "/", now() - 1000));
    assertEquals(now() - 1000, await(store.lastEventTime(site)));
  }

  @Test
  void theDailySaltIsStablePerDayAndDiffersBetweenDays() {
    String a = await(store.dailySalt("20261123"));
    assertEquals(a, await(store.dailySalt("20261123")));
    assertNotEquals(a, await(store.dailySalt("20261124")));
    assertTrue(a.length() >= 32);
  }

  @Test
  void sitesAreKeptApart() {
    append(pageview("a", "/", now()));
    String other = site + "_other";
    WindowQuery q = new WindowQuery(other, now(), 300);
    assertEquals(0, await(store.window(q)).visitors().size());
  }
}
