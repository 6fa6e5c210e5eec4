package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * What the compatibility contract tests share: each test gets a fresh Pulse on the shared (flushed)
 * Redis with a clock the test moves (snapshots and caches follow it, so nothing waits on real
 * time), trusting proxy headers so each test visitor is its own IP with its own country.
 */
@Tag("server")
abstract class CompatHttpTest {
  static final Instant NOW = Instant.parse("2026-11-23T14:32:20Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  MutableClock clock;
  TestPulse pulse;

  @BeforeEach
  void startPulse() {
    clock = new MutableClock(NOW);
    pulse = start(clock);
  }

  @AfterEach
  void stopPulse() {
    pulse.close();
  }

  /** Starts this test's Pulse again with a changed configuration (the clock stays). */
  void restart(Consumer<ObjectNode> tweak) {
    pulse.close();
    pulse = start(clock, tweak);
  }

  static TestPulse start(MutableClock clock) {
    return start(clock, c -> { });
  }

  static TestPulse start(MutableClock clock, Consumer<ObjectNode> tweak) {
    TestRedis.shared().flushAll();
    return TestPulse.start(TestRedis.shared().url(), clock, c -> {
      c.put("trustProxy", true);
      c.with("realtime").put("tickMillis", 100);
      tweak.accept(c);
    });
  }

  /**
   * One event through /api/collect at the clock's time, from the browser at ip in country.
   *
   * @param extra more JSON members, e.g. {@code "type":"heartbeat"} or {@code "returning":true}
   */
  static void collect(TestPulse pulse, String site, String url, String ip, String country,
      String extra) {
    String body = "{\"site\":\"" + site + "\",\"url\":\"" + url + "\""
        + (extra.isEmpty() ? "" : "," + extra) + "}";
    HttpResponse<String> r = pulse.collect(body, TestPulse.CHROME, "X-Forwarded-For", ip,
        "CF-IPCountry", country);
    assertEquals(202, r.statusCode(), r.body());
  }

  static void pageview(TestPulse pulse, String site, String url, String ip, String country) {
    collect(pulse, site, url, ip, country, "");
  }

  /**
   * A visitor on /out, one millisecond later one on /in, then the clock one window on: the first
   * is one millisecond outside the window, the second exactly at its start (inside).
   */
  void oneJustOutsideOneJustInside(String site, int windowSeconds) {
    String origin = "https://" + site + ".example.com";
    pageview(pulse, site, origin + "/out", "203.0.113.1", "US");
    clock.advanceMillis(1);
    pageview(pulse, site, origin + "/in", "203.0.113.2", "US");
    clock.advanceMillis(windowSeconds * 1000L);
  }

  /**
   * A reader whose only pageview is older than the window but whose heartbeat is inside it, and a
   * visitor with a fresh pageview: products that count pageview activity see one visitor.
   */
  void aHeartbeatOnlyReaderAndAFreshVisitor(String site, int windowSeconds) {
    String origin = "https://" + site + ".example.com";
    pageview(pulse, site, origin + "/long-read", "203.0.113.7", "US");
    clock.advanceSeconds(windowSeconds + 60L);
    collect(pulse, site, origin + "/long-read", "203.0.113.7", "US", "\"type\":\"heartbeat\"");
    pageview(pulse, site, origin + "/fresh", "203.0.113.8", "US");
  }

  /** Moves past the snapshot tick so the next read computes anew. */
  static void nextTick(MutableClock clock) {
    clock.advanceMillis(100);
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** The body equals the expected JSON exactly: every field, its type and its value. */
  static void assertJson(String expected, HttpResponse<String> r) {
    assertEquals(parse(expected), parse(r.body()), r.body());
  }

  static void assertStatusAndBody(int status, String expectedJson, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "JSON expected: " + r.headers().map());
    assertJson(expectedJson, r);
  }

  static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }
}
