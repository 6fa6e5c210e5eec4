package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/**
 * Matomo's Reporting API for live figures: Live.getCounters and Live.getLastVisitsDetails in
 * Matomo's shapes and types, and Matomo's error body and status for what fails.
 */
@Tag("server")
class MatomoApiTest extends MatomoHttpTest {
  private static final String COUNTERS =
      "/index.php?module=API&method=Live.getCounters&idSite=7&lastMinutes=30&format=JSON";

  private HttpResponse<String> api(String path) {
    return pulse.get(path);
  }

  private void visits() {
    pageview(pulse, "mato", ORIGIN + "/", "203.0.113.1", "DE");
    clock.advanceSeconds(40);
    collect(pulse, "mato", ORIGIN + "/pricing?plan=pro", "203.0.113.1", "DE",
        "\"title\":\"Pricing\",\"referrer\":\"https://news.example.org/x\"");
    pageview(pulse, "mato", ORIGIN + "/docs", "203.0.113.2", "");
    collect(pulse, "mato", ORIGIN + "/docs", "203.0.113.2", "",
        "\"type\":\"event\",\"name\":\"Signup\"");
    pulse.awaitWritten();
    nextTick(clock);
  }

  @Test
  void liveGetCountersIsMatomosOneRowOfIntegers() {
    visits();
    HttpResponse<String> r = api(COUNTERS + "&token_auth=" + READ_TOKEN);
    assertStatusAndBody(200,
        "[{\"visits\":2,\"actions\":4,\"visitors\":2,\"visitsConverted\":0}]", r);
    assertEquals("no-store", header(r, "Cache-Control"));

    HttpResponse<String> post = pulse.post(COUNTERS.replace("&format=JSON", ""),
        "format=JSON&token_auth=" + READ_TOKEN, "Content-Type",
        "application/x-www-form-urlencoded");
    assertStatusAndBody(200,
        "[{\"visits\":2,\"actions\":4,\"visitors\":2,\"visitsConverted\":0}]", post);

    // a longer lastMinutes than Pulse holds gets its longest window, never an error
    assertEquals(200, api(COUNTERS.replace("=30", "=2880") + "&token_auth=" + READ_TOKEN)
        .statusCode());
    clock.advanceSeconds(120);
    assertStatusAndBody(200,
        "[{\"visits\":0,\"actions\":0,\"visitors\":0,\"visitsConverted\":0}]",
        api(COUNTERS.replace("=30", "=1") + "&token_auth=" + READ_TOKEN));
    assertStatusAndBody(200,
        "[{\"visits\":0,\"actions\":0,\"visitors\":0,\"visitsConverted\":0}]",
        api(COUNTERS.replace("idSite=7", "idSite=9")));
  }

  @Test
  void errorsAreMatomosBodyAndStatus() {
    String view = "You can't access this resource as it requires 'view' access for the website"
        + " id = %s.";
    assertError(401, view.formatted("7"), api(COUNTERS));
    assertError(401, view.formatted("7"), api(COUNTERS + "&token_auth=" + SHOP_READ_TOKEN));
    assertError(401, view.formatted("7"), api(COUNTERS + "&token_auth=" + COLLECT_TOKEN));
    assertError(401, view.formatted("99"), api(COUNTERS.replace("idSite=7", "idSite=99")
        + "&token_auth=" + READ_TOKEN));
    assertError(401, "Unable to authenticate with the provided token. It is either invalid,"
        + " expired or is required to be sent as a POST parameter.",
        api(COUNTERS + "&token_auth=nope"));
    assertError(401, "Unable to authenticate with the provided token. It is either invalid or"
        + " expired.", pulse.post(COUNTERS, "token_auth=nope"));
    assertError(400, "The method 'get' does not exist or is not available in the module"
        + " '\\Piwik\\Plugins\\VisitsSummary\\API'.",
        api(COUNTERS.replace("Live.getCounters", "VisitsSummary.get")));
    assertError(200, "Renderer format 'xml' not valid. Try any of the following instead: json.",
        api(COUNTERS.replace("JSON", "xml")));
    assertError(200, "lastMinutes only accepts values between 1 and 2880",
        api(COUNTERS.replace("=30", "=0") + "&token_auth=" + READ_TOKEN));
    assertError(200, "Please specify a value for 'lastMinutes'.",
        api(COUNTERS.replace("&lastMinutes=30", "") + "&token_auth=" + READ_TOKEN));
    assertError(200, "Please specify a value for 'idSite'.",
        api(COUNTERS.replace("&idSite=7", "")));
    assertError(200, "The parameter 'method' isn't set in the Request, and a default value"
        + " wasn't provided.", api("/index.php?module=API&format=JSON"));
    assertError(200, "The method name is invalid. Expected 'module.methodName'",
        api("/index.php?module=API&format=JSON&method=getCounters"));
    assertError(400, "Pulse answers Matomo's Reporting API only: index.php?module=API",
        api("/index.php?module=CoreHome&action=index"));
  }

