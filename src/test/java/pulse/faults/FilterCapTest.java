package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.realtime.SnapshotService;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * What distinct filters can make Pulse compute and hold is bounded: at most
 * realtime.maxFiltersPerSite filter sets per site read within a minute (a new one past it is a
 * 429 with Retry-After), and at most that many filtered snapshots held, however a client sweeps
 * filters and windows.
 */
@Tag("server")
class FilterCapTest {
  private static String filter(String f) {
    return "filter=" + URLEncoder.encode(f, StandardCharsets.UTF_8);
  }

  private static TestPulse start(MutableClock clock) {
    return TestPulse.start(TestRedis.shared().url(), clock,
        c -> c.with("limits").put("readsPerIpPerMinute", 0));
  }

  @Test
  void theSeventeenthDistinctFilterWithinAMinuteIs429AndFiltersReadBeforeStillAnswer() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    try (TestPulse pulse = start(clock)) {
      pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/p3\"}", CHROME);
      for (int i = 0; i < 16; i++) {
        HttpResponse<String> r = pulse.get("/api/sites/demo/realtime?" + filter("path:/p" + i));
        assertEquals(200, r.statusCode(), r.body());
        clock.advanceSeconds(1);
      }
      // 10:00:46; the first filter was read at 10:00:30, so a slot frees in 44 s
      HttpResponse<String> refused = pulse.get("/api/sites/demo/realtime?" + filter("path:/p16"));
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals("44", refused.headers().firstValue("Retry-After").orElse(""));
      assertEquals("application/json", refused.headers().firstValue("Content-Type").orElse(""));
      assertEquals("*", refused.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
      assertEquals("site 'demo' has had its maximum of 16 distinct filters read within a minute;"
          + " the filter 'path:/p16' may be read once one of them goes a minute unread",
          json(refused).path("error").asText());
      assertEquals(429, pulse.get("/api/sites/demo/stream?" + filter("path:/p16")).statusCode(),
          "a stream's filter counts alike");
      assertEquals(429, pulse.get("/api/sites/demo/realtime?" + filter("path:/p3") + "&"
          + filter("country:DE")).statusCode(), "a combination is a filter set of its own");

      HttpResponse<String> before = pulse.get("/api/sites/demo/realtime?" + filter("path:/p3"));
      assertEquals(200, before.statusCode(), "a filter read before still answers");
      assertEquals(1, json(before).path("activeVisitors").asInt());
      assertEquals(200, pulse.get("/api/sites/demo/realtime?" + filter("path:/p0")).statusCode());
      assertEquals(200, pulse.get("/api/sites/demo/realtime").statusCode(), "no filter: no cap");
      assertEquals(200, pulse.get("/api/sites/ztas/realtime?" + filter("path:/p16")).statusCode(),
          "the cap is per site");

      // p0 was read again just now; p1 (read at 10:00:31) is the first to go a minute unread
      clock.set(Instant.parse("2026-11-23T10:01:31Z"));
      assertEquals(200, pulse.get("/api/sites/demo/realtime?" + filter("path:/p16")).statusCode());
      assertEquals(429, pulse.get("/api/sites/demo/realtime?" + filter("path:/p17")).statusCode());
    }
  }

  @Test
  void aSweepOfFiltersAndWindowsHoldsABoundedNumberOfFilteredSnapshots() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    try (TestPulse pulse = start(clock)) {
      for (int i = 0; i < 20; i++) {
        pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/p" + i + "\"}", CHROME,
            "X-Forwarded-For", "203.0.113." + i);
      }
      pulse.awaitWritten();
      // the minute recorder reads the unfiltered 5-minute window as the clock moves, and that
      // window's snapshots list sessions for Umami's API: not the filtered snapshots counted here
      pulse.pulse().services().minutes().stop();
      SnapshotService snapshots = pulse.pulse().services().snapshots();
      int cap = snapshots.maxFiltersPerSite();
      assertEquals(16, cap, "the shipped default");
      int answered = 0;
      int refused = 0;
      for (int i = 0; i < 400; i++) {
        int window = 1 + (i * 37) % 3600;
        HttpResponse<String> r = pulse.get("/api/sites/demo/realtime?window=" + window + "&"
            + filter("path:/p" + i));
        if (r.statusCode() == 200) {
          answered++;
          assertEquals(window, json(r).path("window").asInt());
        } else {
          assertEquals(429, r.statusCode(), r.body());
          refused++;
        }
        assertTrue(snapshots.cachedFilterSnapshots("demo") <= cap,
            "filtered snapshots held after " + i + ": " + snapshots.cachedFilterSnapshots("demo"));
        assertTrue(snapshots.cachedFilterReads("demo") <= 4,
            "raw reads held: " + snapshots.cachedFilterReads("demo"));
        // a new tick every request, a minute every 20 requests: some fit under the cap, some not
        clock.advanceMillis(i % 20 == 19 ? 60_000 : 1_000);
      }
      assertTrue(answered >= 16 * 15 && refused > 0, answered + " answered, " + refused + " refused");
      assertEquals(cap, snapshots.cachedFilterSnapshots("demo"));
      assertEquals(0, snapshots.heldSessions("demo"),
          "filtered snapshots hold figures, not a copy of every matching visitor");
      assertTrue(snapshots.cachedWindows("demo") <= SnapshotService.MAX_WINDOWS_PER_SITE);
      clock.advanceSeconds(120);
      snapshots.evictIdle();
      assertEquals(0, snapshots.cachedFilterSnapshots("demo"), "idle filtered snapshots go");
      assertEquals(0, snapshots.cachedFilterReads("demo"));
    }
  }
}
