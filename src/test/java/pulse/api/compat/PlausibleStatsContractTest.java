package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Plausible's Stats API as Plausible's source answers it: GET /api/v1/stats/realtime/visitors (a
 * bare integer) and POST /api/v2/query ({@code results}, {@code meta}, {@code query}) for the
 * ranges Pulse holds; its error bodies and statuses, in its order of checks.
 */
@Tag("server")
class PlausibleStatsContractTest extends DropInHttpTest {
  private static final String AUTH = "Bearer " + PLAUS_TOKEN;

  /**
   * A (FR) 20 minutes ago; B (US) from Hacker News on /pricing 4 minutes ago, then a signup; C
   * (DE) on / and /pricing just now.
   */
  private void threeVisitors() {
    clock.set(Instant.parse("2026-11-23T14:12:20Z"));
    pageview("plaus", "https://plausible.example.com/old", "203.0.113.1", "FR");
    clock.set(Instant.parse("2026-11-23T14:28:00Z"));
    event("plaus", "https://plausible.example.com/pricing", "203.0.113.2", "US",
        "\"referrer\":\"https://news.ycombinator.com/item\"");
    clock.set(Instant.parse("2026-11-23T14:29:00Z"));
    event("plaus", "https://plausible.example.com/pricing", "203.0.113.2", "US",
        "\"type\":\"event\",\"name\":\"signup\"");
    clock.set(Instant.parse("2026-11-23T14:32:00Z"));
    pageview("plaus", "https://plausible.example.com/", "203.0.113.3", "DE");
    clock.set(Instant.parse("2026-11-23T14:32:01Z"));
    pageview("plaus", "https://plausible.example.com/pricing", "203.0.113.3", "DE");
    clock.set(CompatHttpTest.NOW);
  }

  private HttpResponse<String> realtime(String query, String... headers) {
    return pulse.get("/api/v1/stats/realtime/visitors" + query, headers);
  }

  private HttpResponse<String> query(String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/json";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return pulse.post("/api/v2/query", body, all);
  }

  @Test
  void realtimeVisitorsIsABareIntegerOfTheLastFiveMinutes() {
    threeVisitors();
    for (String site : List.of("plausible.example.com", "www.plausible.example.com", "plaus")) {
      HttpResponse<String> r = realtime("?site_id=" + site, "Authorization", AUTH);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("2", r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(
          "application/json"));
    }
  }

  @Test
  void keyAndSiteErrorsArePlausiblesInItsOrder() {
    String missingKey = "{\"error\": \"" + PlausibleStatsApi.MISSING_KEY + "\"}";
    String invalid = "{\"error\": \"" + PlausibleStatsApi.INVALID_KEY + "\"}";
    String missingSite = "{\"error\": \"" + PlausibleStatsApi.MISSING_SITE + "\"}";
    assertStatusAndBody(401, missingKey, realtime("?site_id=plausible.example.com"));
    assertStatusAndBody(401, missingKey, realtime("?site_id=plausible.example.com",
        "Authorization", "Basic abc"));
    // an unknown key is refused before the site id is looked at
    assertStatusAndBody(401, invalid, realtime("", "Authorization", "Bearer nope"));
    assertStatusAndBody(400, missingSite, realtime("", "Authorization", AUTH));
    assertStatusAndBody(401, invalid, realtime("?site_id=unknown.example.com",
        "Authorization", AUTH));
    assertStatusAndBody(401, invalid, realtime("?site_id=plausible.example.com",
        "Authorization", "Bearer " + FATH_TOKEN));
    assertStatusAndBody(401, invalid, realtime("?site_id=plausible.example.com",
        "Authorization", "Bearer " + NO_SCOPE_TOKEN));
    // the same checks on the query endpoint, with site_id in the body
    assertStatusAndBody(401, missingKey, query("{\"site_id\": \"plausible.example.com\"}"));
    assertStatusAndBody(400, missingSite, query("{\"metrics\": [\"visitors\"]}",
        "Authorization", AUTH));
    assertStatusAndBody(400, missingSite, query("{\"site_id\": 42}", "Authorization", AUTH));
    assertStatusAndBody(401, invalid, query("{\"site_id\": \"plausible.example.com\"}",
        "Authorization", "Bearer " + FATH_TOKEN));
  }

