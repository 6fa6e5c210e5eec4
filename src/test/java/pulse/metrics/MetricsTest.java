package pulse.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** GET /metrics in Prometheus format: the figures move as Pulse works. */
@Tag("server")
class MetricsTest {
  private static final String ADMIN = "admin-token-for-tests-0123456789";

  static double value(String scrape, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE)
        .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static HttpResponse<String> scrape(TestPulse pulse) {
    return pulse.get("/metrics", "Authorization", "Bearer " + ADMIN);
  }

  @Test
  void metricsCountAcceptedRejectedBotsStreamsAndSnapshots() throws Exception {
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> c.put("adminToken", ADMIN).with("realtime").put("tickMillis", 100))) {
      assertEquals(401, pulse.get("/metrics").statusCode());
      assertEquals(401, pulse.get("/metrics", "Authorization", "Bearer wrong").statusCode());

      String event = "{\"site\":\"demo\",\"url\":\"http://localhost/metrics\"}";
      assertEquals(202, pulse.collect("[" + event + "," + event + "]", CHROME).statusCode());
      assertEquals(400, pulse.collect("{oops", CHROME).statusCode());
      assertEquals(404, pulse.collect("{\"site\":\"nope\",\"url\":\"http://x/\"}", CHROME).statusCode());
      assertEquals(202, pulse.collect(event, TestPulse.GOOGLEBOT).statusCode());
      assertEquals(413, pulse.collect("{\"t\":\"" + "x".repeat(70_000) + "\"}", CHROME).statusCode());
      try (SseClient stream = SseClient.open(pulse.base() + "/api/sites/demo/stream")) {
        stream.nextMessage(Duration.ofSeconds(2));
        // the events' write and the stream's snapshot are counted once done: scraped until
        // they are (or 10 s passed), not after a fixed wait a slow machine may overrun
        HttpResponse<String> r = scrape(pulse);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(value(r.body(), "pulse_store_write_seconds_count") >= 1
            && value(r.body(), "pulse_store_read_seconds_count") >= 1
            && value(r.body(), "pulse_snapshot_computations_total") >= 1)
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
          r = scrape(pulse);
        }
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String m = r.body();
        assertEquals(2.0, value(m, "pulse_events_accepted_total"), m);
        assertEquals(1.0, value(m, "pulse_events_rejected_total{reason=\"invalid\"}"), m);
        assertEquals(1.0, value(m, "pulse_events_rejected_total{reason=\"unknown_site\"}"), m);
        assertEquals(1.0, value(m, "pulse_events_rejected_total{reason=\"too_large\"}"), m);
        assertEquals(1.0, value(m, "pulse_bots_dropped_total"), m);
        assertEquals(1.0, value(m, "pulse_streams_open"), m);
        assertEquals(0.0, value(m, "pulse_buffer_events"), m);
        assertEquals(0.0, value(m, "pulse_store_down"), m);
        assertTrue(value(m, "pulse_snapshot_computations_total") >= 1, m);
        // the stream's site has its own series; no other site has computed a snapshot yet
        assertTrue(value(m, "pulse_snapshot_site_computations_total{site=\"demo\"}") >= 1, m);
        assertEquals(value(m, "pulse_snapshot_computations_total"),
            value(m, "pulse_snapshot_site_computations_total{site=\"demo\"}"), m);
        assertTrue(value(m, "pulse_store_write_seconds_count") >= 1, m);
        assertTrue(value(m, "pulse_store_read_seconds_count") >= 1, m);
      }
    }
  }
}
