package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Umami 3: GET /api/websites/{websiteId}/active and the current shape of GET
 * /api/realtime/{websiteId} for a site that chose it ("umamiRealtime": "v3"), with Umami's
 * status codes and error bodies.
 */
@Tag("server")
class Umami3ContractTest extends DropInHttpTest {
  private static final String AUTH = "Bearer " + UMA3_TOKEN;
  private static final String UNAUTHORIZED =
      "{\"error\": {\"message\": \"Unauthorized\", \"code\": \"unauthorized\", \"status\": 401}}";

  /** Three visitors: one 20 minutes ago (in Umami's 30, not its 5), two now (US and DE). */
  private void threeVisitors() {
    clock.set(Instant.parse("2026-11-23T14:12:20Z"));
    pageview("uma3", "https://uma3.example.com/old", "203.0.113.1", "FR");
    clock.set(Instant.parse("2026-11-23T14:31:10Z"));
    event("uma3", "https://uma3.example.com/pricing", "203.0.113.2", "US",
        "\"referrer\":\"https://news.ycombinator.com/item\"");
    clock.set(Instant.parse("2026-11-23T14:32:00Z"));
    pageview("uma3", "https://uma3.example.com/", "203.0.113.3", "DE");
    clock.set(Instant.parse("2026-11-23T14:32:01Z"));
    pageview("uma3", "https://uma3.example.com/pricing", "203.0.113.3", "DE");
    clock.set(CompatHttpTest.NOW);
  }

  @Test
  void activeCountsTheVisitorsOfTheLastFiveMinutes() {
    threeVisitors();
    HttpResponse<String> r = pulse.get("/api/websites/" + UMAMI3_UUID + "/active",
        "Authorization", AUTH);
    assertStatusAndBody(200, "{\"visitors\": 2}", r);
    // the canonical id names the site too
    assertStatusAndBody(200, "{\"visitors\": 2}",
        pulse.get("/api/websites/uma3/active", "Authorization", AUTH));
  }

  @Test
  void activeAndRealtimeAnswerUmamisUnauthorizedForEveryRefusal() {
    for (String path : List.of("/api/websites/" + UMAMI3_UUID + "/active",
        "/api/realtime/" + UMAMI3_UUID)) {
      assertStatusAndBody(401, UNAUTHORIZED, pulse.get(path));
      assertStatusAndBody(401, UNAUTHORIZED, pulse.get(path, "Authorization", "Bearer nope"));
      // a token of another site, and one of this site without realtime:read
      assertStatusAndBody(401, UNAUTHORIZED,
          pulse.get(path, "Authorization", "Bearer " + PLAUS_TOKEN));
    }
    assertStatusAndBody(401, UNAUTHORIZED, pulse.get(
        "/api/websites/00000000-0000-4000-8000-000000000000/active", "Authorization", AUTH));
    assertStatusAndBody(401, UNAUTHORIZED,
        pulse.get("/api/websites/%E2%80%AE..%2F/active", "Authorization", AUTH));
  }

  @Test
  void realtimeHasUmamisCurrentShapeOverThirtyMinutes() {
    threeVisitors();
    HttpResponse<String> r = pulse.get("/api/realtime/" + UMAMI3_UUID, "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = CompatHttpTest.parse(r.body());
    assertEquals(List.of("countries", "urls", "referrers", "events", "series", "totals",
        "timestamp"), names(body));
    assertEquals(CompatHttpTest.parse("{\"FR\": 1, \"US\": 1, \"DE\": 1}"),
        body.path("countries"));
    assertEquals(CompatHttpTest.parse("{\"/old\": 1, \"/pricing\": 2, \"/\": 1}"),
        body.path("urls"));
    assertEquals(CompatHttpTest.parse("{\"news.ycombinator.com\": 1}"), body.path("referrers"));
    assertEquals(CompatHttpTest.NOW.toEpochMilli(), body.path("timestamp").asLong());

    // newest first; a session row before (below) its first pageview
    JsonNode events = body.path("events");
    List<String> rows = new ArrayList<>();
    for (JsonNode e : events) {
      rows.add(e.path("__type").asText() + " " + e.path("urlPath").asText());
    }
    assertEquals(List.of("pageview /pricing", "pageview /", "session /", "pageview /pricing",
        "session /pricing", "pageview /old", "session /old"), rows);
    JsonNode newest = events.get(0);
    assertEquals(List.of("__type", "sessionId", "eventName", "createdAt", "browser", "os",
        "device", "country", "urlPath", "referrerDomain", "hostname"), names(newest));
    assertEquals("2026-11-23T14:32:01.000Z", newest.path("createdAt").asText());
    assertEquals("DE", newest.path("country").asText());
    assertEquals("uma3.example.com", newest.path("hostname").asText());
    assertEquals("", newest.path("eventName").asText());
    assertEquals(events.get(1).path("sessionId"), newest.path("sessionId"),
        "one visitor, one session id");

    assertEquals(CompatHttpTest.parse("""
        {"views": [{"x": "2026-11-23T14:12:00Z", "t": "2026-11-23T14:12:00Z", "y": 1},
                   {"x": "2026-11-23T14:31:00Z", "t": "2026-11-23T14:31:00Z", "y": 1},
                   {"x": "2026-11-23T14:32:00Z", "t": "2026-11-23T14:32:00Z", "y": 2}],
         "visitors": [{"x": "2026-11-23T14:12:00Z", "t": "2026-11-23T14:12:00Z", "y": 1},
                      {"x": "2026-11-23T14:31:00Z", "t": "2026-11-23T14:31:00Z", "y": 1},
                      {"x": "2026-11-23T14:32:00Z", "t": "2026-11-23T14:32:00Z", "y": 1}]}
        """), body.path("series"));
    assertEquals(CompatHttpTest.parse(
        "{\"views\": 4, \"visitors\": 3, \"events\": 0, \"countries\": 3}"), body.path("totals"));
  }

  @Test
  void realtimeTakesUmamisFilterParameters() {
    threeVisitors();
    HttpResponse<String> r = pulse.get("/api/realtime/" + UMAMI3_UUID + "?country=eq.DE"
        + "&timezone=Europe/Berlin", "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = CompatHttpTest.parse(r.body());
    assertEquals(CompatHttpTest.parse("{\"DE\": 1}"), body.path("countries"));
    assertEquals(2, body.path("totals").path("views").asInt(), r.body());

    nextTick();
    JsonNode byPath = CompatHttpTest.parse(pulse.get("/api/realtime/" + UMAMI3_UUID
        + "?path=/old", "Authorization", AUTH).body());
    assertEquals(CompatHttpTest.parse("{\"FR\": 1}"), byPath.path("countries"));
  }

  @Test
  void filtersPulseCannotApplyAreUmamisBadRequest() {
    for (String query : List.of("title=Pricing", "country=neq.DE", "country=DE,FR",
        "country=Germany", "city=Berlin", "segment=" + UMAMI3_UUID)) {
      HttpResponse<String> r = pulse.get("/api/realtime/" + UMAMI3_UUID + "?" + query,
          "Authorization", AUTH);
      assertEquals(400, r.statusCode(), query + ": " + r.body());
      JsonNode error = CompatHttpTest.parse(r.body()).path("error");
      assertEquals("bad-request", error.path("code").asText(), r.body());
      assertEquals(400, error.path("status").asInt());
      assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty());
    }
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
