package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/** ztas.io's GET /api/realtime?siteId=, as that product documents it (the README says how Pulse maps it). */
@Tag("server")
class ZtasContractTest extends CompatHttpTest {
  private static final String AUTH = "Bearer " + TestPulse.ALL_TOKEN;

  private HttpResponse<String> realtime(String query, String... headers) {
    return pulse.get("/api/realtime" + query, headers);
  }

  @Test
  void everyDocumentedFieldWithItsTypeAndValue() {
    clock.set(Instant.parse("2026-11-23T14:28:05Z"));
    pageview(pulse, "ztas", "https://ztas.example.com/pricing", "203.0.113.1", "US");
    clock.set(Instant.parse("2026-11-23T14:30:10Z"));
    pageview(pulse, "ztas", "https://ztas.example.com/", "203.0.113.2", "GB");
    clock.set(Instant.parse("2026-11-23T14:32:15Z"));
    pageview(pulse, "ztas", "https://ztas.example.com/pricing", "203.0.113.3", "ZZ");
    clock.set(NOW);

    HttpResponse<String> r = realtime("?siteId=site_abc123", "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("no-cache", header(r, "Cache-Control"));
    assertEquals("application/json", header(r, "Content-Type"));
    assertJson("""
        {"activeVisitors": 3,
         "pageviewsLast5Min": 3,
         "pageBreakdown": {"/pricing": 2, "/": 1},
         "recentPageviews": [
           {"page": "/pricing", "timestamp": "2026-11-23T14:32:15Z", "country": null},
           {"page": "/", "timestamp": "2026-11-23T14:30:10Z", "country": "GB"},
           {"page": "/pricing", "timestamp": "2026-11-23T14:28:05Z", "country": "US"}],
         "visitorsPerMinute": [
           {"minute": "14:28", "visitors": 1}, {"minute": "14:29", "visitors": 0},
           {"minute": "14:30", "visitors": 1}, {"minute": "14:31", "visitors": 0},
           {"minute": "14:32", "visitors": 1}],
         "timestamp": "2026-11-23T14:32:20Z"}
        """, r);
    // the canonical id answers the same
    assertEquals(parse(r.body()), parse(realtime("?siteId=ztas", "Authorization", AUTH).body()));
  }

  @Test
  void recentPageviewsHoldsTheNewestTwentyNewestFirst() {
    for (int i = 0; i < 25; i++) {
      pageview(pulse, "ztas", "https://ztas.example.com/p" + i, "203.0.113.7", "DE");
      clock.advanceSeconds(1);
    }
    JsonNode body = parse(realtime("?siteId=ztas", "Authorization", AUTH).body());
    assertEquals(25, body.path("pageviewsLast5Min").asInt());
    assertEquals(20, body.path("recentPageviews").size());
    assertEquals("/p24", body.path("recentPageviews").get(0).path("page").asText());
    assertEquals("/p5", body.path("recentPageviews").get(19).path("page").asText());
    // one visitor, on the page of their latest pageview
    assertEquals(parse("{\"/p24\": 1}"), body.path("pageBreakdown"));
  }

  @Test
  void theWindowIsFiveMinutes() {
    oneJustOutsideOneJustInside("ztas", 300);
    JsonNode body = parse(realtime("?siteId=ztas", "Authorization", AUTH).body());
    assertEquals(1, body.path("activeVisitors").asInt());
    assertEquals(1, body.path("pageviewsLast5Min").asInt());
    assertEquals(parse("{\"/in\": 1}"), body.path("pageBreakdown"));
    assertEquals(1, body.path("recentPageviews").size());
  }

  @Test
  void errorsAreTheDocumentedOnes() {
    String required = "{\"error\": \"Site ID required\"}";
    String denied = "{\"error\": \"Access denied\"}";
    assertStatusAndBody(400, required, realtime("", "Authorization", AUTH));
    assertStatusAndBody(400, required, realtime("?siteId=", "Authorization", AUTH));
    assertStatusAndBody(400, required, realtime(""));
    // a token is needed even for a public site
    assertStatusAndBody(403, denied, realtime("?siteId=ztas"));
    assertStatusAndBody(403, denied, realtime("?siteId=ztas", "Authorization", "Basic eDp5"));
    assertStatusAndBody(403, denied,
        realtime("?siteId=ztas", "Authorization", "Bearer pk_noSuchToken000000000000001"));
    assertStatusAndBody(403, denied,
        realtime("?siteId=ztas", "Authorization", "Bearer " + TestPulse.BLOG_TOKEN));
    assertStatusAndBody(403, denied,
        realtime("?siteId=ztas", "Authorization", "Bearer " + TestPulse.NO_SCOPE_TOKEN));
    assertStatusAndBody(403, denied, realtime("?siteId=nosuchsite", "Authorization", AUTH));
    assertStatusAndBody(403, denied, realtime("?siteId=a%3Ab", "Authorization", AUTH));
    assertEquals(200, realtime("?siteId=blog", "Authorization",
        "Bearer " + TestPulse.BLOG_TOKEN).statusCode());
  }

  @Test
  void switchedOffInConfigTheRouteIsGone() {
    restart(c -> c.with("compat").put("ztas", false));
    HttpResponse<String> r = realtime("?siteId=ztas", "Authorization", AUTH);
    assertEquals(404, r.statusCode());
    assertEquals("no such route: GET /api/realtime", parse(r.body()).path("error").asText());
  }
}