  @Test
  void aDatetimeRangeOfTheLastHourIsAnsweredFromItsSnapshot() {
    threeVisitors();
    HttpResponse<String> r = query("""
        {"site_id": "plausible.example.com", "metrics": ["visitors", "pageviews", "events"],
         "date_range": ["2026-11-23T14:22:20Z", "2026-11-23T15:32:20+01:00"]}""",
        "Authorization", AUTH);
    assertStatusAndBody(200, """
        {"results": [{"dimensions": [], "metrics": [2, 3, 4]}],
         "meta": {},
         "query": {"site_id": "plausible.example.com",
                   "metrics": ["visitors", "pageviews", "events"],
                   "date_range": ["2026-11-23T14:22:20Z", "2026-11-23T14:32:20Z"],
                   "filters": [], "dimensions": [], "order_by": [["visitors", "desc"]],
                   "include": {}, "pagination": {"limit": 10000, "offset": 0}}}""", r);
  }

  @Test
  void dimensionsBreakTheWindowDown() {
    threeVisitors();
    JsonNode pages = results("[\"event:page\"]", "[\"visitors\", \"pageviews\"]", "\"30m\"");
    assertEquals(CompatHttpTest.parse("""
        [{"dimensions": ["/pricing"], "metrics": [2, 2]},
         {"dimensions": ["/old"], "metrics": [1, 1]},
         {"dimensions": ["/"], "metrics": [0, 1]}]"""), pages);
    assertEquals(CompatHttpTest.parse("""
        [{"dimensions": ["DE"], "metrics": [1]}, {"dimensions": ["FR"], "metrics": [1]},
         {"dimensions": ["US"], "metrics": [1]}]"""),
        results("[\"visit:country\"]", "[\"visitors\"]", "\"30m\""));
    assertEquals(CompatHttpTest.parse("[{\"dimensions\": [\"Desktop\"], \"metrics\": [2]}]"),
        results("[\"visit:device\"]", "[\"visitors\"]", "\"realtime\""));
    assertEquals(CompatHttpTest.parse(
        "[{\"dimensions\": [\"news.ycombinator.com\"], \"metrics\": [1]}]"),
        results("[\"visit:source\"]", "[\"visitors\"]", "\"realtime\""));
    assertEquals(CompatHttpTest.parse("[{\"dimensions\": [\"signup\"], \"metrics\": [1, 1]}]"),
        results("[\"event:goal\"]", "[\"visitors\", \"events\"]", "\"realtime\""));
  }

