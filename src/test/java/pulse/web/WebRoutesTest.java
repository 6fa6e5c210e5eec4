package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.Browser;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** What the browser-facing routes answer over plain HTTP: types, caching, security headers. */
@Tag("server")
class WebRoutesTest {
  private static TestPulse pulse;

  @BeforeAll
  static void start() {
    pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> { });
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  private static int gzipped(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.size();
  }

  @Test
  void theTrackerIsUnderTwoKilobytesGzippedAndCachedLong() throws Exception {
    HttpResponse<String> r = pulse.get("/script.js");
    assertEquals(200, r.statusCode());
    assertEquals("application/javascript; charset=utf-8", header(r, "Content-Type"));
    assertTrue(header(r, "Cache-Control").contains("max-age=86400"), header(r, "Cache-Control"));
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    int size = gzipped(r.body().getBytes(StandardCharsets.UTF_8));
    System.out.println("script.js: " + r.body().length() + " bytes, " + size + " gzipped");
    assertTrue(size < 2048, "script.js is " + size + " bytes gzipped; the limit is 2048");
    assertFalse(r.body().contains("document.cookie"), "the tracker never touches cookies");

    // what actually crosses the wire when the browser accepts gzip
    HttpResponse<byte[]> wire = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(pulse.base() + "/script.js")).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("gzip", header(wire, "Content-Encoding"));
    assertTrue(wire.body().length < 2048, wire.body().length + " bytes on the wire");

