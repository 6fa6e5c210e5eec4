package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/**
 * Matomo's Tracking HTTP API against Pulse: what Matomo answers (core/Tracker/Response.php, the
 * BulkTracking plugin), and what ends up in Pulse's own snapshot.
 */
@Tag("server")
class MatomoTrackerTest extends MatomoHttpTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PAGE = ORIGIN + "/pricing?plan=pro";

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpResponse<byte[]> get(String query, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pulse.base() + query));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.GET().build());
  }

  private static HttpResponse<byte[]> send(HttpRequest request) throws IOException,
      InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private String pageview(String ip) {
    return "/matomo.php?idsite=7&rec=1&url=" + q(PAGE) + "&action_name=Pricing&urlref="
        + q("https://news.example.org/item?id=1") + "&_id=AA814767B1F5C818&res=1920x1080"
        + "&lang=de&ua=" + q(TestPulse.CHROME);
  }

  @Test
  void aGetPageviewIsAnsweredWithMatomosGifAndStored() throws Exception {
    HttpResponse<byte[]> r = get(pageview("203.0.113.1"), "X-Forwarded-For", "203.0.113.1",
        "CF-IPCountry", "DE");
    assertEquals(200, r.statusCode(), text(r));
    assertEquals("image/gif", headerOf(r, "Content-Type"));
    assertEquals("no-store", headerOf(r, "Cache-Control"));
    assertArrayEquals(MatomoTracker.GIF, r.body());
    assertEquals(43, r.body().length, "Matomo's 1x1 transparent GIF");

    JsonNode s = snapshot();
    assertEquals(1, s.path("activeVisitors").asInt(), s.toString());
    assertEquals(1, s.path("pageviews").asInt());
    assertEquals("/pricing", s.path("pages").get(0).path("path").asText());
    assertEquals("news.example.org", s.path("referrers").get(0).path("domain").asText());
    assertEquals("Chrome", s.path("browsers").get(0).path("name").asText(), "from ua=");
    assertEquals("Pricing", s.path("recent").get(0).path("title").asText());
    assertEquals("DE", s.path("countries").get(0).path("code").asText());
  }

  @Test
  void sendImage0Is204AndPiwikPhpIsTheSameEndpoint() throws Exception {
    HttpResponse<byte[]> r = get(pageview("203.0.113.1").replace("/matomo.php", "/piwik.php")
        + "&send_image=0", "X-Forwarded-For", "203.0.113.1");
    assertEquals(204, r.statusCode(), text(r));
    assertEquals(0, r.body().length);
    assertEquals(1, snapshot().path("pageviews").asInt());
  }

  @Test
  void theJavascriptTrackersFormPostIsTakenWithItsOriginAllowedWithCredentials()
      throws Exception {
    String body = "idsite=7&rec=1&url=" + q(PAGE) + "&action_name=Pricing&send_image=0"
        + "&pv_id=abc123&h=14&m=32&s=20&cookie=1";
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(pulse.base() + "/matomo.php"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        .header("Origin", ORIGIN).header("User-Agent", TestPulse.FIREFOX_LINUX)
        .header("X-Forwarded-For", "203.0.113.2")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertEquals(204, r.statusCode(), text(r));
    assertEquals(ORIGIN, headerOf(r, "Access-Control-Allow-Origin"));
    assertEquals("true", headerOf(r, "Access-Control-Allow-Credentials"));
    JsonNode s = snapshot();
    assertEquals(1, s.path("pageviews").asInt(), s.toString());
    assertEquals("Firefox", s.path("browsers").get(0).path("name").asText());
  }

  @Test
  void withoutRec1TheRequestIsAnsweredAndNotRecordedAsMatomoDoes() throws Exception {
    HttpResponse<byte[]> r = get(pageview("203.0.113.1").replace("&rec=1", ""),
        "X-Forwarded-For", "203.0.113.1");
    assertEquals(200, r.statusCode(), text(r));
    assertArrayEquals(MatomoTracker.GIF, r.body());
    assertEquals(0, snapshot().path("activeVisitors").asInt());
  }

  @Test
  void pingEventsLinksAndBotsAreWhatMatomoMakesOfThem() throws Exception {
    String base = "/matomo.php?idsite=7&rec=1&send_image=0&url=" + q(PAGE) + "&ua="
        + q(TestPulse.CHROME);
    assertEquals(204, get(base + "&ping=1", "X-Forwarded-For", "203.0.113.1").statusCode());
    assertEquals(204, get(base + "&e_c=Video&e_a=Play&e_n=Intro&e_v=12.5",
        "X-Forwarded-For", "203.0.113.2").statusCode());
    assertEquals(204, get(base + "&link=" + q("https://elsewhere.example.org/"),
        "X-Forwarded-For", "203.0.113.3").statusCode());
    assertEquals(204, get(base.replace(q(TestPulse.CHROME), q(TestPulse.GOOGLEBOT)),
        "X-Forwarded-For", "203.0.113.4").statusCode());
    JsonNode s = snapshot();
    assertEquals(3, s.path("activeVisitors").asInt(), "the bot is not a visitor: " + s);
    assertEquals(0, s.path("pageviews").asInt(), "a ping, an event and an outlink: " + s);
    JsonNode events = s.path("events");
    assertEquals(2, events.size(), events.toString());
    JsonNode video = events.get(0).path("name").asText().equals("Video") ? events.get(0)
        : events.get(1);
    assertEquals("Play", video.path("props").path("action").get(0).path("value").asText(),
        video.toString());
    int bots = 0;
    for (JsonNode count : s.path("bots")) {
      bots += count.asInt();
    }
    assertEquals(1, bots, "the bot is counted as one: " + s.path("bots"));
  }

  @Test
  void badInputGetsMatomosStatusAndAJsonError() throws Exception {
    HttpResponse<byte[]> unknown = get("/matomo.php?idsite=99&rec=1&url=" + q(PAGE));
    assertEquals(400, unknown.statusCode());
    assertJson("{\"error\":\"Invalid idSite: '99'\"}", text(unknown));
    HttpResponse<byte[]> none = get("/matomo.php?rec=1&url=" + q(PAGE));
    assertEquals(400, none.statusCode());
    assertJson("{\"error\":\"Invalid idSite: ''\"}", text(none));
    HttpResponse<byte[]> otherHost = get("/matomo.php?idsite=7&rec=1&url="
        + q("https://evil.example.net/"));
    assertEquals(403, otherHost.statusCode(), text(otherHost));
    HttpResponse<byte[]> badToken = get(pageview("") + "&token_auth=" + READ_TOKEN);
    assertEquals(401, badToken.statusCode(), text(badToken));
    assertJson("{\"error\":\"token_auth is not a token of site 'mato' with the scope collect\"}",
        text(badToken));
    HttpResponse<byte[]> old = get(pageview("") + "&cdt=" + (NOW.getEpochSecond() - 90_000));
    assertEquals(400, old.statusCode());
    assertJson("{\"error\":\"Custom timestamp is 90000 seconds old, requires &token_auth...\"}",
        text(old));
    HttpResponse<String> malformed = pulse.post("/matomo.php", "idsite=7&rec=1&url=%zz",
        "Content-Type", "application/x-www-form-urlencoded");
    assertEquals(400, malformed.statusCode(), malformed.body());
    assertEquals(true, parse(malformed.body()).path("error").isTextual(), malformed.body());
    HttpResponse<byte[]> empty = get("/matomo.php");
    assertEquals(200, empty.statusCode(), "Matomo answers an empty GET with a page");
    assertEquals(0, snapshot().path("activeVisitors").asInt());
  }

  @Test
  void withoutATokenTheIdsARequestNamesAreNotRead() throws Exception {
    for (String id : new String[] {"AA814767B1F5C818", "BB814767B1F5C818"}) {
      assertEquals(200, get(pageview("").replace("AA814767B1F5C818", id) + "&cid=" + id
          + "&cip=198.51.100.7", "X-Forwarded-For", "203.0.113.1").statusCode());
    }
    assertEquals(1, snapshot().path("activeVisitors").asInt(), "one address, one agent");
  }

  @Test
  void aCollectTokenNamesTheVisitorByCidOrIdAndAllowsCipAndOldTimestamps() throws Exception {
    String authed = pageview("") + "&token_auth=" + COLLECT_TOKEN;
    assertEquals(200, get(authed + "&cip=198.51.100.7", "X-Forwarded-For", "203.0.113.1")
        .statusCode());
    assertEquals(200, get(authed.replace("AA814767B1F5C818", "BB814767B1F5C818"),
        "X-Forwarded-For", "203.0.113.1").statusCode());
    assertEquals(200, get(authed + "&cid=AA814767B1F5C818", "X-Forwarded-For", "203.0.113.1")
        .statusCode(), "the same visitor as the first");
    assertEquals(200, get(authed + "&cdt=" + (NOW.getEpochSecond() - 90_000)).statusCode());
    assertEquals(200, get(pageview("") + "&cdt=" + q("2026-11-23 14:30:00"), "X-Forwarded-For",
        "203.0.113.9").statusCode(), "a recent cdt needs no token");
    JsonNode s = snapshot();
    assertEquals(3, s.path("activeVisitors").asInt(), "two _id visitors and the recent cdt: " + s);
    assertEquals(4, s.path("pageviews").asInt(), s.toString());
  }

  @Test
  void aBulkRequestCountsTrackedAndInvalidAsMatomosBulkTrackingDoes() throws Exception {
    String good = "?idsite=7&rec=1&url=" + q(PAGE) + "&ua=" + q(TestPulse.CHROME);
    String body = "{\"requests\": [\"" + good + "\", \"?idsite=99&rec=1\", {\"idsite\": 7,"
        + " \"rec\": 1, \"e_c\": \"Buy\", \"e_a\": \"rightButton\", \"e_v\": \"2\", \"ua\": \""
        + TestPulse.IPHONE + "\"}, \"no-query\"]}";
    HttpResponse<String> r = pulse.post("/matomo.php", body, "Content-Type", "application/json",
        "X-Forwarded-For", "203.0.113.5");
    assertStatusAndBody(200, "{\"status\":\"success\",\"tracked\":2,\"invalid\":1}", r);

    String authed = body.replace("]}", "], \"token_auth\": \"" + COLLECT_TOKEN + "\"}");
    assertStatusAndBody(200, "{\"status\":\"success\",\"tracked\":2,\"invalid\":1,"
        + "\"invalid_indices\":[1]}", pulse.post("/piwik.php", authed, "X-Forwarded-For",
        "203.0.113.5"));

    String quiet = body.replace("]}", "], \"send_image\": 0}");
    assertEquals(204, pulse.post("/matomo.php", quiet, "X-Forwarded-For", "203.0.113.5")
        .statusCode());
    assertStatusAndBody(401, "{\"status\":\"error\",\"tracked\":0,\"invalid\":0,"
        + "\"message\":\"token_auth is not a Pulse token\"}", pulse.post("/matomo.php",
        body.replace("]}", "], \"token_auth\": \"nope\"}")));
    assertEquals(400, pulse.post("/matomo.php", "{\"requests\": [", "X-Forwarded-For",
        "203.0.113.5").statusCode());

    JsonNode s = snapshot();
    assertEquals(2, s.path("activeVisitors").asInt(), "a Chrome and an iPhone visitor: " + s);
    assertEquals(3, s.path("pageviews").asInt(), s.toString());
    assertEquals(3, s.path("events").get(0).path("count").asInt(), s.toString());
  }

  private static String headerOf(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static void assertJson(String expected, String body) {
    assertEquals(parse(expected), parse(body), body);
  }
}
