package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.realtime.SnapshotService;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * A client that asks for every window from 1 s to an hour must not make Pulse hold a snapshot (or
 * a copy of the active visitors' sessions) per window: what Pulse holds is bounded by what it decides, and
 * how fast one address may ask is bounded by the read limit.
 */
@Tag("server")
class WindowSweepTest {
  @Test
  void aSweepOfEveryWindowHoldsABoundedNumberOfSnapshots() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), clock,
        c -> c.with("limits").put("readsPerIpPerMinute", 0))) {
      for (int i = 0; i < 20; i++) {
        pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/p" + i + "\"}", CHROME,
            "X-Forwarded-For", "203.0.113." + i);
      }
      pulse.awaitWritten();
      // the minute recorder reads the 5-minute window at a minute's end, and that window lists
      // sessions for Umami's API: not the sweep's snapshots counted here
      pulse.pulse().services().minutes().stop();
      SnapshotService snapshots = pulse.pulse().services().snapshots();
      for (int window = 1; window <= 3600; window += 11) {
        HttpResponse<String> r = pulse.get("/api/sites/demo/realtime?window=" + window);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(window, json(r).path("window").asInt());
        assertTrue(snapshots.cachedWindows("demo") <= SnapshotService.MAX_WINDOWS_PER_SITE,
            "snapshots held for demo after window " + window + ": "
                + snapshots.cachedWindows("demo"));
      }
      assertEquals(SnapshotService.MAX_WINDOWS_PER_SITE, snapshots.cachedWindows("demo"));
      // the held snapshots carry figures, not a copy of every visitor each
      assertEquals(0, snapshots.heldSessions("demo"));
      // but the window whose sessions Umami's realtime lists keeps them
      HttpResponse<String> fiveMinutes = pulse.get("/api/sites/demo/realtime?window=300");
      assertEquals(200, fiveMinutes.statusCode());
      long active = json(fiveMinutes).path("activeVisitors").asLong();
      assertTrue(active > 0, fiveMinutes.body());
      assertEquals(active, snapshots.heldSessions("demo"));
    }
  }

  @Test
  void readsOfFiguresAreLimitedPerAddressWith429RetryAfterAndAJsonBody() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), clock,
        c -> c.put("trustProxy", true).with("limits").put("readsPerIpPerMinute", 4))) {
      String[] reads = {"/api/sites/demo/realtime?window=1", "/api/sites/demo/realtime?window=2",
          "/api/sites/demo/realtime?window=4", "/badge/demo.svg"};
      for (String path : reads) {
        assertTrue(pulse.get(path, "X-Forwarded-For", "203.0.113.9").statusCode() < 400, path);
      }
      HttpResponse<String> limited = pulse.get("/api/sites/demo/realtime?window=3",
          "X-Forwarded-For", "203.0.113.9");
      assertEquals(429, limited.statusCode());
      assertEquals("30", limited.headers().firstValue("Retry-After").orElse(""));
      assertEquals("*", limited.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
      assertTrue(json(limited).path("error").asText().contains("too many reads from this address"),
          limited.body());
      assertEquals(429, pulse.get("/api/realtime?siteId=site_abc123", "X-Forwarded-For", "203.0.113.9")
          .statusCode(), "the compatible APIs count too");
      assertEquals(200, pulse.get("/api/sites/demo/realtime", "X-Forwarded-For", "203.0.113.10")
          .statusCode(), "another address is not limited");
      assertEquals(200, pulse.get("/health", "X-Forwarded-For", "203.0.113.9").statusCode(),
          "health is no read of figures");
      clock.advanceSeconds(30);
      assertEquals(200, pulse.get("/api/sites/demo/realtime?window=3",
          "X-Forwarded-For", "203.0.113.9").statusCode(), "the limit resets each minute");
    }
  }
}