    String etag = header(r, "ETag");
    assertEquals(304, pulse.get("/script.js", "If-None-Match", etag).statusCode());
  }

  @Test
  void theEmbedScriptAndTheDashboardFilesAreServed() {
    HttpResponse<String> embed = pulse.get("/embed.js");
    assertEquals(200, embed.statusCode());
    assertEquals("application/javascript; charset=utf-8", header(embed, "Content-Type"));
    assertTrue(embed.body().contains("data-pulse-counter"));

    String page = pulse.get("/live/demo").body();
    for (String asset : new String[] {"/live.js?v=", "/live.css?v=", "/favicon.svg?v=",
        "/live/countries.json?v=", "/live-render.js?v=", "/live-tables.js?v=", "/live-map.js?v=",
        "/live-filters.js?v=", "/live-alerts.js?v=", "/world.svg?v="}) {
      Matcher m = Pattern.compile(Pattern.quote(asset) + "[0-9a-f]{16}").matcher(page);
      assertTrue(m.find(), asset + " is linked with its version");
      HttpResponse<String> r = pulse.get(m.group());
      assertEquals(200, r.statusCode(), m.group());
      assertTrue(header(r, "Cache-Control").contains("immutable"), m.group());
    }
    assertEquals("text/css; charset=utf-8", header(pulse.get("/live.css"), "Content-Type"));
    assertTrue(pulse.get("/live/countries.json").body().contains("\"DE\":\"Germany\""));
    HttpResponse<String> map = pulse.get("/world.svg");
    assertEquals("image/svg+xml", header(map, "Content-Type"));
    assertTrue(map.body().contains("<path id=\"DE\""), "Germany on the map");
    assertTrue(map.body().length() < 150_000, "a small map: " + map.body().length());
  }

  @Test
  void theLivePageIsServedWithTheDashboardsPolicyAndItsVersionedScript() {
    HttpResponse<String> r = pulse.get("/live");
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
    assertTrue(header(r, "Content-Security-Policy").contains("script-src 'self';"));
    Matcher m = Pattern.compile("/live-list\\.js\\?v=[0-9a-f]{16}").matcher(r.body());
    assertTrue(m.find(), "the list's script is linked with its version");
    assertEquals(200, pulse.get(m.group()).statusCode());
    assertFalse(r.body().contains("<script>"), "no inline script");
  }

  @Test
  void theDashboardHasAStrictContentSecurityPolicyAndNoInlineScript() {
    HttpResponse<String> r = pulse.get("/live/demo");
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
    String csp = header(r, "Content-Security-Policy");
    assertTrue(csp.contains("default-src 'none'"), csp);
    assertTrue(csp.contains("script-src 'self';"), csp);
    assertTrue(csp.contains("style-src 'self';"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertFalse(csp.contains("unsafe-eval"), csp);
    assertEquals("no-referrer", header(r, "Referrer-Policy"));
    assertEquals("nosniff", header(r, "X-Content-Type-Options"));
    assertEquals("DENY", header(r, "X-Frame-Options"));

    String html = r.body();
    assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(html).find(),
        "every script has a src");
    assertFalse(html.contains(" style="), "no inline style");
    assertFalse(Pattern.compile("\\son[a-z]+=").matcher(html).find(), "no inline handlers");
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(),
        "nothing from another host (no CDN)");
    assertTrue(html.contains("data-site=\"demo\"") && html.contains("data-access=\"public\""));
  }

  @Test
  void aliasesOpenTheCanonicalSiteAndPrivateSitesAreMarked() {
    assertTrue(pulse.get("/live/ws_demo").body().contains("data-site=\"demo\""));
    String shop = pulse.get("/live/shop").body();
    assertTrue(shop.contains("data-access=\"private\""));
    assertFalse(shop.contains("pk_"), "no token anywhere in the page");
  }

  @Test
  void aPrivateSitesPageIsTheSameAsAnUnknownSitesAndAsksForAToken() {
    HttpResponse<String> shop = pulse.get("/live/shop");
    HttpResponse<String> nope = pulse.get("/live/nope");
    assertEquals(404, shop.statusCode());
    assertEquals(404, nope.statusCode());
    assertEquals(nope.body().replace("nope", "shop"), shop.body());
    assertTrue(shop.body().contains("No public site “shop” here"), shop.body());
    assertTrue(shop.body().contains("id=\"login-form\""));
  }

  @Test
  void anUnknownSiteIsAClearNotFoundPageThatEscapesTheName() {
    HttpResponse<String> r = pulse.get("/live/nope");
    assertEquals(404, r.statusCode());
    assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
    assertTrue(r.body().contains("No public site “nope” here"), r.body());
    assertTrue(header(r, "Content-Security-Policy").contains("script-src 'self'"));

    HttpResponse<String> hostile = pulse.get("/live/%3Cimg%20src=x%20onerror=alert(1)%3E");
    assertEquals(404, hostile.statusCode());
    assertFalse(hostile.body().contains("<img src=x"), hostile.body());
    assertTrue(hostile.body().contains("&lt;img src=x onerror=alert(1)&gt;"), hostile.body());
  }

  @Test
  void theBadgeShowsTheCountOfAPublicSiteAndNothingOfOthers() {
    int before = json(pulse.get("/api/sites/demo/realtime")).path("activeVisitors").asInt();
    assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/badge-test\"}",
        CHROME + " BadgeTest/1").statusCode());
    // the badge reads the snapshot of the current tick, like every reader: at most a tick old
    String online = ">" + (before + 1) + " online</text>";
    Browser.await(Duration.ofSeconds(3), "the badge says " + online,
        () -> pulse.get("/badge/demo.svg?window=5m").body().contains(online));
    HttpResponse<String> r = pulse.get("/badge/demo.svg?window=5m");
    assertEquals(200, r.statusCode());
    assertEquals("image/svg+xml; charset=utf-8", header(r, "Content-Type"));
    assertEquals("max-age=10", header(r, "Cache-Control"));
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    assertTrue(header(r, "Content-Security-Policy").startsWith("default-src 'none'"));
    assertTrue(r.body().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), r.body());
    assertTrue(r.body().contains(online), r.body());
    assertFalse(r.body().contains("<script"));

    HttpResponse<String> shop = pulse.get("/badge/shop.svg");
    assertEquals(404, shop.statusCode());
    assertEquals("application/json", header(shop, "Content-Type"));
    assertTrue(json(shop).path("error").asText().contains("no public site 'shop'"));
    HttpResponse<String> withToken = pulse.get("/badge/shop.svg", "Authorization",
        "Bearer " + TestPulse.SHOP_TOKEN);
    assertEquals(404, withToken.statusCode(), "a badge is public or nothing");
    assertEquals(404, pulse.get("/badge/unknown.svg").statusCode());
    assertEquals(404, pulse.get("/badge/demo.png").statusCode());
    assertEquals(400, pulse.get("/badge/demo.svg?window=2d").statusCode());
  }

  @Test
  void badgesFitTheirText() {
    String small = Badge.svg(0);
    String large = Badge.svg(123456);
    Matcher w1 = Pattern.compile("width=\"(\\d+)\"").matcher(small);
    Matcher w2 = Pattern.compile("width=\"(\\d+)\"").matcher(large);
    assertTrue(w1.find() && w2.find());
    assertTrue(Integer.parseInt(w2.group(1)) > Integer.parseInt(w1.group(1)) + 30);
    assertTrue(small.contains("#9f9f9f"), "nobody online: grey");
    assertTrue(large.contains("#2ea44f"), "somebody online: green");
  }
}
