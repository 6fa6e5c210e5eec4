package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.Pulse;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;

/**
 * A flood into the embedded store: its caps come from the heap (here a pretend 32 MiB one, too
 * small for the configured million pageviews: the floor of 100 of each), filling past them drops
 * the oldest and the server keeps answering.
 */
@Tag("server")
class EmbeddedStoreFloodTest {
  @Test
  void fillingPastTheHeapDerivedCapsKeepsTheCountsBoundedAndTheServerAnswering() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    try (TestPulse pulse = TestPulse.start(null, clock, c -> c.put("trustProxy", true),
        new Pulse.Options(false, false, 32L << 20))) {
      // 150 visitors (one per address) of 10 pageviews each: past caps of 100 of each
      for (int v = 0; v < 150; v++) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
          batch.append(i == 0 ? "" : ",").append("{\"site\":\"demo\",\"url\":\"http://demo.test/p")
              .append(v).append('-').append(i).append("\"}");
        }
        HttpResponse<String> r = pulse.collect(batch.append(']').toString(), CHROME,
            "X-Forwarded-For", "198.51.100." + v);
        assertEquals(202, r.statusCode(), r.body());
        clock.advanceMillis(10);
      }
      pulse.awaitWritten();
      clock.advanceSeconds(2);
      JsonNode s = json(pulse.get("/api/sites/demo/realtime?window=1h"));
      assertEquals(100, s.path("pageviews").asInt());
      assertEquals(100, s.path("activeVisitors").asInt());
      assertEquals(1500, s.path("today").path("pageviews").asInt(), "the day counts them all");
      // the newest are the ones kept: the pageviews of the last ten visitors
      for (JsonNode page : s.path("pages")) {
        assertTrue(page.path("pageviews").asInt() == 0
            || page.path("path").asText().matches("/p14\\d-\\d"), page.toString());
      }
      HttpResponse<String> health = pulse.get("/health");
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(health.body().contains("memory"), health.body());
    }
  }
}
