package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** Versatailor's GET /api/v1/realtime?websiteId=, as that product documents it (the README says how Pulse maps it). */
@Tag("server")
class VersatailorContractTest extends CompatHttpTest {
  private static final String AUTH = "Bearer " + TestPulse.VT_TOKEN;

  private HttpResponse<String> realtime(String query, String... headers) {
    return pulse.get("/api/v1/realtime" + query, headers);
  }

  private static String error(String message) {
    return "{\"error\": \"" + message + "\"}";
  }

  @Test
  void theDocumentedResponse() {
    pageview(pulse, "vers", "https://vers.example.com/pricing", "203.0.113.1", "US");
    pageview(pulse, "vers", "https://vers.example.com/", "203.0.113.2", "US");
    clock.advanceMillis(250);
    HttpResponse<String> r = realtime("?websiteId=site_vers", "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", header(r, "Content-Type"));
    assertJson("""
        {"currentVisitors": 2, "websiteId": "site_vers", "timestamp": "2026-11-23T14:32:20.250Z"}
        """, r);
    assertEquals("vers", parse(realtime("?websiteId=vers", "Authorization", AUTH).body())
        .path("websiteId").asText());
  }

  @Test
  void theWindowIsThreeMinutes() {
    oneJustOutsideOneJustInside("vers", 180);
    assertEquals(1, parse(realtime("?websiteId=vers", "Authorization", AUTH).body())
        .path("currentVisitors").asInt());
    // one snapshot tick on, the second visitor has left the window too
    nextTick(clock);
    assertEquals(0, parse(realtime("?websiteId=vers", "Authorization", AUTH).body())
        .path("currentVisitors").asInt());
  }

  @Test
  void onlyVisitorsWithAPageviewInTheWindowCountNotHeartbeatsAlone() {
    aHeartbeatOnlyReaderAndAFreshVisitor("vers", 180);
    assertEquals(1, parse(realtime("?websiteId=vers", "Authorization", AUTH).body())
        .path("currentVisitors").asInt());
  }

  @Test
  void everyErrorWithItsMessageInTheDocumentedOrder() {
    String missing = error("Missing or invalid authorization header. Expected: Bearer <token>");
    assertStatusAndBody(401, missing, realtime("?websiteId=vers"));
    assertStatusAndBody(401, missing, realtime("?websiteId=vers", "Authorization", "Basic eDp5"));
    assertStatusAndBody(401, missing, realtime("", "Authorization", "vt_versOnlyToken0000000001"));
    // the token's format is checked before anything else is looked at
    String format = error("Invalid token format");
    for (String bad : List.of(TestPulse.SHOP_TOKEN, "vt_short", "vt_" + "a".repeat(15),
        "vt_abcdefgh-ijklmnop", "VT_abcdefghijklmnopq", "xvt_abcdefghijklmnopq")) {
      assertStatusAndBody(401, format, realtime("", "Authorization", "Bearer " + bad));
    }
    String unknownButWellFormed = "Bearer vt_" + "Z".repeat(16);
    assertStatusAndBody(400, error("websiteId is required"),
        realtime("", "Authorization", unknownButWellFormed));
    assertStatusAndBody(400, error("websiteId is required"),
        realtime("?websiteId=", "Authorization", AUTH));
    assertStatusAndBody(404, error("Website not found"),
        realtime("?websiteId=nosuchsite", "Authorization", unknownButWellFormed));
    // demo has no token bound to it alone (only an every-site token covers it)
    assertStatusAndBody(401, error("No API token configured for this website"),
        realtime("?websiteId=demo", "Authorization", AUTH));
    // a private site without a token of its own answers as an unknown one
    assertStatusAndBody(404, error("Website not found"),
        realtime("?websiteId=vers", "Authorization", unknownButWellFormed));
    assertStatusAndBody(404, error("Website not found"),
        realtime("?websiteId=vers", "Authorization", "Bearer " + TestPulse.VT_BLOG_TOKEN));
    assertEquals(200, realtime("?websiteId=blog", "Authorization",
        "Bearer " + TestPulse.VT_BLOG_TOKEN).statusCode());
  }

  @Test
  void anythingUnexpectedIsA500WithTheDocumentedMessage() {
    TestRedis own = TestRedis.startProcess(List.of());
    try (TestPulse onOwnRedis = TestPulse.start(own.url(), clock, c -> { })) {
      assertEquals(200, onOwnRedis.get("/api/v1/realtime?websiteId=vers", "Authorization", AUTH)
          .statusCode());
      own.stop();
      clock.advanceSeconds(1);
      assertStatusAndBody(500, error("Internal server error"),
          onOwnRedis.get("/api/v1/realtime?websiteId=vers", "Authorization", AUTH));
    } finally {
      own.stop();
    }
  }
}