  @Test
  void liveGetLastVisitsDetailsListsTheVisitsOfTheLast30Minutes() {
    visits();
    HttpResponse<String> r = api("/index.php?module=API&method=Live.getLastVisitsDetails"
        + "&idSite=7&format=json&token_auth=" + READ_TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode visits = parse(r.body());
    assertEquals(2, visits.size(), r.body());
    JsonNode first = visits.get(0);
    assertEquals(7, first.path("idSite").asInt());
    assertTrue(first.path("idVisit").isIntegralNumber(), r.body());
    assertTrue(first.path("visitorId").asText().matches("[0-9a-f]{16}"), r.body());
    long now = NOW.getEpochSecond() + 40;
    assertEquals(now, first.path("lastActionTimestamp").asLong());
    assertEquals("2026-11-23 14:33:00", first.path("lastActionDateTime").asText());
    assertEquals("2026-11-23", first.path("serverDate").asText());
    JsonNode reader = visits.get(0).path("actions").asInt() == 2 ? visits.get(0)
        : visits.get(1);
    assertEquals(40, reader.path("visitDuration").asInt(), reader.toString());
    assertEquals("Germany", reader.path("country").asText());
    assertEquals("de", reader.path("countryCode").asText());
    assertEquals("Chrome", reader.path("browser").asText());
    assertEquals("Desktop", reader.path("deviceType").asText());
    assertEquals("direct", reader.path("referrerType").asText(), "the first page's referrer");
    JsonNode action = reader.path("actionDetails").get(1);
    assertEquals("action", action.path("type").asText());
    assertEquals(ORIGIN + "/pricing", action.path("url").asText(), "plan= is not kept");
    assertEquals("Pricing", action.path("pageTitle").asText());
    assertEquals(now, action.path("timestamp").asLong());
    JsonNode other = reader == visits.get(0) ? visits.get(1) : visits.get(0);
    assertEquals("Unknown", other.path("country").asText());
    assertEquals("xx", other.path("countryCode").asText());

    assertEquals(1, parse(api("/index.php?module=API&method=Live.getLastVisitsDetails&idSite=7"
        + "&format=JSON&filter_limit=1&token_auth=" + READ_TOKEN).body()).size());
    assertEquals("[]", api("/index.php?module=API&method=Live.getLastVisitsDetails&idSite=7"
        + "&format=JSON&minTimestamp=" + now + "&token_auth=" + READ_TOKEN).body());
    assertError(401, "You can't access this resource as it requires 'view' access for the"
        + " website id = 7.", api("/index.php?module=API&method=Live.getLastVisitsDetails"
        + "&idSite=7&format=JSON"));
    assertTrue(parse(api("/index.php?module=API&method=Live.getLastVisitsDetails&idSite=7"
        + "&format=JSON&token_auth=" + TestPulse.ALL_TOKEN).body()).has("result"),
        "a token of another sites file is unknown here");
  }

  private static void assertError(int status, String message, HttpResponse<String> r) {
    assertStatusAndBody(status, "{\"result\":\"error\",\"message\":" + quote(message) + "}", r);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
