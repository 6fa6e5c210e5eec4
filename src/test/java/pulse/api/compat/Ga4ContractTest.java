package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pulse.testing.TestPulse.GA_TOKEN;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/**
 * Google Analytics 4's runRealtimeReport: every shape Pulse answers (no dimension, by country,
 * event, page, minute, two minute ranges, filters, orders, limits, totals) exactly, and Google's
 * error body for what it does not.
 */
class Ga4ContractTest extends CompatHttpTest {
  private static final String URL = "/v1beta/properties/123456789:runRealtimeReport";

  private HttpResponse<String> report(String body) {
    return pulse.post(URL, body, "Authorization", "Bearer " + GA_TOKEN,
        "Content-Type", "application/json");
  }

  @BeforeEach
  void visitors() {
    String site = "https://ga.example.com";
    collect(pulse, "ga", site + "/", "203.0.113.1", "DE", "\"title\":\"Home\"");
    collect(pulse, "ga", site + "/pricing", "203.0.113.2", "DE", "\"title\":\"Pricing\"");
    collect(pulse, "ga", site + "/pricing", "203.0.113.2", "DE", "\"title\":\"Pricing\"");
    clock.advanceSeconds(120);
    collect(pulse, "ga", site + "/pricing", "203.0.113.3", "FR", "\"title\":\"Pricing\"");
    collect(pulse, "ga", site + "/pricing", "203.0.113.3", "FR",
        "\"type\":\"event\",\"name\":\"signup\"");
    collect(pulse, "ga", site + "/", "203.0.113.4", "", "\"title\":\"Home\"");
    pulse.awaitWritten();
    nextTick(clock);
  }

  @Test
  void totalsWithoutADimension() {
    assertStatusAndBody(200, """
        {"metricHeaders": [{"name": "activeUsers", "type": "TYPE_INTEGER"},
          {"name": "screenPageViews", "type": "TYPE_INTEGER"},
          {"name": "eventCount", "type": "TYPE_INTEGER"},
          {"name": "keyEvents", "type": "TYPE_INTEGER"}],
         "rows": [{"metricValues": [{"value": "4"}, {"value": "5"}, {"value": "6"}, {"value": "0"}]}],
         "rowCount": 1, "kind": "analyticsData#runRealtimeReport"}""",
        report("{\"metrics\": [{\"name\": \"activeUsers\"}, {\"name\": \"screenPageViews\"},"
            + " {\"name\": \"eventCount\"}, {\"name\": \"keyEvents\"}]}"));
  }

  @Test
  void visitorsByCountryNameAndCodeWithTheUnknownAsNotSet() {
    assertStatusAndBody(200, """
        {"dimensionHeaders": [{"name": "country"}],
         "metricHeaders": [{"name": "activeUsers", "type": "TYPE_INTEGER"}],
         "rows": [{"dimensionValues": [{"value": "Germany"}], "metricValues": [{"value": "2"}]},
                  {"dimensionValues": [{"value": "(not set)"}], "metricValues": [{"value": "1"}]},
                  {"dimensionValues": [{"value": "France"}], "metricValues": [{"value": "1"}]}],
         "rowCount": 3, "kind": "analyticsData#runRealtimeReport"}""",
        report("{\"dimensions\": [{\"name\": \"country\"}], \"metrics\": [{\"name\": \"activeUsers\"}]}"));
    HttpResponse<String> codes = report("{\"dimensions\": [{\"name\": \"countryId\"}],"
        + " \"metrics\": [{\"name\": \"activeUsers\"}], \"orderBys\": [{\"dimension\":"
        + " {\"dimensionName\": \"countryId\"}}], \"limit\": \"2\"}");
    assertEquals(parse("""
        [{"dimensionValues": [{"value": "(not set)"}], "metricValues": [{"value": "1"}]},
         {"dimensionValues": [{"value": "DE"}], "metricValues": [{"value": "2"}]}]"""),
        parse(codes.body()).path("rows"), codes.body());
    assertEquals(3, parse(codes.body()).path("rowCount").asInt(), "rowCount ignores the limit");
  }

  @Test
  void eventsPagesAndMinutes() {
    HttpResponse<String> events = report("{\"dimensions\": [{\"name\": \"eventName\"}],"
        + " \"metrics\": [{\"name\": \"eventCount\"}, {\"name\": \"activeUsers\"}]}");
    assertEquals(parse("""
        [{"dimensionValues": [{"value": "page_view"}], "metricValues": [{"value": "5"}, {"value": "4"}]},
         {"dimensionValues": [{"value": "signup"}], "metricValues": [{"value": "1"}, {"value": "1"}]}]"""),
        parse(events.body()).path("rows"), events.body());

    HttpResponse<String> pages = report("{\"dimensions\": [{\"name\": \"unifiedScreenName\"}],"
        + " \"metrics\": [{\"name\": \"screenPageViews\"}, {\"name\": \"activeUsers\"}]}");
    assertEquals(parse("""
        [{"dimensionValues": [{"value": "Pricing"}], "metricValues": [{"value": "3"}, {"value": "2"}]},
         {"dimensionValues": [{"value": "Home"}], "metricValues": [{"value": "2"}, {"value": "2"}]}]"""),
        parse(pages.body()).path("rows"), pages.body());

    HttpResponse<String> minutes = report("{\"dimensions\": [{\"name\": \"minutesAgo\"}],"
        + " \"metrics\": [{\"name\": \"screenPageViews\"}], \"minuteRanges\": [{\"startMinutesAgo\": 5}]}");
    assertEquals(parse("""
        [{"dimensionValues": [{"value": "02"}], "metricValues": [{"value": "3"}]},
         {"dimensionValues": [{"value": "00"}], "metricValues": [{"value": "2"}]}]"""),
        parse(minutes.body()).path("rows"), minutes.body());
  }

