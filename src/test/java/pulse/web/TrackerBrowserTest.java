package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.Browser;
import pulse.testing.TestPages;
import pulse.testing.TestRedis;

/**
 * The tracker as a site's visitors run it: a page served by the test includes
 * {@code /script.js} from a real Pulse, and a real headless Chromium loads it.
 */
class TrackerBrowserTest extends BrowserTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  void start() {
    start(false);
  }

  /** A page of the customer's site with the tracker tag, sending to Pulse. */
  private String page(String path, String title) {
    return page(path, title, pulse.base(), "", "");
  }

  /**
   * A page with the tracker tag sending to {@code api}.
   *
   * @param attributes more attributes of the tag
   * @param head what comes before it in the head
   */
  private String page(String path, String title, String api, String attributes,
      String head) {
    return site.page(path, """
        <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
        %s
        <script defer src="%s/script.js" data-site="demo" data-api="%s"%s></script>
        </head><body><h1>%s</h1><a id="next" href="/wire">on</a></body></html>
        """.formatted(title, head, pulse.base(), api, attributes, title));
  }

  private JsonNode page(String path) {
    for (JsonNode p : json(pulse.get("/api/sites/demo/realtime")).path("pages")) {
      if (p.path("path").asText().equals(path)) {
        return p;
      }
    }
    return null;
  }

  private long pageviews(String path) {
    JsonNode p = page(path);
    return p == null ? 0 : p.path("pageviews").asLong();
  }

  private void awaitPageviews(String path, long n) {
    Browser.await(WAIT, path + " has " + n + " pageview(s) (has " + pageviews(path) + ")",
        () -> pageviews(path) == n);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  @Test
  void thePageviewArrivesInTheSnapshot() {
    browser.open(page("/landing", "Landing page"));
    awaitPageviews("/landing", 1);
    JsonNode recent = json(pulse.get("/api/sites/demo/realtime")).path("recent").get(0);
    assertEquals("/landing", recent.path("path").asText());
    assertEquals("Landing page", recent.path("title").asText());
    assertEquals("HeadlessChrome", recent.path("browser").asText());
  }

  @Test
  void singlePageAppNavigationsAreCountedOncePerNewAddress() {
    browser.open(page("/spa/one", "SPA"));
    awaitPageviews("/spa/one", 1);

    browser.js("history.pushState({}, '', '/spa/two');");
    awaitPageviews("/spa/two", 1);
    // a replaceState that keeps the address (scroll state, say) is no new page; a new one is
    browser.js("history.replaceState({step: 2}, '', '/spa/two');");
    browser.js("history.replaceState({}, '', '/spa/three?tab=b');");
    awaitPageviews("/spa/three", 1);
    // back to /spa/one: popstate
    browser.js("history.go(-1);");
    awaitPageviews("/spa/one", 2);
    assertEquals(1, pageviews("/spa/two"));
  }

  @Test
  void aCustomEventIsStored() throws Exception {
    browser.open(page("/pricing-plans", "Plans"));
    awaitPageviews("/pricing-plans", 1);
    browser.js("pulse.track('signup', {plan: 'pro', seats: 3});");
    Browser.await(WAIT, "the event is in pulse:{demo}:events", () -> {
      try {
        return TestRedis.shared().command("ZRANGE", "pulse:{demo}:events", "0", "-1")
            .contains("signup");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    String events = TestRedis.shared().command("ZRANGE", "pulse:{demo}:events", "0", "-1");
    assertTrue(events.contains("/pricing-plans"), events);
    assertTrue(events.contains("{\"plan\":\"pro\",\"seats\":3}"), events);
  }

  /** The tracker pointed at the test's own /api/collect: exactly what goes over the wire. */
  @Test
  void sendsBeaconsWithoutCookiesAndOnlyAReturningFlagInLocalStorage() {
    String url = page("/wire", "Wire", site.base(), " data-heartbeat=\"1\"", "");
    String start = site.page("/start", "<!doctype html><a id=\"next\" href=\"/wire\">on</a>");
    browser.open(start);
    browser.js("localStorage.clear();");
    site.clearReceived();

    browser.driver().findElement(org.openqa.selenium.By.id("next")).click();
    Browser.await(WAIT, "a pageview and a heartbeat", () -> site.received().stream()
        .anyMatch(r -> r.body().contains("\"heartbeat\"")));
    TestPages.Received first = site.received().get(0);
    JsonNode pageview = parse(first.body());
    assertEquals("demo", pageview.path("site").asText());
    assertEquals("pageview", pageview.path("type").asText());
    assertEquals(url, pageview.path("url").asText());
    assertEquals("Wire", pageview.path("title").asText());
    assertEquals(start, pageview.path("referrer").asText(),
        "the first pageview says where the visitor came from");
    assertFalse(pageview.path("returning").asBoolean(true), "a first visit is not returning");
    assertTrue(first.contentType().startsWith("text/plain"), first.contentType());
    assertNull(first.cookie(), "no cookies");
    JsonNode heartbeat = site.received().stream().map(r -> parse(r.body()))
        .filter(e -> e.path("type").asText().equals("heartbeat")).findFirst().orElseThrow();
    assertEquals(url, heartbeat.path("url").asText());

    assertEquals(Boolean.TRUE, browser.js("return localStorage.length === 1 "
        + "&& localStorage.getItem('pulse_seen') === '1' && document.cookie === '';"),
        "one flag without an identifier, no cookie");

    site.clearReceived();
    browser.driver().navigate().refresh();
    Browser.await(WAIT, "the second visit's pageview", () -> site.received().stream()
        .anyMatch(r -> r.body().contains("\"pageview\"")));
    JsonNode again = site.received().stream().map(r -> parse(r.body()))
        .filter(e -> e.path("type").asText().equals("pageview")).findFirst().orElseThrow();
    assertTrue(again.path("returning").asBoolean(false), "a second visit is returning");
  }

  @Test
  void fallsBackToFetchWithKeepaliveWithoutSendBeacon() {
    String url = page("/no-beacon", "No beacon", site.base(), "",
        "<script>navigator.sendBeacon = undefined;</script>");
    site.clearReceived();
    browser.open(url);
    Browser.await(WAIT, "the pageview over fetch", () -> site.received().stream()
        .anyMatch(r -> r.body().contains("/no-beacon")));
    TestPages.Received r = site.received().get(0);
    assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
    assertNull(r.cookie());
    assertEquals(site.base(), r.origin());
  }
}
