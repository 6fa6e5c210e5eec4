package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotBuilder;
import pulse.testing.MutableClock;
import pulse.testing.TestRedis;

@Tag("server")
class RedisEventStoreTest extends HistoryContract {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close();
  }

  @Override
  EventStore createStore(MutableClock clock, StoreLimits limits) {
    return new RedisEventStore(RedisEventStore.connect(vertx, TestRedis.shared().url()), clock,
        limits);
  }

  @Test
  void aSweepOfEveryWindowHoldsOneVisitorStatePerSite() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(pageview("v" + i, "/p" + (i % 7), now() - i * 10_000L));
    }
    await(store.append(site, events));
    RedisEventStore redis = (RedisEventStore) store;
    for (int window = 1; window <= 3600; window += 7) {
      long expected = Math.min(300, window / 10 + 1);
      assertEquals(expected, snapshot(window).activeVisitors(), "window " + window);
      assertEquals(1, redis.cachedSites(), "one state for the site, whatever the window");
      assertTrue(redis.cachedVisitors() <= 300, "each visitor held once: " + redis.cachedVisitors());
    }
  }

  @Test
  void aDaysSaltLivesAtMost25Hours() throws Exception {
    TestRedis.shared().command("DEL", "pulse:salt:20261201");
    await(store.dailySalt("20261201"));
    // ":90000\r\n": the seconds Redis will keep the salt
    String reply = TestRedis.shared().command("TTL", "pulse:salt:20261201").trim();
    long ttl = Long.parseLong(reply.substring(1));
    assertTrue(ttl > 24 * 3600 && ttl <= 25 * 3600, "salt TTL " + ttl + " s");
  }

  /**
   * TTLs are set only when due or when a call may have created a key (SiteUpkeep, append.lua):
   * still, every key of the site has one after every call, through trims, new periods and keys
   * lost under the store (a restart without persistence, a failover, a site idle for an hour).
   */
  @Test
  void everyKeyOfASiteHasATtlAfterEveryCall() throws Exception {
    append(pageview("a", "/", now()), event(Event.CUSTOM, "a", "/", now(), "", "US", "Chrome",
        "Windows", "desktop", null), event(Event.LEAVE, "a", "/", now(), "", "US", "Chrome",
        "Windows", "desktop", null));
    assertEveryKeyHasATtl(11);
    // the same second: no upkeep; keys lost under the store come back with their TTLs
    for (String lost : List.of("pvcount", "recent", "events", "visitors", "vstate",
        "touched", "pvlog:" + now() / 1000)) {
      redis("DEL", RedisEventStore.prefix(site) + lost);
      append(pageview("b-" + lost, "/b", now()), event(Event.CUSTOM, "b-" + lost, "/", now(), "",
          "US", "Chrome", "Windows", "desktop", null));
      assertEveryKeyHasATtl(11);
    }
    // every key lost (a Redis restarted empty), in a call without upkeep
    for (String key : siteKeys()) {
      redis("DEL", key);
    }
    append(pageview("c", "/c", now()));
    assertEveryKeyHasATtl(10);
    // new seconds, minutes, hours and days, in calls with and without the upkeep
    for (int i = 0; i < 40; i++) {
      clock.advanceMillis(i % 3 == 0 ? 400 : 1_700_017);
      append(pageview("d" + i, "/d", now()), event(Event.HEARTBEAT, "a", "/", now(), "", "US",
          "Chrome", "Windows", "desktop", null));
      assertEveryKeyHasATtl(10);
    }
    // a period key keeps its whole period: the day's counters at least the day's retention
    String day = RedisEventStore.prefix(site) + "day:" + WindowQuery.day(now());
    assertTrue(ttl(day) >= LIMITS.dayTtlSeconds(), day + ": " + ttl(day));
  }

  /**
   * A batch's mark (append.lua) lives only until its writer has the reply: the site's next call
   * deletes it. So a site holds at most the marks of its calls in flight, not one per batch.
   */
  @Test
  void theMarksOfStoredBatchesGoWithTheNextCall() throws Exception {
    for (int i = 0; i < 30; i++) {
      append(pageview("m" + i, "/", now()));
      clock.advanceMillis(100);
    }
    List<String> marks = siteKeys().stream().filter(k -> k.contains(":batch:")).toList();
    assertEquals(1, marks.size(), "the last call's mark only: " + marks);
    // heartbeats only: no mark of their own
    append(event(Event.HEARTBEAT, "m29", "/", now(), "", "US", "Chrome", "Windows", "desktop",
        null));
    assertEquals(0, siteKeys().stream().filter(k -> k.contains(":batch:")).count());
    // a batch sent again after its reply was lost stores nothing, whatever came between
    List<Event> batch = List.of(pageview("lost", "/lost", now()));
    await(store.append(site, batch));
    String lostMark = siteKeys().stream().filter(k -> k.contains(":batch:"))
        .filter(k -> !marks.contains(k)).findFirst().orElseThrow();
    // (the store forgets the reply: as if it never came)
    RedisEventStore fresh = (RedisEventStore) createStore(clock, LIMITS);
    await(fresh.append(site, List.of(pageview("between", "/", now()))));
    assertTrue(siteKeys().contains(lostMark), "a mark whose reply did not come back stays");
    await(fresh.append(site, batch));
    WindowQuery q = new WindowQuery(site, now(), 60);
    assertEquals(1, await(store.window(q)).pageviewsByPath().get("/lost"));
  }

  /**
   * pvcount holds the pageviews per second of the retention and their sum, which the cap reads:
   * a trim drops the seconds that left it by name, so that it never reads them all.
   */
  @Test
  void thePageviewCountsKeepTheRetentionsSecondsAndTheirSum() throws Exception {
    String counts = RedisEventStore.prefix(site) + "pvcount";
    for (int i = 0; i < 50; i++) {
      append(pageview("v" + i, "/", now()), pageview("w" + i, "/", now() - 500));
      clock.advanceMillis(LIMITS.retainMillis() / 20);
    }
    append(pageview("last", "/", now()));
    long firstSecond = (now() - LIMITS.retainMillis()) / 1000;
    long sum = 0;
    String[] flat = redis("HGETALL", counts).split("\r\n");
    Map<String, Long> fields = new LinkedHashMap<>();
    for (int i = 2; i + 2 < flat.length; i += 4) {
      fields.put(flat[i], Long.parseLong(flat[i + 2]));
    }
    for (Map.Entry<String, Long> field : fields.entrySet()) {
      if (field.getKey().chars().allMatch(Character::isDigit)) {
        assertTrue(Long.parseLong(field.getKey()) >= firstSecond, "a second past the window: "
            + field.getKey());
        sum += field.getValue();
      }
    }
    assertEquals(sum, fields.get("total"), fields.toString());
    assertTrue(sum >= 39 && sum <= 41, "20 calls of 2 pageviews within the retention: " + sum);
  }

  /**
   * window.lua hands over the states of the visitors changed since the last read, up to 5,000;
   * past that the read takes every visitor with plain commands: either way the snapshot is whole.
   */
  @Test
  void moreVisitorsChangedThanWindowLuaHandsOverAreReadInFull() {
    store = createStore(clock, new StoreLimits(30 * 60_000L, 61 * 60_000L, 20_000, 10_000, 40));
    append(pageview("first", "/", now()));
    assertEquals(1, snapshot(300).activeVisitors());
    for (int round = 0; round < 2; round++) {
      clock.advanceMillis(1_000);
      List<Event> many = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        many.add(pageview("r" + round + "-" + i, "/p" + (i % 3), now()));
      }
      await(store.append(site, many));
    }
    Snapshot s = snapshot(300);
    assertEquals(6_001, s.activeVisitors(), "6,000 changed since the last read, read in full");
    clock.advanceMillis(1_000);
    append(pageview("r0-0", "/moved", now()), pageview("late", "/", now()));
    s = snapshot(300);
    assertEquals(6_002, s.activeVisitors());
    assertEquals(1, s.pages().stream().filter(p -> p.path().equals("/moved")).findFirst()
        .orElseThrow().visitors(), "a change after the full read, read alone");
  }

  /**
   * The counts outlived a jump of the clock (an instance's clock put right, a site's key kept
   * alive by another instance): the trim reads the fields held, not every second passed, which
   * for a month would be 2.6 million names in 5,000 HMGETs while Redis answers no one else.
   */
  @Test
  void aLongJumpOfTheClockTrimsTheSecondsHeldNotEverySecondPassed() throws Exception {
    String counts = RedisEventStore.prefix(site) + "pvcount";
    append(pageview("before", "/", now()), pageview("before", "/a", now()));
    clock.advanceMillis(30L * 24 * 3600 * 1000);
    redis("CONFIG", "RESETSTAT");
    append(pageview("after", "/", now()));
    String stats = redis("INFO", "commandstats");
    java.util.regex.Matcher hmget =
        java.util.regex.Pattern.compile("cmdstat_hmget:calls=(\\d+)").matcher(stats);
    assertTrue(hmget.find(), stats);
    assertTrue(Long.parseLong(hmget.group(1)) < 10, "HMGET calls: " + hmget.group(1));
    assertEquals("1", text(redis("HGET", counts, "total")), "the month-old seconds left the sum");
    assertEquals(1, snapshot(300).pageviews());
  }

  /**
   * A log grows by APPEND, which allocates ahead; once its second is over a trim writes it anew
   * at its length (compactLogs in append.lua).
   */
  @Test
  void aSecondsLogIsWrittenAtItsLengthOnceTheSecondIsOver() throws Exception {
    String log = RedisEventStore.prefix(site) + "pvlog:" + now() / 1000;
    long slack = 0;
    long length = 0;
    for (int i = 0; i < 600 && (length < 2_000 || slack <= length / 4); i++) {
      append(pageview("visitor-" + i, "/pricing", now()));
      length = number(redis("STRLEN", log));
      slack = memory(log) - exactMemory(log);
    }
    assertTrue(length >= 2_000 && slack > length / 4, "APPEND allocated ahead: " + slack
        + " bytes more than a log of " + length + " needs");
    clock.advanceMillis(6_000);
    append(pageview("later", "/", now()));
    assertEquals(length, number(redis("STRLEN", log)));
    long after = memory(log) - exactMemory(log);
    assertTrue(after <= 16, "written anew: " + after + " bytes more than a log of " + length
        + " needs");
  }

  /** MEMORY USAGE of a key. */
  private static long memory(String key) throws IOException {
    return number(redis("MEMORY", "USAGE", key));
  }

  /** MEMORY USAGE of a key of the same name's length holding the same text, set at once. */
  private static long exactMemory(String key) throws IOException {
    String copy = key.substring(0, key.length() - 1) + "~";
    redis("SET", copy, text(redis("GET", key)));
    long usage = memory(copy);
    redis("DEL", copy);
    return usage;
  }

  /** An integer reply (":n"). */
  private static long number(String reply) {
    return Long.parseLong(reply.trim().substring(1));
  }

  /** The text of a bulk reply ("$n" CRLF text CRLF). */
  private static String text(String reply) {
    int start = reply.indexOf("\r\n") + 2;
    return reply.substring(start, start + Integer.parseInt(reply.substring(1, start - 2)));
  }

  /**
   * Pageviews stored before the per-second logs are members of a sorted set (id, visitor, path);
   * after an upgrade the reads take them beside the logs until the set expires, so a filtered
   * snapshot and the chart's minutes lose none of them.
   */
  @Test
  void pageviewsStoredBeforeTheLogsAreReadBesideThem() throws Exception {
    long t = now();
    // as the version before the logs stored a pageview: a member, and its per-second and
    // per-minute path counts
    String p = RedisEventStore.prefix(site);
    redis("ZADD", p + "pageviews", Long.toString(t - 30_000), "old1\tanna\t/before");
    redis("HINCRBY", p + "ps:" + (t - 30_000) / 1000, "/before", "1");
    redis("HINCRBY", p + "pm:" + (t - 30_000) / 60_000, "/before", "1");
    append(pageview("bert", "/after", t - 10_000));
    WindowQuery q = new WindowQuery(site, t, 300);
    assertEquals(List.of(new WindowPageview("anna", "/before", t - 30_000),
        new WindowPageview("bert", "/after", t - 10_000)), await(store.pageviews(q)));
    WindowData w = await(store.window(q));
    assertEquals(Map.of("/before", 1L, "/after", 1L), w.pageviewsByPath());
    long[] perMinute = w.minutePageviews();
    assertEquals(2, java.util.Arrays.stream(perMinute).sum(), java.util.Arrays.toString(perMinute));
  }

  /**
   * The figures read back are those of the embedded store (whose behaviour this change does not
   * touch) for single events a few hundred ms apart, as a small site sends them: the calls that
   * skip the trims read exactly what the others read.
   */
  @Test
  void smallCallsWithoutUpkeepReadBackTheFiguresOfTheEmbeddedStore() {
    MemoryEventStore memory = new MemoryEventStore(clock, LIMITS);
    long start = now();
    for (int i = 0; i < 240; i++) {
      clock.set(java.time.Instant.ofEpochMilli(start + i * 350L));
      Event e = i % 4 == 3
          ? event(Event.HEARTBEAT, "v" + (i % 9), "/p" + (i % 5), now(), "", "DE", "Firefox",
              "Linux", "desktop", null)
          : i % 10 == 5 ? event(Event.CUSTOM, "v" + (i % 9), "/", now(), "", "US", "Chrome",
              "Windows", "desktop", null)
          : pageview("v" + (i % 13), "/p" + (i % 5), now() - (i % 7 == 0 ? 70_000 : 0));
      await(store.append(site, List.of(e)));
      await(memory.append(site, List.of(e)));
      if (i % 40 == 39) {
        for (int window : new int[] {30, 60, 300, 3600}) {
          WindowQuery q = new WindowQuery(site, now(), window);
          Snapshot expected = SnapshotBuilder.build(site, q, await(memory.window(q)));
          Snapshot got = SnapshotBuilder.build(site, q, await(store.window(q)));
          // the stores list sessions in no set order
          assertEquals(sorted(expected.sessions()), sorted(got.sessions()), "window " + window);
          assertEquals(expected.toString().replace(expected.sessions().toString(), ""),
              got.toString().replace(got.sessions().toString(), ""), "window " + window);
        }
      }
    }
    String day = WindowQuery.day(now());
    assertEquals(await(memory.day(site, day)), await(store.day(site, day)));
    assertEquals(await(memory.lastEventTime(site)), await(store.lastEventTime(site)));
  }

  private static List<String> sorted(List<Snapshot.Session> sessions) {
    return sessions.stream().map(Snapshot.Session::toString).sorted().toList();
  }

  private void assertEveryKeyHasATtl(int atLeast) throws IOException {
    List<String> keys = siteKeys();
    assertTrue(keys.size() >= atLeast, "keys: " + keys);
    Map<String, Long> without = new LinkedHashMap<>();
    for (String key : keys) {
      long ttl = ttl(key);
      if (ttl <= 0) {
        without.put(key, ttl);
      }
    }
    assertEquals(Map.of(), without, "keys without a TTL, of " + keys);
  }

  private long ttl(String key) throws IOException {
    return Long.parseLong(redis("TTL", key).trim().substring(1));
  }

  private List<String> siteKeys() throws IOException {
    String reply = redis("KEYS", RedisEventStore.prefix(site) + "*");
    return Arrays.stream(reply.split("\r\n"))
        .filter(line -> !line.isEmpty() && line.charAt(0) != '*' && line.charAt(0) != '$')
        .toList();
  }

  private static String redis(String... args) throws IOException {
    return TestRedis.shared().command(args);
  }
}