  private JsonNode results(String dimensions, String metrics, String range) {
    nextTick();
    HttpResponse<String> r = query("{\"site_id\": \"plaus\", \"metrics\": " + metrics
        + ", \"date_range\": " + range + ", \"dimensions\": " + dimensions + "}",
        "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    return CompatHttpTest.parse(r.body()).path("results");
  }

  @Test
  void dayIsAnsweredFromTheDaysFigures() {
    threeVisitors();
    HttpResponse<String> r = query("""
        {"site_id": "plausible.example.com", "metrics": ["pageviews", "visitors"],
         "date_range": "day"}""", "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = CompatHttpTest.parse(r.body());
    assertEquals(CompatHttpTest.parse("[{\"dimensions\": [], \"metrics\": [4, 3]}]"),
        body.path("results"));
    assertEquals(CompatHttpTest.parse("[\"2026-11-23T00:00:00Z\", \"2026-11-23T23:59:59Z\"]"),
        body.path("query").path("date_range"));
  }

  @Test
  void whatPulseDoesNotHoldIsPlausiblesBadRequest() {
    for (String body : List.of(
        "{\"metrics\": [\"visitors\"], \"date_range\": \"7d\"}",
        "{\"metrics\": [\"visitors\"], \"date_range\": [\"2026-11-23\", \"2026-11-23\"]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": [\"2026-11-23T12:00:00Z\","
            + " \"2026-11-23T14:32:20Z\"]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": [\"2026-11-23T14:22:00Z\","
            + " \"2026-11-23T14:25:00Z\"]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": [\"yesterday\", \"now\"]}",
        "{\"metrics\": [\"visitors\"]}",
        "{\"metrics\": [\"bounce_rate\"], \"date_range\": \"realtime\"}",
        "{\"metrics\": [\"nonsense\"], \"date_range\": \"realtime\"}",
        "{\"metrics\": [], \"date_range\": \"realtime\"}",
        "{\"metrics\": \"visitors\", \"date_range\": \"realtime\"}",
        "{\"metrics\": [\"visitors\", \"visitors\"], \"date_range\": \"realtime\"}",
        "{\"metrics\": [\"events\"], \"date_range\": \"day\"}",
        "{\"metrics\": [\"visitors\"], \"date_range\": \"day\", \"dimensions\": [\"event:page\"]}",
        "{\"metrics\": [\"pageviews\"], \"date_range\": \"realtime\","
            + " \"dimensions\": [\"visit:country\"]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": \"realtime\","
            + " \"dimensions\": [\"visit:city\"]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": \"realtime\","
            + " \"dimensions\": [\"event:page\", \"visit:country\"]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": \"realtime\","
            + " \"filters\": [[\"is\", \"visit:country\", [\"DE\"]]]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": \"realtime\","
            + " \"include\": {\"total_rows\": true}}",
        "{\"metrics\": [\"visitors\"], \"date_range\": \"realtime\", \"order_by\": [[\"x\"]]}",
        "{\"metrics\": [\"visitors\"], \"date_range\": \"realtime\","
            + " \"pagination\": {\"limit\": 0}}")) {
      String withSite = "{\"site_id\": \"plausible.example.com\", " + body.substring(1);
      HttpResponse<String> r = query(withSite, "Authorization", AUTH);
      assertEquals(400, r.statusCode(), withSite + " -> " + r.body());
      JsonNode error = CompatHttpTest.parse(r.body());
      assertEquals(1, error.size(), r.body());
      assertTrue(error.path("error").isTextual() && !error.path("error").asText().isEmpty(),
          r.body());
    }
    HttpResponse<String> huge = query("{\"site_id\": \"" + "x".repeat(200_000) + "\"}",
        "Authorization", AUTH);
    assertEquals(413, huge.statusCode(), huge.body());
    assertTrue(CompatHttpTest.parse(huge.body()).path("error").isTextual(), huge.body());
    for (String notAQuery : List.of("not json", "[1, 2]", "", "\"text\"", "{\"site_id\":")) {
      HttpResponse<String> r = query(notAQuery, "Authorization", AUTH);
      assertEquals(400, r.statusCode(), notAQuery + " -> " + r.body());
      assertTrue(CompatHttpTest.parse(r.body()).path("error").isTextual(), r.body());
    }
  }

  /** Plausible's query is a read that is posted, Fathom's under /v1/: both count as reads. */
  @Test
  void theDropInReadsCountAgainstTheAddressesReadLimit() {
    restart(c -> c.with("limits").put("readsPerIpPerMinute", 2));
    String body = "{\"site_id\": \"plaus\", \"metrics\": [\"visitors\"],"
        + " \"date_range\": \"realtime\"}";
    assertEquals(200, query(body, "Authorization", AUTH).statusCode());
    assertEquals(200, pulse.get("/v1/current_visitors?site_id=" + FATHOM_ID,
        "Authorization", "Bearer " + FATH_TOKEN).statusCode());
    HttpResponse<String> third = query(body, "Authorization", AUTH);
    assertEquals(429, third.statusCode(), third.body());
    assertTrue(CompatHttpTest.parse(third.body()).path("error").isTextual(), third.body());
    assertTrue(third.headers().firstValue("Retry-After").isPresent());
    assertEquals(429, pulse.get("/v1/current_visitors?site_id=" + FATHOM_ID,
        "Authorization", "Bearer " + FATH_TOKEN).statusCode());
  }
}
