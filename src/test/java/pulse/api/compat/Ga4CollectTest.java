package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/**
 * GA4's Measurement Protocol into Pulse, as a server sends it (its own User-Agent, the visitor in
 * client_id, device and user_location): page views, engagement, custom events with their params,
 * GA's automatic events left out, any Content-Type, the api_secret checked, the validation
 * endpoint, and a clear error for what cannot be taken.
 */
class Ga4CollectTest extends CompatHttpTest {
  private static final String COLLECT = "/mp/collect?measurement_id=G-PULSE12345";

  /** As a server posts it: its own User-Agent, no Origin. */
  private HttpResponse<String> send(String query, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pulse.base() + query))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("User-Agent", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)")
        .header("X-Forwarded-For", "198.51.100.9");
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return TestPulse.send(b);
  }

  private JsonNode snapshot() {
    pulse.awaitWritten();
    nextTick(clock);
    return parse(pulse.get("/api/sites/ga/realtime", "Authorization",
        "Bearer " + TestPulse.GA_TOKEN).body());
  }

  @Test
  void aServersPageViewsAndEventsCountAsItsVisitorsWithWhatItSaysOfThem() {
    HttpResponse<String> r = send(COLLECT, "application/json", """
        {"client_id": "1234.5678", "user_location": {"country_id": "DE"},
         "device": {"category": "mobile", "browser": "Chrome", "operating_system": "Android"},
         "events": [{"name": "session_start", "params": {"session_id": "1"}},
           {"name": "page_view", "params": {"page_location": "https://ga.example.com/pricing?plan=pro",
             "page_title": "Pricing", "page_referrer": "https://news.ycombinator.com/item?id=1",
             "session_id": "1", "engagement_time_msec": 100}},
           {"name": "sign_up", "params": {"method": "Google", "session_id": "1"}}]}""");
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("", r.body());
    // the same visitor again, JSON as text/plain; another one without a Content-Type
    assertEquals(204, send(COLLECT, "text/plain;charset=UTF-8", """
        {"client_id": "1234.5678", "device": {"category": "mobile", "browser": "Chrome"},
         "events": [{"name": "user_engagement",
          "params": {"page_location": "https://ga.example.com/pricing", "engagement_time_msec": 5000}}]}""")
        .statusCode());
    assertEquals(204, send(COLLECT + "&api_secret=" + TestPulse.GA_SECRET, null, """
        {"client_id": "999.111", "events": [{"name": "page_view"}]}""").statusCode());

    JsonNode s = snapshot();
    assertEquals(2, s.path("activeVisitors").asInt(), "two client ids: " + s);
    assertEquals(2, s.path("pageviews").asInt());
    assertTrue(s.path("pages").toString().contains("{\"path\":\"/pricing\",\"visitors\":1,"
        + "\"pageviews\":1"), s.path("pages").toString());
    assertEquals("[{\"domain\":\"news.ycombinator.com\",\"visitors\":1}]",
        s.path("referrers").toString());
    assertEquals("[{\"code\":\"DE\",\"visitors\":1}]", s.path("countries").toString(),
        "user_location; the other visitor has the sender's country, none here");
    assertEquals("[{\"name\":\"Chrome\",\"visitors\":1}]", s.path("browsers").toString(),
        "the device the sender names, not its node-fetch");
    assertEquals("[{\"name\":\"mobile\",\"visitors\":1}]", s.path("devices").toString());
    assertEquals("[{\"name\":\"sign_up\",\"count\":1,\"visitors\":1,"
        + "\"props\":{\"method\":[{\"value\":\"Google\",\"count\":1}]}}]",
        s.path("events").toString(), "GA's own params are no props; session_start is not kept");
    assertEquals(0, s.path("bots").path("script").asInt(), "a server's events are no bot's");
  }

  @Test
  void whatCannotBeTakenIsRefusedClearly() {
    HttpResponse<String> r = send("/mp/collect?measurement_id=G-NOPE", "application/json",
        "{\"client_id\": \"1\", \"events\": [{\"name\": \"page_view\"}]}");
    assertEquals(404, r.statusCode());
    assertEquals("unknown measurement_id 'G-NOPE'", parse(r.body()).path("error").asText());
    r = send(COLLECT + "&api_secret=wrong", "application/json",
        "{\"client_id\": \"1\", \"events\": [{\"name\": \"page_view\"}]}");
    assertEquals(403, r.statusCode());
    assertEquals("api_secret is not a token of site 'ga' with the collect scope",
        parse(r.body()).path("error").asText());
    assertEquals(403, send(COLLECT + "&api_secret=" + TestPulse.GA_TOKEN, "application/json",
        "{\"client_id\": \"1\", \"events\": [{\"name\": \"page_view\"}]}").statusCode(),
        "a read token is no collect token");
    String many = "{\"client_id\": \"1\", \"events\": ["
        + "{\"name\": \"page_view\"},".repeat(25) + "{\"name\": \"page_view\"}]}";
    for (String bad : new String[] {"{\"events\": [{\"name\": \"page_view\"}]}", many,
        "{\"client_id\": \"1\", \"events\": [{\"name\": \"9lives\"}]}", "not json"}) {
      HttpResponse<String> refused = send(COLLECT, "application/json", bad);
      assertEquals(400, refused.statusCode(), bad + " -> " + refused.body());
      assertTrue(!parse(refused.body()).path("error").asText().isEmpty(), refused.body());
    }
    HttpResponse<String> elsewhere = send(COLLECT, "application/json", "{\"client_id\": \"1\","
        + " \"events\": [{\"name\": \"page_view\", \"params\": "
        + "{\"page_location\": \"https://elsewhere.example.org/\"}}]}");
    assertEquals(403, elsewhere.statusCode(), "as /api/collect: " + elsewhere.body());
    assertEquals("events[0].url host 'elsewhere.example.org' is not a domain of site 'ga'",
        parse(elsewhere.body()).path("error").asText());
    assertEquals(0, snapshot().path("activeVisitors").asInt(), "nothing was stored");
  }

  @Test
  void theValidationEndpointChecksAndStoresNothing() {
    HttpResponse<String> ok = send("/debug" + COLLECT, "application/json",
        "{\"client_id\": \"1\", \"events\": [{\"name\": \"page_view\"}]}");
    assertEquals(200, ok.statusCode());
    assertJson("{\"validationMessages\": []}", ok);
    HttpResponse<String> bad = send("/debug" + COLLECT, "application/json",
        "{\"client_id\": \"1\", \"events\": [{\"name\": \"9lives\"}]}");
    assertEquals(200, bad.statusCode());
    JsonNode message = parse(bad.body()).path("validationMessages").get(0);
    assertEquals("VALUE_INVALID", message.path("validationCode").asText(), bad.body());
    assertEquals("events[0].name", message.path("fieldPath").asText());
    assertEquals(0, snapshot().path("activeVisitors").asInt());
  }
}
