package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * Zenovay's public endpoints under /e, as that product documents them; plus the
 * day and session figures behind visitors.today, change and /e/stats.
 */
@Tag("server")
class ZenovayContractTest extends CompatHttpTest {
  private static final String CODE = "ZV_ZEN00000001";

  private static void assertCors(HttpResponse<String> r) {
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    assertEquals("GET, OPTIONS", header(r, "Access-Control-Allow-Methods"));
    assertEquals("Content-Type", header(r, "Access-Control-Allow-Headers"));
  }

  private HttpResponse<String> ok(String path, int ttl) {
    HttpResponse<String> r = pulse.get(path);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", header(r, "Content-Type"));
    assertEquals("public, max-age=" + ttl, header(r, "Cache-Control"));
    assertCors(r);
    return r;
  }

  @Test
  void liveAndStatusHaveExactlyTheDocumentedFields() {
    pageview(pulse, "zen", "https://zen.example.com/", "203.0.113.1", "US");
    clock.advanceSeconds(5);
    pageview(pulse, "zen", "https://zen.example.com/", "203.0.113.2", "US");
    assertJson("{\"liveCount\": 2, \"timestamp\": \"2026-11-23T14:32:25Z\"}",
        ok("/e/live/" + CODE, 5));
    assertJson("""
        {"active": true, "tracking_code": "ZV_ZEN00000001", "domain": "zen.example.com",
         "last_event": "2026-11-23T14:32:25Z"}""", ok("/e/" + CODE + "/status", 60));
    // any id or alias of the site; the answer names the code it was asked by
    assertEquals("ws_zen", parse(ok("/e/ws_zen/status", 60).body()).path("tracking_code").asText());
    assertEquals(2, parse(ok("/e/live/zen", 5).body()).path("liveCount").asInt());
  }

  @Test
  void statusIsActiveWhileTheLastEventIsUnder24HoursOld() {
    assertJson("""
        {"active": false, "tracking_code": "ZV_ZEN00000001", "domain": "zen.example.com",
         "last_event": null}""", ok("/e/" + CODE + "/status", 60));
    clock.set(NOW.minusSeconds(86_400));
    pageview(pulse, "zen", "https://zen.example.com/", "203.0.113.1", "US");
    clock.set(NOW.minusMillis(60_001));
    assertJson("""
        {"active": true, "tracking_code": "ZV_ZEN00000001", "domain": "zen.example.com",
         "last_event": "2026-11-22T14:32:20Z"}""", ok("/e/" + CODE + "/status", 60));
    clock.set(NOW);
    assertJson("""
        {"active": false, "tracking_code": "ZV_ZEN00000001", "domain": "zen.example.com",
         "last_event": "2026-11-22T14:32:20Z"}""", ok("/e/" + CODE + "/status", 60));
  }

