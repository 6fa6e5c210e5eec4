package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/** DataFast's GET /api/v1/analytics/realtime, as that product documents it (the README says how Pulse maps it). */
@Tag("server")
class DataFastContractTest extends CompatHttpTest {
  private static final String PATH = "/api/v1/analytics/realtime";
  private static final String KEY = "Bearer " + TestPulse.DF_KEY;
  private static final String ACCOUNT = "Bearer " + TestPulse.DFT_TOKEN;

  private HttpResponse<String> realtime(String query, String... headers) {
    return pulse.get(PATH + query, headers);
  }

  private static String error(int code, String message) {
    return "{\"status\": \"error\", \"error\": {\"code\": " + code + ", \"message\": \"" + message
        + "\"}}";
  }

  @Test
  void aWebsiteKeyNamesItsSiteAndAnAccountTokenNamesItWithWebsiteId() {
    pageview(pulse, "fast", "https://fast.example.com/", "203.0.113.1", "US");
    pageview(pulse, "fast", "https://fast.example.com/a", "203.0.113.2", "US");
    String expected = "{\"status\": \"success\", \"data\": [{\"visitors\": 2}]}";
    HttpResponse<String> r = realtime("", "Authorization", KEY);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", header(r, "Content-Type"));
    assertJson(expected, r);
    assertJson(expected, realtime("?fields=visitors", "Authorization", KEY));
    assertJson(expected, realtime("?websiteId=fast", "Authorization", KEY));
    assertJson(expected, realtime("?websiteId=665f0b3c4d2e1a0012345678", "Authorization", ACCOUNT));
    assertJson(expected, realtime("?websiteId=fast&fields=visitors", "Authorization", ACCOUNT));
    // an every-site token with analytics:read is an account token too
    assertJson(expected, realtime("?websiteId=fast", "Authorization",
        "Bearer " + TestPulse.ALL_TOKEN));
  }

  @Test
  void theWindowIsTenMinutes() {
    oneJustOutsideOneJustInside("fast", 600);
    assertJson("{\"status\": \"success\", \"data\": [{\"visitors\": 1}]}",
        realtime("", "Authorization", KEY));
  }

  @Test
  void onlyVisitorsWithPageviewActivityCountNotHeartbeatsAlone() {
    aHeartbeatOnlyReaderAndAFreshVisitor("fast", 600);
    assertJson("{\"status\": \"success\", \"data\": [{\"visitors\": 1}]}",
        realtime("", "Authorization", KEY));
  }

  @Test
  void everyErrorUsesTheEnvelope() {
    String noKey = error(401, "Missing API key: send Authorization: Bearer df_... or dft_...");
    assertStatusAndBody(401, noKey, realtime(""));
    assertStatusAndBody(401, noKey, realtime("", "Authorization", "Basic eDp5"));
    assertStatusAndBody(401, error(401, "Invalid API key"),
        realtime("", "Authorization", "Bearer df_noSuchKey00000000000000001"));
    String fields = error(400, "Invalid fields value: only 'visitors' is supported");
    assertStatusAndBody(400, fields, realtime("?fields=pageviews", "Authorization", KEY));
    assertStatusAndBody(400, fields, realtime("?fields=visitors,pageviews", "Authorization", KEY));
    assertStatusAndBody(400, error(400, "websiteId is required with an account token"),
        realtime("", "Authorization", ACCOUNT));
    assertStatusAndBody(404, error(404, "Website not found"),
        realtime("?websiteId=665f0b3c4d2e1a0000000000", "Authorization", ACCOUNT));
    assertStatusAndBody(403, error(403, "This token cannot access that website"),
        realtime("?websiteId=demo", "Authorization", "Bearer " + TestPulse.DFT_SHOP_TOKEN));
    // a private site the token does not cover is not told apart from an unknown one
    assertStatusAndBody(404, error(404, "Website not found"),
        realtime("?websiteId=fast", "Authorization", "Bearer " + TestPulse.DFT_SHOP_TOKEN));
    assertStatusAndBody(403, error(403, "This token lacks the analytics:read permission"),
        realtime("?websiteId=shop", "Authorization", "Bearer " + TestPulse.SHOP_TOKEN));
    assertStatusAndBody(403, error(403, "This API key cannot access that website"),
        realtime("?websiteId=demo", "Authorization", KEY));
    assertStatusAndBody(404, error(404, "Website not found"),
        realtime("?websiteId=shop", "Authorization", KEY));
    assertStatusAndBody(404, error(404, "Website not found"),
        realtime("?websiteId=nosuch", "Authorization", KEY));
    assertStatusAndBody(403, error(403, "A df_ website key must be bound to exactly one website"),
        realtime("", "Authorization", "Bearer " + TestPulse.DF_TWO_SITES_KEY));
  }

  @Test
  void aWebsiteKeyWithoutAReadScopeIsRefused() {
    pageview(pulse, "fast", "https://fast.example.com/secret", "203.0.113.1", "US");
    String noScope = error(403, "This API key lacks the realtime:read permission");
    assertStatusAndBody(403, noScope,
        realtime("", "Authorization", "Bearer " + TestPulse.DF_NO_SCOPE_KEY));
    assertStatusAndBody(403, noScope,
        realtime("?websiteId=fast", "Authorization", "Bearer " + TestPulse.DF_NO_SCOPE_KEY));
  }

  @Test
  void overTheRateLimitA429InTheEnvelopeWithRetryAfter() {
    for (int i = 0; i < DataFastApi.RATE_LIMIT; i++) {
      assertEquals(200, realtime("", "Authorization", KEY, "X-Forwarded-For", "192.0.2.1")
          .statusCode(), "request " + (i + 1));
    }
    HttpResponse<String> over = realtime("", "Authorization", KEY, "X-Forwarded-For", "192.0.2.1");
    assertStatusAndBody(429, error(429, "Rate limit exceeded: at most 300 requests per minute"),
        over);
    assertEquals("40", header(over, "Retry-After"));
    // even unauthenticated requests count and are refused first
    assertEquals(429, realtime("", "X-Forwarded-For", "192.0.2.1").statusCode());
    assertEquals(200, realtime("", "Authorization", KEY, "X-Forwarded-For", "192.0.2.2")
        .statusCode());
    clock.set(Instant.parse("2026-11-23T14:33:00Z"));
    assertEquals(1, parse(realtime("", "Authorization", KEY, "X-Forwarded-For", "192.0.2.1")
        .body()).path("data").size());
  }
}
