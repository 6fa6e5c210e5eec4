package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/**
 * The trackers sites already run: Plausible's POST /api/event and Umami's POST /api/send feed the
 * same pipeline as /api/collect; what they store is read back through the read APIs.
 */
@Tag("server")
class TrackerPayloadsTest extends CompatHttpTest {
  private static final String AUTH = "Bearer " + TestPulse.ALL_TOKEN;

  /** As Plausible's script sends it: text/plain JSON from a browser. */
  private HttpResponse<String> plausible(String body, String ip, String... headers) {
    String[] all = new String[headers.length + 6];
    System.arraycopy(new String[] {"Content-Type", "text/plain", "User-Agent", TestPulse.CHROME,
        "X-Forwarded-For", ip}, 0, all, 0, 6);
    System.arraycopy(headers, 0, all, 6, headers.length);
    return pulse.post("/api/event", body, all);
  }

  /** As Umami's script sends it: application/json from a browser. */
  private HttpResponse<String> umami(String body, String ip) {
    return pulse.post("/api/send", body, "Content-Type", "application/json", "User-Agent",
        TestPulse.CHROME, "X-Forwarded-For", ip, "CF-IPCountry", "GB");
  }

  private JsonNode snapshot(String site) {
    nextTick(clock);
    HttpResponse<String> r = pulse.get("/api/sites/" + site + "/realtime", "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    return parse(r.body());
  }

  private static void assertError(int status, String message, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(message, parse(r.body()).path("error").asText());
  }

  @Test
  void aPlausiblePageviewIsStoredAsIfCollected() {
    HttpResponse<String> r = plausible("""
        {"n":"pageview","u":"https://plausible.example.com/pricing?plan=pro",
         "d":"plausible.example.com","r":"https://news.ycombinator.com/item?id=1","w":1280}""",
        "203.0.113.1");
    assertEquals(202, r.statusCode(), r.body());
    assertEquals("ok", r.body());
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    JsonNode s = snapshot("plaus");
    assertEquals(1, s.path("activeVisitors").asInt());
    assertEquals(1, s.path("pageviews").asInt());
    assertEquals("/pricing", s.path("pages").get(0).path("path").asText());
    assertEquals("news.ycombinator.com", s.path("referrers").get(0).path("domain").asText());
    assertEquals("Chrome", s.path("recent").get(0).path("browser").asText());
  }

  @Test
  void plausibleCustomEventsAndEngagementKeepVisitorsActiveWithoutPageviews() {
    assertEquals(202, plausible("""
        {"n":"pageview","u":"https://plausible.example.com/essay","d":"plausible.example.com",
         "r":null}""", "203.0.113.1").statusCode());
    // older scripts send props as a JSON string, newer ones as an object; d may list domains
    assertEquals(202, plausible("""
        {"n":"Signup","u":"https://plausible.example.com/","d":"other.example.org,plausible.example.com",
         "p":"{\\"plan\\":\\"pro\\"}"}""", "203.0.113.2").statusCode());
    assertEquals(202, plausible("""
        {"n":"Download","u":"https://plausible.example.com/","d":"plausible.example.com",
         "p":{"file":"a.pdf","size":3}}""", "203.0.113.3").statusCode());
    JsonNode s = snapshot("plaus");
    assertEquals(3, s.path("activeVisitors").asInt());
    assertEquals(1, s.path("pageviews").asInt());

    // the reader is still on the essay 4 minutes later: engagement is a heartbeat
    clock.advanceSeconds(240);
    assertEquals(202, plausible("""
        {"n":"engagement","u":"https://plausible.example.com/essay","d":"plausible.example.com",
         "sd":80,"e":240000}""", "203.0.113.1").statusCode());
    clock.advanceSeconds(120);
    s = snapshot("plaus");
    assertEquals(1, s.path("activeVisitors").asInt(), s.toString());
    assertEquals(0, s.path("pageviews").asInt());
    assertEquals("/essay", s.path("pages").get(0).path("path").asText());
    assertEquals(1, s.path("pages").get(0).path("visitors").asInt());
  }

  @Test
  void badPlausiblePayloadsAreRefusedAndBotsIgnored() {
    assertError(400, "d is required",
        plausible("{\"n\":\"pageview\",\"u\":\"https://plausible.example.com/\"}", "203.0.113.1"));
    assertError(400, "n must be a string", plausible(
        "{\"n\":1,\"u\":\"https://plausible.example.com/\",\"d\":\"plausible.example.com\"}",
        "203.0.113.1"));
    assertError(404, "no site tracks domain 'nope.example.org'", plausible(
        "{\"n\":\"pageview\",\"u\":\"https://nope.example.org/\",\"d\":\"nope.example.org\"}",
        "203.0.113.1"));
    assertError(403, "url host 'shop.example.com' is not a domain of site 'plaus'", plausible(
        "{\"n\":\"pageview\",\"u\":\"https://shop.example.com/\",\"d\":\"plausible.example.com\"}",
        "203.0.113.1"));
    assertError(400, "p must be an object of properties", plausible(
        "{\"n\":\"x\",\"u\":\"https://plausible.example.com/\",\"d\":\"plausible.example.com\","
            + "\"p\":\"[1]\"}", "203.0.113.1"));
    assertError(400, "body is not valid JSON (line 1, column 2)", plausible("{x", "203.0.113.1"));
    assertError(403, "Origin 'https://evil.example.org' is not a domain of site 'plaus'",
        plausible("{\"n\":\"pageview\",\"u\":\"https://plausible.example.com/\","
            + "\"d\":\"plausible.example.com\"}", "203.0.113.1", "Origin", "https://evil.example.org"));
    assertError(415, "Content-Type must be application/json or text/plain",
        pulse.post("/api/event", "{}", "Content-Type", "application/x-www-form-urlencoded"));
    HttpResponse<String> bot = pulse.post("/api/event",
        "{\"n\":\"pageview\",\"u\":\"https://plausible.example.com/\",\"d\":\"plausible.example.com\"}",
        "Content-Type", "text/plain", "User-Agent", TestPulse.GOOGLEBOT);
    assertEquals(202, bot.statusCode());
    assertEquals(0, snapshot("plaus").path("activeVisitors").asInt());
  }

  @Test
  void anUmamiPageviewIsStoredAndReadBackThroughTheUmamiApi() {
    HttpResponse<String> r = umami("""
        {"type":"event","payload":{"website":"550e8400-e29b-41d4-a716-446655440000",
         "hostname":"uma.example.com","url":"/products?utm_source=news&category=electronics",
         "referrer":"https://www.google.com/search?q=x","title":"Products","screen":"1920x1080",
         "language":"en-US"}}""", "203.0.113.1");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{}", r.body());
    assertEquals("application/json", header(r, "Content-Type"));
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    // the newer script sends the whole URL
    clock.advanceSeconds(1);
    assertEquals(200, umami("""
        {"type":"event","payload":{"website":"uma","hostname":"uma.example.com",
         "url":"https://uma.example.com/about","referrer":"","title":"About"}}""",
        "203.0.113.2").statusCode());
    nextTick(clock);
    JsonNode body = parse(pulse.get("/api/realtime/" + TestPulse.UMAMI_UUID, "Authorization",
        AUTH).body());
    assertEquals(2, body.path("visitors").asInt());
    JsonNode products = body.path("pageviews").get(0);
    assertEquals("/products", products.path("urlPath").asText());
    // only allow-listed query parameters are stored (README, Security)
    assertEquals("utm_source=news", products.path("urlQuery").asText());
    assertEquals("google.com", products.path("referrerDomain").asText());
    assertEquals("Products", products.path("pageTitle").asText());
    assertEquals("GB", products.path("country").asText());
    assertEquals("/about", body.path("pageviews").get(1).path("urlPath").asText());
  }

  @Test
  void umamiCustomEventsCountAsActivityAndIdentifyStoresNothing() {
    assertEquals(200, umami("""
        {"type":"event","payload":{"website":"uma","hostname":"uma.example.com","url":"/",
         "name":"signup","data":{"plan":"pro"}}}""", "203.0.113.1").statusCode());
    HttpResponse<String> identify = umami("""
        {"type":"identify","payload":{"website":"uma","hostname":"uma.example.com","url":"/",
         "id":"user-1"}}""", "203.0.113.2");
    assertEquals(200, identify.statusCode());
    assertEquals("{}", identify.body());
    JsonNode s = snapshot("uma");
    assertEquals(1, s.path("activeVisitors").asInt());
    assertEquals(0, s.path("pageviews").asInt());
  }

  /**
   * Umami's tracker with data-performance="true" reports web vitals as type "performance" (its
   * payload as the tracker's sendPerformance builds it: the page fields plus the metrics). Umami
   * answers it; Pulse answers it the same way and stores nothing.
   */
  @Test
  void anUmamiPerformanceReportIsAnsweredAndNotStored() {
    HttpResponse<String> r = umami("""
        {"type":"performance","payload":{"website":"550e8400-e29b-41d4-a716-446655440000",
         "screen":"1920x1080","language":"en-US","title":"Products","hostname":"uma.example.com",
         "url":"https://uma.example.com/products","referrer":"","ttfb":84.2,"fcp":312.5,
         "lcp":640.1,"cls":0.02,"inp":48,"duration":10012}}""", "203.0.113.1");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{}", r.body());
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    JsonNode s = snapshot("uma");
    assertEquals(0, s.path("activeVisitors").asInt());
    assertEquals(0, s.path("pageviews").asInt());
  }

  @Test
  void umamiPreflightAndErrors() {
    HttpResponse<String> preflight = TestPulse.send(HttpRequest.newBuilder(
            URI.create(pulse.base() + "/api/send"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
        "Origin", "https://uma.example.com", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "content-type");
    assertEquals(204, preflight.statusCode());
    assertEquals("*", header(preflight, "Access-Control-Allow-Origin"));
    assertEquals("POST, OPTIONS", header(preflight, "Access-Control-Allow-Methods"));
    assertEquals("Content-Type, x-umami-cache", header(preflight, "Access-Control-Allow-Headers"));

    assertError(404, "unknown website 'nosuch'", umami(
        "{\"type\":\"event\",\"payload\":{\"website\":\"nosuch\",\"url\":\"https://uma.example.com/\"}}",
        "203.0.113.1"));
    assertError(400, "payload must be an object", umami("{\"type\":\"event\"}", "203.0.113.1"));
    assertError(400, "type must be event, identify or performance",
        umami("{\"type\":\"pageview\",\"payload\":{}}", "203.0.113.1"));
    assertError(400, "payload.website is required", umami(
        "{\"type\":\"event\",\"payload\":{\"url\":\"/\"}}", "203.0.113.1"));
    assertError(400, "payload.url must be an absolute http(s) URL, or a path with payload.hostname",
        umami("{\"type\":\"event\",\"payload\":{\"website\":\"uma\",\"url\":\"/\"}}",
            "203.0.113.1"));
    assertError(403, "payload.url host 'evil.example.org' is not a domain of site 'uma'", umami(
        "{\"type\":\"event\",\"payload\":{\"website\":\"uma\",\"hostname\":\"evil.example.org\","
            + "\"url\":\"/\"}}", "203.0.113.1"));
  }

  @Test
  void switchedOffInConfigTheTrackerRoutesAreGone() {
    restart(c -> c.with("compat").put("plausibleTracker", false)
        .put("umamiTracker", false));
    assertEquals(404, plausible("{}", "203.0.113.1").statusCode());
    assertEquals(404, umami("{}", "203.0.113.1").statusCode());
  }
}