  @Test
  void realtimeStatsAndTheDayAndSessionFigures() throws Exception {
    // The week's and month's visitors are HyperLogLog counts of ids made with each day's random
    // salt, and two of the month's twelve ids could fall in one register and count as one (it
    // happened once in a full run). Fixed salts make the ids, and so the counts, the same on
    // every run.
    DateTimeFormatter days = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    Instant firstDay = Instant.parse("2026-10-15T00:00:00Z");
    for (Instant d = firstDay; d.isBefore(NOW); d = d.plusSeconds(86_400)) {
      TestRedis.shared().command("SET", "pulse:salt:" + days.format(d), "test-" + days.format(d));
    }
    // yesterday: 3 visitors and 4 pageviews before 14:00, one more of each at 14:10, one at 15:00
    at("2026-11-22T09:00:00Z", "11", "/", "");
    at("2026-11-22T13:00:00Z", "12", "/", "");
    at("2026-11-22T13:00:30Z", "12", "/a", "");
    at("2026-11-22T13:05:00Z", "13", "/", "");
    at("2026-11-22T14:10:00Z", "14", "/", "");
    at("2026-11-22T15:00:00Z", "15", "/", "");
    // earlier in the week and the month, and one visitor 34 days ago
    at("2026-11-20T10:00:00Z", "16", "/", "");
    at("2026-10-30T10:00:00Z", "17", "/", "");
    at("2026-10-20T10:00:00Z", "18", "/", "");
    // today: a new one-page reader kept alive by heartbeats (a bounce of 60 s)
    at("2026-11-23T12:00:00Z", "1", "/", ",\"returning\":false");
    at("2026-11-23T12:00:30Z", "1", "/", ",\"type\":\"heartbeat\",\"returning\":false");
    at("2026-11-23T12:01:00Z", "1", "/", ",\"type\":\"heartbeat\",\"returning\":false");
    // a returning visitor reading three pages over 120 s
    at("2026-11-23T12:00:00Z", "2", "/", ",\"returning\":true");
    at("2026-11-23T12:01:00Z", "2", "/a", ",\"returning\":true");
    at("2026-11-23T12:02:00Z", "2", "/b", ",\"returning\":true");
    // a returning visitor back after a 40-minute gap: two sessions, two bounces
    at("2026-11-23T13:00:00Z", "3", "/", ",\"returning\":true");
    at("2026-11-23T13:40:00Z", "3", "/c", ",\"returning\":true");
    // two visitors on the site now (one without the returning flag)
    clock.set(Instant.parse("2026-11-23T14:29:00Z"));
    pageview(pulse, "zen", "https://zen.example.com/x", "203.0.113.4", "US");
    clock.set(Instant.parse("2026-11-23T14:29:30Z"));
    collect(pulse, "zen", "https://zen.example.com/", "203.0.113.5", "GB", "\"returning\":false");
    clock.set(Instant.parse("2026-11-23T14:30:00Z"));

    // yesterday up to 14:30 = all before 14:00 and half of the 14:00 hour: 3.5 visitors and
    // 4.5 pageviews; today 5 and 8: +42.9 % and +77.8 %
    assertJson("""
        {"visitors": {"current": 2, "today": 5, "change": 42.9},
         "pageViews": {"current": 2, "today": 8, "change": 77.8},
         "countries": [{"code": "GB", "name": "United Kingdom", "count": 1},
                       {"code": "US", "name": "United States", "count": 1}],
         "topPages": [{"path": "/", "visitors": 1}, {"path": "/x", "visitors": 1}],
         "timestamp": "2026-11-23T14:30:00Z"}""", ok("/e/realtime/ws_zen", 10));

    // 6 sessions, 5 bounces, 180 s in all, 8 pageviews; 2 new and 3 returning sessions flagged;
    // the week holds today's 5, yesterday's 5 and one more, the month one more again
    assertJson("""
        {"visitors": {"live": 2, "today": 5, "week": 11, "month": 12},
         "bounceRate": 0.83,
         "avgSessionDuration": 30,
         "pagesPerSession": 1.3,
         "newVisitorRate": 0.4,
         "returningVisitorRate": 0.6,
         "timestamp": "2026-11-23T14:30:00Z"}""", ok("/e/stats/" + CODE, 30));
  }

  private void at(String instant, String ipSuffix, String path, String extra) {
    clock.set(Instant.parse(instant));
    collect(pulse, "zen", "https://zen.example.com" + path, "198.51.100." + ipSuffix, "DE",
        "\"title\":\"t\"" + extra);
  }

  @Test
  void changeIsZeroWhenYesterdayHadNothingAndStatsAreZeroWithoutSessions() {
    assertJson("""
        {"visitors": {"current": 0, "today": 0, "change": 0.0},
         "pageViews": {"current": 0, "today": 0, "change": 0.0},
         "countries": [], "topPages": [], "timestamp": "2026-11-23T14:32:20Z"}""",
        ok("/e/realtime/" + CODE, 10));
    assertJson("""
        {"visitors": {"live": 0, "today": 0, "week": 0, "month": 0}, "bounceRate": 0.0,
         "avgSessionDuration": 0, "pagesPerSession": 0.0, "newVisitorRate": 0.0,
         "returningVisitorRate": 0.0, "timestamp": "2026-11-23T14:32:20Z"}""",
        ok("/e/stats/" + CODE, 30));
    pageview(pulse, "zen", "https://zen.example.com/", "203.0.113.1", "FR");
    clock.advanceSeconds(10);
    assertJson("""
        {"visitors": {"current": 1, "today": 1, "change": 0.0},
         "pageViews": {"current": 1, "today": 1, "change": 0.0},
         "countries": [{"code": "FR", "name": "France", "count": 1}],
         "topPages": [{"path": "/", "visitors": 1}], "timestamp": "2026-11-23T14:32:30Z"}""",
        ok("/e/realtime/" + CODE, 10));
  }