  @Test
  void twoMinuteRangesAddTheDateRangeDimension() {
    HttpResponse<String> r = report("{\"metrics\": [{\"name\": \"activeUsers\"}], \"minuteRanges\":"
        + " [{\"name\": \"now\", \"startMinutesAgo\": 0}, {\"startMinutesAgo\": 29}],"
        + " \"metricAggregations\": [1]}");
    assertStatusAndBody(200, """
        {"dimensionHeaders": [{"name": "dateRange"}],
         "metricHeaders": [{"name": "activeUsers", "type": "TYPE_INTEGER"}],
         "rows": [{"dimensionValues": [{"value": "date_range_1"}], "metricValues": [{"value": "4"}]},
                  {"dimensionValues": [{"value": "now"}], "metricValues": [{"value": "2"}]}],
         "totals": [{"dimensionValues": [{"value": "now"}], "metricValues": [{"value": "2"}]},
                    {"dimensionValues": [{"value": "date_range_1"}], "metricValues": [{"value": "4"}]}],
         "rowCount": 2, "kind": "analyticsData#runRealtimeReport"}""", r);
  }

  @Test
  void stringAndListFiltersOnTheDimensionWithEnumsAsNumbers() {
    HttpResponse<String> r = pulse.post(URL + "?$alt=json%3Benum-encoding=int",
        "{\"dimensions\": [{\"name\": \"country\"}], \"metrics\": [{\"name\": \"activeUsers\"}],"
            + " \"dimensionFilter\": {\"orGroup\": {\"expressions\": ["
            + "{\"filter\": {\"fieldName\": \"country\", \"stringFilter\": {\"matchType\": 2, \"value\": \"ger\"}}},"
            + "{\"filter\": {\"fieldName\": \"country\", \"inListFilter\": {\"values\": [\"France\"]}}}]}}}",
        "Authorization", "Bearer " + GA_TOKEN, "Content-Type", "application/json");
    assertStatusAndBody(200, """
        {"dimensionHeaders": [{"name": "country"}],
         "metricHeaders": [{"name": "activeUsers", "type": 1}],
         "rows": [{"dimensionValues": [{"value": "Germany"}], "metricValues": [{"value": "2"}]},
                  {"dimensionValues": [{"value": "France"}], "metricValues": [{"value": "1"}]}],
         "rowCount": 2, "kind": "analyticsData#runRealtimeReport"}""", r);
  }

  @Test
  void errorsInGooglesShape() {
    assertStatusAndBody(401, """
        {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential."}}""",
        pulse.post(URL, "{\"metrics\": [{\"name\": \"activeUsers\"}]}"));
    HttpResponse<String> other = pulse.post(URL, "{\"metrics\": [{\"name\": \"activeUsers\"}]}",
        "Authorization", "Bearer " + TestPulse.SHOP_TOKEN);
    assertStatusAndBody(403, """
        {"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "User does not have sufficient permissions for this property."}}""",
        other);
    assertEquals(403, pulse.post("/v1beta/properties/999:runRealtimeReport",
        "{\"metrics\": [{\"name\": \"activeUsers\"}]}", "Authorization", "Bearer " + GA_TOKEN)
        .statusCode(), "an unknown property is not told apart");
    for (String bad : new String[] {
        "{\"metrics\": [{\"name\": \"sessions\"}]}",
        "{\"metrics\": []}",
        "{\"dimensions\": [{\"name\": \"country\"}], \"metrics\": [{\"name\": \"eventCount\"}]}",
        "{\"metrics\": [{\"name\": \"activeUsers\"}], \"minuteRanges\": [{\"startMinutesAgo\": 10, \"endMinutesAgo\": 5}]}",
        "{\"metrics\": [{\"name\": \"activeUsers\"}], \"minuteRanges\": [{\"startMinutesAgo\": 45}]}",
        "{\"metrics\": [{\"name\": \"activeUsers\"}], \"limit\": \"lots\"}",
        "{\"dimensions\": [{\"name\": \"country\"}], \"metrics\": [{\"name\": \"activeUsers\"}], \"dimensionFilter\": {\"filter\": {\"fieldName\": \"city\", \"stringFilter\": {\"value\": \"x\"}}}}",
        "[1, 2",
        "{\"dimensions\": [{\"name\": \"country\"}, {\"name\": \"deviceCategory\"}], \"metrics\": [{\"name\": \"activeUsers\"}]}"}) {
      HttpResponse<String> r = report(bad);
      assertEquals(400, r.statusCode(), bad + " -> " + r.body());
      assertEquals("INVALID_ARGUMENT", parse(r.body()).path("error").path("status").asText(), bad);
      assertEquals(400, parse(r.body()).path("error").path("code").asInt());
      assertEquals(false, parse(r.body()).path("error").path("message").asText().isEmpty());
    }
  }
}
