package pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.IPHONE;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** Ingest and the native read API over real HTTP, with a real Redis behind them. */
@Tag("server")
class FoundationHttpTest {
  private static TestPulse pulse;

  @BeforeAll
  static void start() {
    TestRedis.shared().flushAll();
    pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> c.with("realtime").put("tickMillis", 100));
  }

  @AfterAll
  static void stop() {
    pulse.close();
  }

  /** Polls the snapshot until it shows what the test waits for (one tick at most). */
  static JsonNode awaitSnapshot(TestPulse pulse, String path, Predicate<JsonNode> done,
      String... headers) {
    long deadline = System.currentTimeMillis() + 3_000;
    JsonNode last = null;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<String> r = pulse.get(path, headers);
      assertEquals(200, r.statusCode(), r.body());
      last = json(r);
      if (done.test(last)) {
        return last;
      }
      sleep(50);
    }
    throw new AssertionError("snapshot never matched; last: " + last);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String event(String site, String url) {
    return "{\"site\":\"" + site + "\",\"url\":\"" + url + "\"}";
  }

  @Test
  void aPageviewPostedWithCurlShowsInTheSnapshotWithEnrichment() {
    String body = "{\"site\":\"shop\",\"url\":\"https://shop.example.com/pricing?plan=pro\","
        + "\"title\":\"Pricing\",\"referrer\":\"https://www.google.com/search?q=x\"}";
    HttpResponse<String> r = pulse.collect(body, IPHONE);
    assertEquals(202, r.statusCode(), r.body());
    assertEquals("", r.body());

    JsonNode s = awaitSnapshot(pulse, "/api/sites/shop/realtime", n -> n.path("pageviews").asLong() == 1,
        "Authorization", "Bearer " + TestPulse.SHOP_TOKEN);
    assertEquals("shop", s.path("site").asText());
    assertEquals(300, s.path("window").asInt());
    assertEquals(1, s.path("activeVisitors").asInt());
    assertEquals("/pricing", s.path("pages").get(0).path("path").asText());
    assertEquals(1, s.path("pages").get(0).path("visitors").asInt());
    assertEquals("google.com", s.path("referrers").get(0).path("domain").asText());
    assertEquals("Mobile Safari", s.path("browsers").get(0).path("name").asText());
    assertEquals("iOS", s.path("os").get(0).path("name").asText());
    assertEquals("mobile", s.path("devices").get(0).path("name").asText());
    JsonNode recent = s.path("recent").get(0);
    assertEquals("Pricing", recent.path("title").asText());
    assertTrue(recent.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertEquals(5, s.path("perMinute").size());
    assertEquals(1, s.path("today").path("pageviews").asInt());
    assertTrue(s.path("timestamp").asText().endsWith("Z"));
  }

  @Test
  void anArrayIsStoredWholeAndAnArrayWithOneBadEventIsRefusedWhole() {
    String good = "[" + event("demo", "http://demo.test/a") + "," + event("demo", "http://demo.test/b")
        + ",{\"site\":\"demo\",\"type\":\"heartbeat\",\"url\":\"http://demo.test/b\"}]";
    assertEquals(202, pulse.collect(good, CHROME, "X-Probe", "array").statusCode());
    String bad = "[" + event("demo", "http://demo.test/c") + ",{\"site\":\"demo\",\"url\":42}]";
    HttpResponse<String> r = pulse.collect(bad, CHROME);
    assertEquals(400, r.statusCode());
    assertEquals("events[1].url must be a string", json(r).path("error").asText());

    JsonNode s = awaitSnapshot(pulse, "/api/sites/demo/realtime?window=1h",
        n -> n.path("pages").toString().contains("/b"));
    assertFalse(s.path("pages").toString().contains("\"/c\""), "nothing of a refused array is stored");
  }

  @Test
  void everyBadRequestGetsItsStatusAndAJsonErrorNamingTheProblem() {
    assertError(pulse.collect("{not json", CHROME), 400, "body is not valid JSON");
    assertError(pulse.collect("", CHROME), 400, "body is empty");
    assertError(pulse.collect("[]", CHROME), 400, "events array is empty");
    assertError(pulse.collect("\"text\"", CHROME), 400, "body must be a JSON object");
    assertError(pulse.collect("{\"url\":\"http://localhost/\"}", CHROME), 400, "site is required");
    assertError(pulse.collect("{\"site\":\"demo\"}", CHROME), 400, "url is required");
    assertError(pulse.collect(event("demo", "/relative"), CHROME), 400,
        "url must be an absolute http or https URL");
    assertError(pulse.collect(event("demo", "javascript:alert(1)"), CHROME), 400,
        "url must be an absolute http or https URL");
    assertError(pulse.collect(event("demo", "http://localhost/" + "x".repeat(2100)), CHROME), 400,
        "url is longer than 2048 characters");
    assertError(pulse.collect("{\"site\":\"demo\",\"type\":\"click\",\"url\":\"http://localhost/\"}",
        CHROME), 400, "type must be one of pageview, heartbeat, event");
    assertError(pulse.collect("{\"site\":\"demo\",\"type\":\"event\",\"url\":\"http://localhost/\"}",
        CHROME), 400, "name is required");
    assertError(pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/\",\"title\":7}",
        CHROME), 400, "title must be a string");
    assertError(pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/\",\"returning\":\"yes\"}",
        CHROME), 400, "returning must be true or false");
    assertError(pulse.collect(event("nosuchsite", "http://localhost/"), CHROME), 404,
        "unknown site 'nosuchsite'");
    assertError(pulse.collect(event("pulse:{demo}*", "http://localhost/"), CHROME), 404,
        "unknown site");
    assertError(pulse.collect(event("demo", "https://evil.example.org/"), CHROME), 403,
        "url host 'evil.example.org' is not a domain of site 'demo'");
    assertError(pulse.collect(event("demo", "http://localhost/"), CHROME, "Origin",
        "https://evil.example.org"), 403, "Origin");
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 101; i++) {
      many.append(i == 0 ? "" : ",").append(event("demo", "http://localhost/"));
    }
    assertError(pulse.collect(many.append("]").toString(), CHROME), 400, "at most 100");
    String huge = "{\"site\":\"demo\",\"url\":\"http://localhost/\",\"title\":\""
        + "x".repeat(70_000) + "\"}";
    assertError(pulse.collect(huge, CHROME), 413, "body is larger than 65536 bytes");
    assertError(pulse.post("/api/collect", event("demo", "http://localhost/"),
        "Content-Type", "application/x-www-form-urlencoded", "User-Agent", CHROME), 415,
        "Content-Type must be application/json or text/plain");
    assertError(pulse.collect("[".repeat(50) + "]".repeat(50), CHROME), 400, "nests too deep");
    assertError(pulse.get("/api/nothing-here"), 404, "no such route");
  }

  static void assertError(HttpResponse<String> r, int status, String messagePart) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "JSON error body expected: " + r.headers().map());
    String error = json(r).path("error").asText();
    assertTrue(error.contains(messagePart), "error '" + error + "' should say '" + messagePart + "'");
  }

  @Test
  void longTitlesAreCutAndControlCharactersDropped() {
    String body = "{\"site\":\"blog\",\"url\":\"https://blog.example.com/t\",\"title\":\"A\\u0007B"
        + "y".repeat(600) + "\"}";
    assertEquals(202, pulse.collect(body, CHROME).statusCode());
    JsonNode s = awaitSnapshot(pulse, "/api/sites/blog/realtime", n -> n.path("pageviews").asInt() == 1,
        "Authorization", "Bearer " + TestPulse.BLOG_TOKEN);
    String title = s.path("recent").get(0).path("title").asText();
    assertEquals(512, title.length());
    assertTrue(title.startsWith("ABy"));
  }

  @Test
  void botsAreAnsweredButNeverCounted() {
    String body = event("demo", "http://localhost/bot-only-page");
    assertEquals(202, pulse.collect(body, TestPulse.GOOGLEBOT).statusCode());
    assertEquals(202, pulse.collect(body, "curl/8.5.0").statusCode());
    assertEquals(202, pulse.collect(event("demo", "http://localhost/human-marker"), CHROME).statusCode());
    JsonNode s = awaitSnapshot(pulse, "/api/sites/demo/realtime?window=1h",
        n -> n.path("pages").toString().contains("/human-marker"));
    assertFalse(s.path("pages").toString().contains("/bot-only-page"));
  }

  @Test
  void privateSitesNeedATokenForThatSiteWithTheRealtimeScope() {
    String path = "/api/sites/shop/realtime";
    // without a token of its own, a private site answers exactly as an unknown one
    String unknown = pulse.get("/api/sites/nosuch/realtime").body().replace("nosuch", "shop");
    for (String[] auth : new String[][] {{}, {"Authorization", "Bearer pk_notAToken"},
        {"Authorization", "Basic abc"}, {"Authorization", "Bearer " + TestPulse.BLOG_TOKEN}}) {
      HttpResponse<String> r = pulse.get(path, auth);
      assertError(r, 404, "unknown site 'shop'");
      assertEquals(unknown, r.body());
      assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty());
    }
    // a public site says what it needs
    HttpResponse<String> demoTicket = pulse.post("/api/sites/demo/stream-tickets", "");
    assertError(demoTicket, 401, "Authorization: Bearer");
    assertEquals("Bearer", demoTicket.headers().firstValue("WWW-Authenticate").orElse(""));
    // a token of the site itself without the scope learns that it lacks it
    assertError(pulse.get(path, "Authorization", "Bearer " + TestPulse.NO_SCOPE_TOKEN), 403,
        "may not read");
    HttpResponse<String> own = pulse.get(path, "Authorization", "Bearer " + TestPulse.SHOP_TOKEN);
    assertEquals(200, own.statusCode());
    assertEquals("no-cache", own.headers().firstValue("Cache-Control").orElse(""));
    // readable from any origin by whoever shows the token (a counter with data-token): a bearer
    // token is nothing a browser adds by itself, so CORS guards nothing here
    assertEquals("*", own.headers().firstValue("Access-Control-Allow-Origin").orElse("(none)"));
    assertEquals(200, pulse.get("/api/sites/site_shop/realtime", "Authorization",
        "Bearer " + TestPulse.ALL_TOKEN).statusCode());
    assertEquals("shop", json(pulse.get("/api/sites/site_shop/realtime", "Authorization",
        "Bearer " + TestPulse.SHOP_TOKEN)).path("site").asText());
  }

  @Test
  void publicSitesAnswerAnyoneWithCorsAndTheWindowParameterIsChecked() {
    HttpResponse<String> r = pulse.get("/api/sites/ws_demo/realtime?window=30s");
    assertEquals(200, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
    assertEquals(30, json(r).path("window").asInt());
    assertEquals(1, json(r).path("perMinute").size());
    assertEquals(300, json(pulse.get("/api/sites/demo/realtime?window=5m")).path("window").asInt());
    assertEquals(3600, json(pulse.get("/api/sites/demo/realtime?window=1h")).path("window").asInt());
    assertEquals(90, json(pulse.get("/api/sites/demo/realtime?window=90")).path("window").asInt());
    for (String bad : new String[] {"0", "-5", "61m", "2h", "3601", "abc", "1.5m", "5M", ""}) {
      assertError(pulse.get("/api/sites/demo/realtime?window=" + bad), 400, "window must be");
    }
    assertError(pulse.get("/api/sites/nope/realtime"), 404, "unknown site 'nope'");
    assertError(pulse.get("/api/sites/a:b/realtime"), 400, "site id must match");
  }

  @Test
  void theProxyIsTrustedOnlyWhenConfigured() {
    String body = event("demo", "http://localhost/proxy-check");
    // untrusted: forwarded headers are ignored, so both requests are the same visitor
    pulse.collect(body, FIREFOX, "X-Forwarded-For", "203.0.113.1", "CF-IPCountry", "FR");
    pulse.collect(body, FIREFOX, "X-Forwarded-For", "203.0.113.2", "CF-IPCountry", "FR");
    JsonNode s = awaitSnapshot(pulse, "/api/sites/demo/realtime?window=1h",
        n -> n.path("pages").toString().contains("/proxy-check"));
    assertFalse(s.path("countries").toString().contains("FR"));

    try (TestPulse trusting = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> c.put("trustProxy", true).with("realtime").put("tickMillis", 100))) {
      String blog = "{\"site\":\"blog\",\"url\":\"https://blog.example.com/proxied\"}";
      trusting.collect(blog, FIREFOX, "X-Forwarded-For", "203.0.113.1, 10.0.0.1", "CF-IPCountry", "FR");
      trusting.collect(blog, FIREFOX, "X-Forwarded-For", "203.0.113.2", "X-Country-Code", "jp");
      JsonNode t = awaitSnapshot(trusting, "/api/sites/blog/realtime?window=1h",
          n -> n.path("pages").toString().contains("/proxied") && n.path("countries").size() == 2,
          "Authorization", "Bearer " + TestPulse.BLOG_TOKEN);
      assertEquals("[{\"code\":\"FR\",\"visitors\":1},{\"code\":\"JP\",\"visitors\":1}]",
          t.path("countries").toString());
    }
  }

  private static final String FIREFOX = TestPulse.FIREFOX_LINUX;

  @Test
  void healthSaysTheStoreKind() {
    HttpResponse<String> r = pulse.get("/health");
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"ok\",\"store\":\"redis\"}", r.body());
  }

  @Test
  void aRestartedPulseOnTheSameRedisKeepsTheData() {
    String body = "{\"site\":\"demo\",\"url\":\"http://localhost/survives-restart\"}";
    try (TestPulse first = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> { })) {
      assertEquals(202, first.collect(body, CHROME).statusCode());
    }
    try (TestPulse second = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> { })) {
      // fails unless the second instance reads what the first one stored
      awaitSnapshot(second, "/api/sites/demo/realtime?window=1h",
          n -> n.path("pages").toString().contains("/survives-restart"));
    }
  }
}