  @Test
  void eachAnswerIsComputedAtMostOncePerSitePerTtl() {
    String[][] endpoints = {{"/e/live/" + CODE, "5", "liveCount"},
        {"/e/realtime/" + CODE, "10", "timestamp"}, {"/e/stats/" + CODE, "30", "timestamp"},
        {"/e/" + CODE + "/status", "60", "active"}};
    String[] first = new String[endpoints.length];
    for (int i = 0; i < endpoints.length; i++) {
      first[i] = ok(endpoints[i][0], Integer.parseInt(endpoints[i][1])).body();
    }
    pageview(pulse, "zen", "https://zen.example.com/", "203.0.113.1", "US");
    // the minute recorder reads active sites as the clock crosses minutes: not a cached answer's
    pulse.pulse().services().minutes().stop();
    long snapshotsBefore = pulse.pulse().services().snapshots().computations();
    long start = NOW.toEpochMilli();
    for (int i = 0; i < endpoints.length; i++) {
      int ttl = Integer.parseInt(endpoints[i][1]);
      // just inside the TTL: the very same answer, though snapshots and the store have moved on
      clock.set(Instant.ofEpochMilli(start + ttl * 1000L - 1));
      for (int k = 0; k < 5; k++) {
        assertEquals(first[i], ok(endpoints[i][0], ttl).body(), endpoints[i][0]);
      }
      // by another alias of the same site, too: the cache is per site
      String byId = endpoints[i][0].replace(CODE, "zen");
      if (!byId.endsWith("/status")) {
        assertEquals(first[i], ok(byId, ttl).body());
      }
    }
    assertEquals(snapshotsBefore, pulse.pulse().services().snapshots().computations(),
        "no snapshot was computed for a cached answer");
    for (String[] endpoint : endpoints) {
      int ttl = Integer.parseInt(endpoint[1]);
      clock.set(Instant.ofEpochMilli(start + ttl * 1000L));
      String fresh = ok(endpoint[0], ttl).body();
      assertEquals(false, parse(fresh).equals(parse(first[indexOf(endpoints, endpoint)])),
          endpoint[0] + " is computed anew once its TTL has passed");
    }
  }

  private static int indexOf(String[][] all, String[] one) {
    for (int i = 0; i < all.length; i++) {
      if (all[i] == one) {
        return i;
      }
    }
    throw new AssertionError();
  }

  @Test
  void privateAndUnknownSitesAre404WithAJsonError() {
    String notFound = "{\"error\": \"Website not found\"}";
    for (String path : new String[] {"/e/live/shop", "/e/realtime/site_shop", "/e/stats/blog",
        "/e/shop/status", "/e/live/ZV_NOSUCH", "/e/nosuch/status", "/e/live/a%3Ab"}) {
      HttpResponse<String> r = pulse.get(path);
      assertStatusAndBody(404, notFound, r);
      assertCors(r);
    }
  }

  @Test
  void corsPreflightIsAnswered204() {
    HttpResponse<String> r = TestPulse.send(HttpRequest.newBuilder(
            URI.create(pulse.base() + "/e/live/" + CODE))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
        "Origin", "https://someone-elses-site.example", "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "Content-Type");
    assertEquals(204, r.statusCode());
    assertEquals("", r.body());
    assertCors(r);
    assertEquals(204, TestPulse.send(HttpRequest.newBuilder(
        URI.create(pulse.base() + "/e/" + CODE + "/status"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())).statusCode());
  }

  @Test
  void rateLimitsPerClientIpAndEndpointPerMinute() {
    // the clock stands at 14:32:20: 40 seconds are left of this minute
    String[][] endpoints = {{"/e/live/" + CODE, "1000"}, {"/e/realtime/" + CODE, "500"},
        {"/e/stats/" + CODE, "500"}, {"/e/" + CODE + "/status", "100"}};
    for (String[] endpoint : endpoints) {
      int limit = Integer.parseInt(endpoint[1]);
      for (int i = 0; i < limit; i++) {
        HttpResponse<String> r = pulse.get(endpoint[0], "X-Forwarded-For", "192.0.2.1");
        assertEquals(200, r.statusCode(), endpoint[0] + " request " + (i + 1));
      }
      HttpResponse<String> over = pulse.get(endpoint[0], "X-Forwarded-For", "192.0.2.1");
      assertStatusAndBody(429, "{\"error\": \"Rate limit exceeded: at most " + limit
          + " requests per minute\"}", over);
      assertEquals("40", header(over, "Retry-After"));
      assertCors(over);
      assertEquals(200, pulse.get(endpoint[0], "X-Forwarded-For", "192.0.2.2").statusCode(),
          "another client IP has its own count");
    }
    clock.set(Instant.parse("2026-11-23T14:33:00Z"));
    for (String[] endpoint : endpoints) {
      HttpResponse<String> r = pulse.get(endpoint[0], "X-Forwarded-For", "192.0.2.1");
      assertEquals(200, r.statusCode(), "a new minute, a new count");
      assertNull(header(r, "Retry-After"));
    }
  }
}
