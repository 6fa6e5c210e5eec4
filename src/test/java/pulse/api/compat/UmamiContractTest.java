package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/** Umami's GET /api/realtime/{websiteId}, as that product documents it (the README says how Pulse maps it). */
@Tag("server")
class UmamiContractTest extends CompatHttpTest {
  private static final String AUTH = "Bearer " + TestPulse.ALL_TOKEN;
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String UNAUTHORIZED =
      "{\"error\": {\"message\": \"Unauthorized\", \"code\": \"unauthorized\", \"status\": 401}}";

  private HttpResponse<String> realtime(String website, String... headers) {
    return pulse.get("/api/realtime/" + website, headers);
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  @Test
  void pageviewsSessionsVisitorsAndTimestampAsDocumented() {
    // a session that began 20 minutes ago and is still going, and a new one without a country
    clock.set(Instant.parse("2026-11-23T14:12:20Z"));
    collect(pulse, "uma", "https://uma.example.com/", "203.0.113.1", "US",
        "\"title\":\"Home\"");
    clock.set(Instant.parse("2026-11-23T14:30:00Z"));
    collect(pulse, "uma", "https://uma.example.com/products?utm_source=news&category=electronics",
        "203.0.113.1", "US", "\"title\":\"Products\",\"referrer\":\"https://www.google.com/\"");
    clock.set(Instant.parse("2026-11-23T14:31:00.500Z"));
    collect(pulse, "uma", "https://uma.example.com/", "203.0.113.2", "ZZ",
        "\"title\":\"Home\"");
    clock.set(NOW);

    HttpResponse<String> r = realtime(TestPulse.UMAMI_UUID, "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", header(r, "Content-Type"));
    JsonNode body = parse(r.body());
    assertEquals(List.of("pageviews", "sessions", "visitors", "timestamp"), names(body));
    assertTrue(body.path("timestamp").isIntegralNumber(), "timestamp is a number");
    assertEquals(NOW.toEpochMilli(), body.path("timestamp").asLong());
    assertTrue(body.path("visitors").isIntegralNumber());
    assertEquals(2, body.path("visitors").asInt());

    // pageviews of the window, oldest first
    JsonNode pageviews = body.path("pageviews");
    assertEquals(2, pageviews.size());
    JsonNode products = pageviews.get(0);
    assertEquals(List.of("__id", "sessionId", "createdAt", "urlPath", "urlQuery",
        "referrerDomain", "pageTitle", "country", "browser", "os", "device"), names(products));
    assertTrue(products.path("__id").asText().matches(UUID), products.toString());
    assertTrue(products.path("sessionId").asText().matches(UUID));
    assertEquals("2026-11-23T14:30:00.000Z", products.path("createdAt").asText());
    assertEquals("/products", products.path("urlPath").asText());
    // only allow-listed query parameters are stored (README, Security)
    assertEquals("utm_source=news", products.path("urlQuery").asText());
    assertEquals("google.com", products.path("referrerDomain").asText());
    assertEquals("Products", products.path("pageTitle").asText());
    assertEquals("US", products.path("country").asText());
    assertEquals("Chrome", products.path("browser").asText());
    assertEquals("Windows", products.path("os").asText());
    assertEquals("desktop", products.path("device").asText());
    JsonNode home = pageviews.get(1);
    assertEquals("2026-11-23T14:31:00.500Z", home.path("createdAt").asText());
    assertEquals("", home.path("urlQuery").asText());
    assertTrue(home.path("urlQuery").isTextual());
    assertEquals("", home.path("referrerDomain").asText());
    assertTrue(home.path("country").isNull());

    // sessions with activity in the window, by the time they began
    JsonNode sessions = body.path("sessions");
    assertEquals(2, sessions.size());
    JsonNode first = sessions.get(0);
    assertEquals(List.of("__id", "sessionId", "createdAt", "country", "browser", "os", "device"),
        names(first));
    assertEquals("2026-11-23T14:12:20.000Z", first.path("createdAt").asText(),
        "createdAt is the session's first activity, before the window");
    assertEquals(products.path("sessionId"), first.path("sessionId"));
    assertEquals("US", first.path("country").asText());
    assertEquals("desktop", first.path("device").asText());
    assertEquals(home.path("sessionId"), sessions.get(1).path("sessionId"));
    assertNotEquals(first.path("sessionId"), sessions.get(1).path("sessionId"));
    assertTrue(first.path("__id").asText().matches(UUID));
    assertNotEquals(first.path("__id"), first.path("sessionId"));

    // ids are stable from one poll to the next
    clock.advanceSeconds(1);
    JsonNode again = parse(realtime("uma", "Authorization", AUTH).body());
    assertEquals(body.path("sessions"), again.path("sessions"));
    assertEquals(body.path("pageviews"), again.path("pageviews"));
  }

  @Test
  void theWindowIsFiveMinutes() {
    oneJustOutsideOneJustInside("uma", 300);
    JsonNode body = parse(realtime("uma", "Authorization", AUTH).body());
    assertEquals(1, body.path("visitors").asInt());
    assertEquals(1, body.path("sessions").size());
    assertEquals(1, body.path("pageviews").size());
    assertEquals("/in", body.path("pageviews").get(0).path("urlPath").asText());
  }

  @Test
  void withoutATokenThatMayReadTheWebsiteA401() {
    assertStatusAndBody(401, UNAUTHORIZED, realtime("uma"));
    assertStatusAndBody(401, UNAUTHORIZED, realtime("uma", "Authorization", "Basic eDp5"));
    assertStatusAndBody(401, UNAUTHORIZED,
        realtime("uma", "Authorization", "Bearer pk_noSuchToken000000000000001"));
    assertStatusAndBody(401, UNAUTHORIZED,
        realtime("uma", "Authorization", "Bearer " + TestPulse.BLOG_TOKEN));
    assertStatusAndBody(401, UNAUTHORIZED,
        realtime("uma", "Authorization", "Bearer " + TestPulse.NO_SCOPE_TOKEN));
    assertStatusAndBody(401, UNAUTHORIZED,
        realtime("550e8400-e29b-41d4-a716-000000000000", "Authorization", AUTH));
    // a public site still needs a token here
    assertStatusAndBody(401, UNAUTHORIZED, realtime("demo"));
    assertEquals(200, realtime("demo", "Authorization", AUTH).statusCode());
  }
}
