package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** Floods and spam: ingest rate limits per address and per site, referrer spam never counted. */
@Tag("server")
class AbuseTest {
  private static String event(String path) {
    return "{\"site\":\"blog\",\"url\":\"https://blog.example.com" + path + "\"}";
  }

  @Test
  void ingestIsLimitedPerClientAddressWith429AndRetryAfter() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), clock,
        c -> c.put("trustProxy", true).with("limits").put("ingestPerIpPerMinute", 3))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(202, pulse.collect(event("/ip" + i), CHROME, "X-Forwarded-For", "203.0.113.9")
            .statusCode());
      }
      HttpResponse<String> limited = pulse.collect(event("/ip3"), CHROME,
          "X-Forwarded-For", "203.0.113.9");
      assertEquals(429, limited.statusCode());
      assertEquals("30", limited.headers().firstValue("Retry-After").orElse(""));
      assertTrue(json(limited).path("error").asText().contains("too many events from this address"));
      assertEquals(202, pulse.collect(event("/other"), CHROME, "X-Forwarded-For", "203.0.113.10")
          .statusCode(), "another address is not limited");
      clock.advanceSeconds(30);
      assertEquals(202, pulse.collect(event("/next-minute"), CHROME,
          "X-Forwarded-For", "203.0.113.9").statusCode(), "the limit resets each minute");
    }
  }

  @Test
  void ingestIsLimitedPerSite() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), clock,
        c -> c.put("trustProxy", true).with("limits").put("ingestPerSitePerMinute", 2))) {
      assertEquals(202, pulse.collect(event("/s1"), CHROME, "X-Forwarded-For", "198.51.100.1")
          .statusCode());
      assertEquals(202, pulse.collect(event("/s2"), CHROME, "X-Forwarded-For", "198.51.100.2")
          .statusCode());
      HttpResponse<String> limited = pulse.collect(event("/s3"), CHROME,
          "X-Forwarded-For", "198.51.100.3");
      assertEquals(429, limited.statusCode());
      assertEquals("60", limited.headers().firstValue("Retry-After").orElse(""));
      assertTrue(json(limited).path("error").asText().contains("site 'blog'"));
      assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/\"}", CHROME,
          "X-Forwarded-For", "198.51.100.3").statusCode(), "other sites are not limited");
    }
  }

  @Test
  void referrerSpamIsAnsweredButNeverCounted() throws Exception {
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), java.time.Clock.systemUTC(),
        c -> c.with("realtime").put("tickMillis", 50))) {
      String spam = "{\"site\":\"shop\",\"url\":\"https://shop.example.com/spammed\","
          + "\"referrer\":\"https://www.semalt.com/crawler\"}";
      String spamSub = "{\"site\":\"shop\",\"url\":\"https://shop.example.com/spammed\","
          + "\"referrer\":\"http://free.buttons-for-website.com/\"}";
      String fine = "{\"site\":\"shop\",\"url\":\"https://shop.example.com/real\","
          + "\"referrer\":\"https://news.ycombinator.com/\"}";
      assertEquals(202, pulse.collect(spam, TestPulse.FIREFOX_LINUX).statusCode());
      assertEquals(202, pulse.collect(spamSub, TestPulse.FIREFOX_LINUX).statusCode());
      assertEquals(202, pulse.collect(fine, CHROME).statusCode());
      Thread.sleep(100);
      String body = pulse.get("/api/sites/shop/realtime?window=1h",
          "Authorization", "Bearer " + TestPulse.SHOP_TOKEN).body();
      assertTrue(body.contains("/real"), body);
      assertTrue(body.contains("news.ycombinator.com"), body);
      assertFalse(body.contains("/spammed"), body);
      assertFalse(body.contains("semalt"), body);
    }
  }
}
