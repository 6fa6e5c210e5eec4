package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fathom's GET /v1/current_visitors?site_id=&detailed=true as Fathom's API reference documents it:
 * {@code total}, and with {@code detailed} the pages ({@code pathname}, {@code hostname},
 * {@code total}) and referrers ({@code referrer_hostname}, {@code referrer_pathname},
 * {@code total}); errors {@code {"error": "..."}} with 400 or 401.
 */
@Tag("server")
class FathomContractTest extends DropInHttpTest {
  private static final String AUTH = "Bearer " + FATH_TOKEN;
  private static final String NO_PERMISSION = "{\"error\": \"" + FathomApi.NO_PERMISSION + "\"}";

  private HttpResponse<String> current(String query, String... headers) {
    return pulse.get("/v1/current_visitors" + query, headers);
  }

  /** Two current visitors on /pricing (one from Google), one on /, one gone 20 minutes ago. */
  private void visitors() {
    clock.set(Instant.parse("2026-11-23T14:12:20Z"));
    pageview("fath", "https://fathom.example.com/old", "203.0.113.1", "FR");
    clock.set(Instant.parse("2026-11-23T14:30:00Z"));
    event("fath", "https://fathom.example.com/pricing", "203.0.113.2", "US",
        "\"referrer\":\"https://www.google.com/search?q=pulse\"");
    pageview("fath", "https://fathom.example.com/pricing", "203.0.113.3", "DE");
    pageview("fath", "https://fathom.example.com/", "203.0.113.4", "DE");
    clock.set(CompatHttpTest.NOW);
  }

  @Test
  void detailedListsPagesAndReferrersByCurrentVisitors() {
    visitors();
    assertStatusAndBody(200, """
        {"total": 3,
         "content": [{"pathname": "/pricing", "hostname": "fathom.example.com", "total": 2},
                     {"pathname": "/", "hostname": "fathom.example.com", "total": 1}],
         "referrers": [{"referrer_hostname": "google.com", "referrer_pathname": "",
                        "total": 1}]}""",
        current("?site_id=" + FATHOM_ID + "&detailed=true", "Authorization", AUTH));
  }

  @Test
  void withoutDetailedOnlyTheCount() {
    visitors();
    assertStatusAndBody(200, "{\"total\": 3}",
        current("?site_id=" + FATHOM_ID, "Authorization", AUTH));
    assertStatusAndBody(200, "{\"total\": 3}",
        current("?site_id=fath&detailed=false", "Authorization", AUTH));
  }

  @Test
  void errorsAreFathomsShape() {
    assertStatusAndBody(400, "{\"error\": \"" + FathomApi.SITE_REQUIRED + "\"}",
        current("", "Authorization", AUTH));
    assertStatusAndBody(400, "{\"error\": \"" + FathomApi.SITE_REQUIRED + "\"}",
        current("?site_id=", "Authorization", AUTH));
    assertStatusAndBody(401, NO_PERMISSION, current("?site_id=" + FATHOM_ID));
    assertStatusAndBody(401, NO_PERMISSION,
        current("?site_id=" + FATHOM_ID, "Authorization", "Bearer nope"));
    assertStatusAndBody(401, NO_PERMISSION,
        current("?site_id=" + FATHOM_ID, "Authorization", "Bearer " + PLAUS_TOKEN));
    assertStatusAndBody(401, NO_PERMISSION,
        current("?site_id=" + FATHOM_ID, "Authorization", "Bearer " + NO_SCOPE_TOKEN));
    assertStatusAndBody(401, NO_PERMISSION,
        current("?site_id=NOSUCH", "Authorization", AUTH));
    assertStatusAndBody(401, NO_PERMISSION,
        current("?site_id=%00%E2%80%AE", "Authorization", AUTH));
  }

  @Test
  void switchedOffTheDropInRoutesAreGone() {
    restart(c -> c.with("compat").put("fathom", false).put("plausibleStats", false));
    assertEquals(404, current("?site_id=" + FATHOM_ID, "Authorization", AUTH).statusCode());
    assertEquals(404, pulse.get("/api/v1/stats/realtime/visitors?site_id=plaus",
        "Authorization", "Bearer " + PLAUS_TOKEN).statusCode());
    assertEquals(404, pulse.post("/api/v2/query", "{}").statusCode());
  }
}
