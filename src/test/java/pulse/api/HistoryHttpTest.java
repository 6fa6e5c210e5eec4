package pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.SHOP_TOKEN;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pulse.store.MinutePoint;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * History through HTTP on both stores: the recorder writes each ended minute, the history API
 * reads it back with the minute in progress and the peak, a step keeps the highest minute, a
 * week later the snapshot's baseline is that minute, and two instances sharing Redis record a
 * minute once.
 */
@Tag("server")
class HistoryHttpTest {
  /** A Tuesday, a week before {@link #NOW}. */
  private static final Instant WEEK_AGO = Instant.parse("2026-11-24T10:00:10Z");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:10Z");

  private static void pageview(TestPulse pulse, String ip, String path) {
    HttpResponse<String> r = pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost" + path
        + "\"}", CHROME, "X-Forwarded-For", ip);
    assertEquals(202, r.statusCode(), r.body());
  }

  private static JsonNode history(TestPulse pulse, String query) {
    HttpResponse<String> r = pulse.get("/api/sites/demo/history?" + query);
    assertEquals(200, r.statusCode(), r.body());
    return json(r);
  }

  /** The series once it holds a point for the minute starting at {@code t}, waiting up to 5 s. */
  private static JsonNode historyWith(TestPulse pulse, String query, String t) throws Exception {
    long until = System.nanoTime() + 5_000_000_000L;
    JsonNode h = history(pulse, query);
    while (!has(h, t) && System.nanoTime() < until) {
      Thread.sleep(100);
      h = history(pulse, query);
    }
    assertTrue(has(h, t), "no point at " + t + " in " + h);
    return h;
  }

  private static boolean has(JsonNode h, String t) {
    for (JsonNode p : h.path("series")) {
      if (p.path("t").asText().equals(t) && p.path("pageviews").asLong() > 0) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode at(JsonNode series, String t) {
    for (JsonNode p : series) {
      if (p.path("t").asText().equals(t)) {
        return p;
      }
    }
    throw new AssertionError("no point at " + t + " in " + series);
  }

  private static TestPulse start(String storeKind, MutableClock clock) {
    String redis = storeKind.equals("redis") ? TestRedis.shared().url() : null;
    if (redis != null) {
      TestRedis.shared().flushAll();
    }
    return TestPulse.start(redis, clock, c -> c.put("trustProxy", true));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "memory"})
  void endedMinutesAreRecordedAndAWeekLaterAreTheBaseline(String storeKind) throws Exception {
    MutableClock clock = new MutableClock(WEEK_AGO);
    try (TestPulse pulse = start(storeKind, clock)) {
      pageview(pulse, "203.0.113.1", "/");
      pageview(pulse, "203.0.113.2", "/docs");
      pageview(pulse, "203.0.113.2", "/pricing");
      pulse.awaitWritten();
      clock.set(WEEK_AGO.plusSeconds(40));
      pageview(pulse, "203.0.113.3", "/");
      pulse.awaitWritten();
      clock.set(WEEK_AGO.plusSeconds(53));

      JsonNode h = historyWith(pulse, "range=1h", "2026-11-24T10:00:00.000Z");
      JsonNode ten = at(h.path("series"), "2026-11-24T10:00:00.000Z");
      assertEquals(3, ten.path("activeVisitors").asInt(), h.toString());
      assertEquals(4, ten.path("pageviews").asInt());
      assertEquals(0, ten.path("events").asInt());
      JsonNode inProgress = at(h.path("series"), "2026-11-24T10:01:00.000Z");
      assertEquals(3, inProgress.path("activeVisitors").asInt(), "the minute in progress");
      assertEquals(0, inProgress.path("pageviews").asInt());
      assertEquals("2026-11-24T10:00:00.000Z", h.path("peak").path("t").asText());
      assertEquals(3, h.path("peak").path("activeVisitors").asInt());

      // a 5-minute step keeps the highest minute: 10:00 and 10:01 are one point
      JsonNode stepped = history(pulse, "range=1h&step=5m");
      assertEquals(1, stepped.path("series").size(), stepped.toString());
      assertEquals(4, stepped.path("series").get(0).path("pageviews").asInt());

      // a week later the same minute is the baseline of the snapshot
      clock.set(NOW);
      pageview(pulse, "203.0.113.4", "/");
      pageview(pulse, "203.0.113.5", "/");
      pageview(pulse, "203.0.113.6", "/");
      pageview(pulse, "203.0.113.7", "/");
      pageview(pulse, "203.0.113.8", "/");
      pageview(pulse, "203.0.113.9", "/");
      pulse.awaitWritten();
      JsonNode snapshot = json(pulse.get("/api/sites/demo/realtime"));
      assertEquals(6, snapshot.path("activeVisitors").asInt(), snapshot.toString());
      JsonNode baseline = snapshot.path("baseline");
      assertEquals(3, baseline.path("weekAgo").asInt(), snapshot.toString());
      assertTrue(baseline.path("medianOfFourWeeks").isNull(), "one week of history only");
      assertEquals(2.0, baseline.path("ratio").asDouble(), "6 now, 3 a week ago");

      JsonNode compared = history(pulse, "range=1h&compare=week");
      JsonNode lastWeek = at(compared.path("lastWeek"), "2026-12-01T10:00:00.000Z");
      assertEquals(3, lastWeek.path("activeVisitors").asInt(), "moved a week forward");
    }
  }

  @Test
  void badParametersAndPrivateSitesAreRefusedClearly() {
    try (TestPulse pulse = start("memory", new MutableClock(NOW))) {
      HttpResponse<String> r = pulse.get("/api/sites/demo/history?range=2h");
      assertEquals(400, r.statusCode());
      assertEquals("range must be 1h, 24h, 7d or 30d", json(r).path("error").asText());
      r = pulse.get("/api/sites/demo/history?range=7d&step=10m");
      assertEquals(400, r.statusCode());
      assertEquals("step must be 1m, 5m or 1h", json(r).path("error").asText());
      assertEquals(400, pulse.get("/api/sites/demo/history?compare=year").statusCode());
      assertEquals(404, pulse.get("/api/sites/shop/history").statusCode(), "private, no token");
      r = pulse.get("/api/sites/shop/history?range=30d&step=1h",
          "Authorization", "Bearer " + SHOP_TOKEN);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode empty = json(r);
      assertEquals(1, empty.path("series").size(), "only the minute in progress: " + empty);
      assertEquals("30d", empty.path("range").asText());
      assertEquals("1h", empty.path("step").asText());
    }
  }

  @Test
  void twoInstancesSharingRedisRecordEachMinuteOnce() throws Exception {
    TestRedis.shared().flushAll();
    MutableClock clock = new MutableClock(NOW);
    String redis = TestRedis.shared().url();
    try (TestPulse a = TestPulse.start(redis, clock, c -> c.put("trustProxy", true));
        TestPulse b = TestPulse.start(redis, clock, c -> c.put("trustProxy", true))) {
      List<MinutePoint> seenByA = new CopyOnWriteArrayList<>();
      List<MinutePoint> seenByB = new CopyOnWriteArrayList<>();
      a.pulse().services().minutes().addListener((site, p) -> {
        if (site.equals("demo")) {
          seenByA.add(p);
        }
      });
      b.pulse().services().minutes().addListener((site, p) -> {
        if (site.equals("demo")) {
          seenByB.add(p);
        }
      });
      pageview(a, "203.0.113.1", "/");
      pageview(b, "203.0.113.2", "/");
      a.awaitWritten();
      b.awaitWritten();
      clock.set(NOW.plusSeconds(53));
      JsonNode h = historyWith(a, "range=1h", "2026-12-01T10:00:00.000Z");
      JsonNode ten = at(h.path("series"), "2026-12-01T10:00:00.000Z");
      assertEquals(2, ten.path("pageviews").asInt(), "each pageview counted once: " + h);
      assertEquals(2, ten.path("activeVisitors").asInt());
      long until = System.nanoTime() + 3_000_000_000L;
      while ((seenByA.isEmpty() || seenByB.isEmpty()) && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertEquals(seenByA, seenByB, "both instances hear of the one point the store holds");
      assertEquals(1, seenByA.size());
      assertEquals(2, seenByA.get(0).pageviews());
    }
  }
}
