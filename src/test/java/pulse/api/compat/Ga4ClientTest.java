package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.NodePackages;
import pulse.testing.TestPulse;

/**
 * Google's own client, {@code @google-analytics/data} from npm, in its REST mode pointed at Pulse:
 * runRealtimeReport by country with a filter, an order and a limit (sent as Google's clients send
 * them: enums as numbers, the limit as a string, the property id after a colon in the path), and
 * Google's error for a token Pulse does not know, which the client must read as UNAUTHENTICATED.
 */
class Ga4ClientTest extends CompatHttpTest {
  private static final String[] PACKAGES = {"@google-analytics/data@4.12.1"};
  private static NodePackages npm;

  /** The client, an OAuth2 client holding a Pulse token as its access token, and the call. */
  private static final String SCRIPT = """
      const {BetaAnalyticsDataClient} = require('@google-analytics/data');
      // the auth library google-gax itself uses: its getRequestHeaders() is what gax spreads
      const {OAuth2Client} = require(require.resolve('google-auth-library',
          {paths: [require.resolve('google-gax')]}));
      const [url, token, request] = process.argv.slice(1);
      const base = new URL(url);
      const auth = new OAuth2Client();
      auth.setCredentials({access_token: token});
      const client = new BetaAnalyticsDataClient({fallback: 'rest', protocol: 'http',
          apiEndpoint: base.hostname, port: Number(base.port), authClient: auth});
      client.runRealtimeReport(JSON.parse(request))
        .then(([r]) => console.log(JSON.stringify(r)))
        .catch(e => console.log(JSON.stringify({code: e.code, message: e.message})));
      """;

  @BeforeAll
  static void installClient() throws Exception {
    npm = NodePackages.install("npm-ga4", PACKAGES);
  }

  private JsonNode call(String token, String request) throws Exception {
    return parse(npm.node(SCRIPT, pulse.base(), token, request).strip());
  }

  @Test
  void theOfficialClientReadsARealtimeReportByCountry() throws Exception {
    String site = "https://ga.example.com";
    pageview(pulse, "ga", site + "/", "203.0.113.1", "DE");
    pageview(pulse, "ga", site + "/a", "203.0.113.2", "DE");
    pageview(pulse, "ga", site + "/b", "203.0.113.3", "FR");
    pageview(pulse, "ga", site + "/c", "203.0.113.4", "US");
    pulse.awaitWritten();
    nextTick(clock);
    JsonNode r = call(TestPulse.GA_TOKEN, """
        {"property": "properties/123456789", "dimensions": [{"name": "country"}],
         "metrics": [{"name": "activeUsers"}], "limit": 2,
         "minuteRanges": [{"name": "last5", "startMinutesAgo": 4, "endMinutesAgo": 0}],
         "orderBys": [{"metric": {"metricName": "activeUsers"}, "desc": true}],
         "dimensionFilter": {"notExpression": {"filter": {"fieldName": "country",
           "stringFilter": {"matchType": "EXACT", "value": "France"}}}}}""");
    assertEquals("analyticsData#runRealtimeReport", r.path("kind").asText(), r.toString());
    assertEquals(2, r.path("rowCount").asInt(), "Germany and the United States");
    assertEquals("TYPE_INTEGER", r.path("metricHeaders").get(0).path("type").asText(),
        "the client turns enum numbers back into names");
    assertEquals("Germany", r.path("rows").get(0).path("dimensionValues").get(0)
        .path("value").asText());
    assertEquals("2", r.path("rows").get(0).path("metricValues").get(0).path("value").asText());
    assertEquals("United States", r.path("rows").get(1).path("dimensionValues").get(0)
        .path("value").asText());
  }

  @Test
  void theOfficialClientReadsGooglesErrors() throws Exception {
    JsonNode unknown = call("ya29.notAPulseToken", """
        {"property": "properties/123456789", "metrics": [{"name": "activeUsers"}]}""");
    assertEquals(16, unknown.path("code").asInt(), "UNAUTHENTICATED: " + unknown);
    assertEquals(true, unknown.path("message").asText().contains("invalid authentication"),
        unknown.toString());
    JsonNode invalid = call(TestPulse.GA_TOKEN, """
        {"property": "properties/123456789", "metrics": [{"name": "sessions"}]}""");
    assertEquals(3, invalid.path("code").asInt(), "INVALID_ARGUMENT: " + invalid);
    assertEquals(true, invalid.path("message").asText().contains("sessions"), invalid.toString());
  }
}
