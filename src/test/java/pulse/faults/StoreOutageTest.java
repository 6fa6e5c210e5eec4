package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** Redis goes away under steady ingest and comes back: nothing answered 202 is lost. */
@Tag("server")
class StoreOutageTest {
  /** A Redis of its own that keeps its data across a restart (AOF), like a production one. */
  private static TestRedis durableRedis() {
    return TestRedis.startProcess(List.of("--appendonly", "yes", "--appendfsync", "always"));
  }

  private static String visit(int n) {
    return "{\"site\":\"demo\",\"url\":\"http://localhost/outage/" + n + "\"}";
  }

  @Test
  void redisStoppedForTenSecondsDuringSteadyIngestLosesNoAcceptedEvent() throws Exception {
    TestRedis redis = durableRedis();
    TestPulse b = TestPulse.start(redis.url(), Clock.systemUTC(), c -> { });
    try (TestPulse pulse = TestPulse.start(redis.url(), Clock.systemUTC(),
        c -> c.put("trustProxy", true).with("realtime").put("tickMillis", 100))) {
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger sent = new AtomicInteger();
      Thread load = new Thread(() -> {
        long end = System.currentTimeMillis() + 14_000;
        while (System.currentTimeMillis() < end) {
          int n = sent.incrementAndGet();
          // a distinct client address each time: every accepted event is its own visitor
          HttpResponse<String> r = pulse.collect(visit(n), CHROME,
              "X-Forwarded-For", "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255));
          if (r.statusCode() == 202) {
            accepted.incrementAndGet();
          } else {
            refused.incrementAndGet();
          }
          sleepQuietly(20);
        }
      });
      try (SseClient stream = SseClient.open(pulse.base() + "/api/sites/demo/stream")) {
        assertNotNull(stream.nextMessage(Duration.ofSeconds(2)));
        load.start();
        Thread.sleep(2_000);
        redis.stop();
        Thread.sleep(1_500);

        HttpResponse<String> read = pulse.get("/api/sites/demo/realtime");
        assertEquals(503, read.statusCode(), read.body());
        assertEquals("store unavailable", json(read).path("error").asText());
        HttpResponse<String> health = pulse.get("/health");
        assertEquals(503, health.statusCode());
        assertTrue(json(health).path("error").asText().contains("store unavailable"));
        assertTrue(json(health).path("bufferedEvents").asInt() > 0, health.body());

        boolean staleSeen = false;
        long until = System.currentTimeMillis() + 7_000;
        while (System.currentTimeMillis() < until && !staleSeen) {
          SseClient.Frame f = stream.nextMessage(Duration.ofMillis(500));
          staleSeen = f != null && f.data().startsWith("{\"stale\":true,");
        }
        assertTrue(staleSeen, "an open stream is told its figures are stale");
        assertTrue(!stream.ended(), "the stream stays open through the outage");

        Thread.sleep(Math.max(0, 10_000 - 1_500 - 7_000));
        redis.restart();
        load.join();
      }
      assertEquals(0, refused.get(), "the buffer holds the outage; nothing is refused");
      int total = accepted.get();
      assertTrue(total > 100, "steady ingest ran: " + total);

      // every accepted event reaches Redis, in the day's pageview count and as a visitor
      long deadline = System.currentTimeMillis() + 20_000;
      JsonNode s = null;
      while (System.currentTimeMillis() < deadline) {
        HttpResponse<String> r = pulse.get("/api/sites/demo/realtime?window=1h");
        if (r.statusCode() == 200) {
          s = json(r);
          if (s.path("today").path("pageviews").asLong() >= total) {
            break;
          }
        }
        Thread.sleep(200);
      }
      assertNotNull(s, "reads recover by themselves");
      assertEquals(total, s.path("today").path("pageviews").asLong(), "zero lost");
      assertEquals(total, s.path("pageviews").asLong());
      assertEquals(total, s.path("activeVisitors").asLong());
      assertEquals(200, pulse.get("/health").statusCode());

      // the other instance's change-note subscription came back by itself too
      try (SseClient onB = SseClient.open(b.base() + "/api/sites/demo/stream?window=1h")) {
        assertNotNull(onB.nextMessage(Duration.ofSeconds(2)));
        assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/after\"}",
            CHROME, "X-Forwarded-For", "10.200.0.1").statusCode());
        boolean pushed = false;
        long until = System.currentTimeMillis() + 2_000;
        while (!pushed && System.currentTimeMillis() < until) {
          SseClient.Frame f = onB.nextMessage(Duration.ofMillis(200));
          pushed = f != null && f.data().contains("/after");
        }
        assertTrue(pushed, "a stream on the other instance gets pushes again after the outage");
      }
    } finally {
      b.close();
      redis.stop();
    }
  }

  @Test
  void aFullBufferAnswers503WithRetryAfterAndNeverDropsSilently() throws Exception {
    TestRedis redis = durableRedis();
    try (TestPulse pulse = TestPulse.start(redis.url(), Clock.systemUTC(),
        c -> c.with("limits").put("bufferEvents", 5))) {
      // the day's salt is read once while the store is up
      assertEquals(202, pulse.collect(visit(0), CHROME).statusCode());
      Thread.sleep(300);
      redis.stop();
      for (int i = 1; i <= 5; i++) {
        assertEquals(202, pulse.collect(visit(i), CHROME).statusCode(), "event " + i);
      }
      HttpResponse<String> full = pulse.collect(visit(6), CHROME);
      assertEquals(503, full.statusCode());
      assertEquals("5", full.headers().firstValue("Retry-After").orElse(""));
      assertTrue(json(full).path("error").asText().contains("buffer is full"));
      String array = "[" + visit(7) + "," + visit(8) + "]";
      assertEquals(503, pulse.collect(array, CHROME).statusCode());

      redis.restart();
      long deadline = System.currentTimeMillis() + 10_000;
      while (pulse.pulse().services().writer().buffered() > 0
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(0, pulse.pulse().services().writer().buffered());
      assertEquals(202, pulse.collect(visit(9), CHROME).statusCode(), "room again once flushed");
    } finally {
      redis.stop();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
