package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.FIREFOX_LINUX;
import static pulse.testing.TestPulse.IPHONE;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.buffer.Buffer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import pulse.Pulse;
import pulse.realtime.JsonPatchDiff;
import pulse.testing.Browser;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The live dashboard in a real headless Chromium against a real Pulse on a real Redis: it shows
 * what the stream says, moves without a reload, keeps private sites behind a token, and stays
 * inside its Content-Security-Policy.
 */
class DashboardBrowserTest extends BrowserTestBase {

  @BeforeAll
  void start() {
    start(true);
  }

  private long active(String site, String... headers) {
    return json(pulse.get("/api/sites/" + site + "/realtime", headers)).path("activeVisitors")
        .asLong();
  }

  private String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private String state() {
    return browser.driver().findElement(By.id("state")).getAttribute("data-state");
  }

  @Test
  void showsTheCountAndChangesWithinTwoSecondsOfANewEventWithoutAReload() {
    visit("demo", "http://localhost/pricing", "Pricing", "https://news.ycombinator.com/item",
        CHROME, "DE", "198.51.100.1");
    visit("demo", "http://localhost/", "Home", "https://www.google.com/", IPHONE, "US",
        "198.51.100.2");
    browser.open(pulse.base() + "/live/demo");
    Browser.await(WAIT, "the dashboard goes live and shows the snapshot's count",
        () -> "live".equals(state()) && text("active").equals(Long.toString(active("demo"))));
    browser.js("window.pulseTestMarker = 'still the same page';");

    long before = active("demo");
    long start = System.nanoTime();
    visit("demo", "http://localhost/docs/live", "Live docs", "", FIREFOX_LINUX, "GB",
        "198.51.100.3");
    Browser.await(Duration.ofSeconds(2), "the count moves from " + before + " within 2 s",
        () -> text("active").equals(Long.toString(before + 1)));
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("dashboard showed the new visitor after " + millis + " ms");
    assertEquals("still the same page", browser.js("return window.pulseTestMarker;"),
        "the page was not reloaded");

    Browser.await(WAIT, "the lists follow", () -> text("pages").contains("/docs/live")
        && text("recent").contains("/docs/live"));
    assertTrue(text("countries").contains("Germany"), text("countries"));
    assertTrue(text("countries").contains("United Kingdom"), text("countries"));
    assertTrue(text("referrers").contains("news.ycombinator.com"), text("referrers"));
    assertTrue(text("browsers").contains("Firefox"), text("browsers"));
    assertTrue(text("devices").contains("mobile"), text("devices"));
    assertEquals("Live", text("state-text"));
    List<WebElement> bars = browser.driver().findElements(By.cssSelector("#chart rect.uv"));
    assertEquals(5, bars.size(), "one column per minute of the 5-minute window");

    List<String> console = browser.console();
    assertTrue(console.stream().noneMatch(line -> line.contains("Content Security Policy")
        || line.contains("SEVERE")), "the console is clean: " + console);
  }

  /**
   * The dashboard reads the delta stream: a whole snapshot, then JSON Patches, which it applies
   * as RFC 6902 says (the RFC's own examples, and patches the server's differ makes); merge
   * patches as RFC 7386 says (the RFC's own example). What it shows after patches is what a
   * whole snapshot says.
   */
  @Test
  void theDashboardAppliesPatchesAsTheRfcsSay() {
    browser.open(pulse.base() + "/live/demo");
    Browser.await(WAIT, "the dashboard goes live", () -> "live".equals(state()));
    assertEquals("{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},"
        + "\"tags\":[\"example\"],\"content\":\"This will be unchanged\","
        + "\"phoneNumber\":\"+01-123-456-7890\"}",
        browser.js("var t = {title: 'Goodbye!', author: {givenName: 'John', familyName: 'Doe'},"
            + " tags: ['example', 'sample'], content: 'This will be unchanged'};"
            + "var r = PulseLive.mergePatch(t, {title: 'Hello!', phoneNumber: '+01-123-456-7890',"
            + " author: {familyName: null}, tags: ['example']});"
            + "return t.author.familyName === 'Doe' ? JSON.stringify(r) : 'the target changed';"));
    // RFC 6902, appendix A.1 to A.5, with the three operations the server sends
    assertEquals("[{\"foo\":\"bar\",\"baz\":\"qux\"},{\"foo\":[\"bar\",\"qux\",\"baz\"]},"
        + "{\"foo\":\"bar\"},{\"foo\":[\"bar\",\"baz\"]},{\"baz\":\"boo\",\"foo\":\"bar\"}]",
        browser.js("var p = PulseLive.jsonPatch; return JSON.stringify(["
            + "p({foo: 'bar'}, [{op: 'add', path: '/baz', value: 'qux'}]),"
            + "p({foo: ['bar', 'baz']}, [{op: 'add', path: '/foo/1', value: 'qux'}]),"
            + "p({baz: 'qux', foo: 'bar'}, [{op: 'remove', path: '/baz'}]),"
            + "p({foo: ['bar', 'qux', 'baz']}, [{op: 'remove', path: '/foo/1'}]),"
            + "p({baz: 'qux', foo: 'bar'}, [{op: 'replace', path: '/baz', value: 'boo'}])]);"));
    assertEquals("throws", browser.js("try { PulseLive.jsonPatch({foo: 'bar'},"
        + " [{op: 'add', path: '/baz/bat', value: 'qux'}]); return 'applied'; }"
        + " catch (e) { return 'throws'; }"), "RFC 6902 A.12: adding to a nonexistent target");
    // the server's differ's patches, applied in the page, give the server's next document
    String[] docs = {
        "{\"timestamp\":\"t1\",\"activeVisitors\":2,\"stale\":true,\"recent\":[{\"path\":\"/b\"},"
            + "{\"path\":\"/a\"}],\"pages\":[{\"path\":\"/a\",\"visitors\":1}],\"a/b~c\":1,"
            + "\"baseline\":null}",
        "{\"timestamp\":\"t2\",\"activeVisitors\":3,\"recent\":[{\"path\":\"/c\"},{\"path\":\"/b\"}],"
            + "\"pages\":[{\"path\":\"/c\",\"visitors\":2},{\"path\":\"/a\",\"visitors\":1}],"
            + "\"baseline\":{\"weekAgo\":4,\"ratio\":0.75}}",
        "{\"timestamp\":\"t3\",\"activeVisitors\":0,\"recent\":[],\"pages\":[],\"baseline\":null,"
            + "\"today\":{\"visitors\":9}}"};
    for (int i = 0; i + 1 < docs.length; i++) {
      JsonNode from = JsonPatchDiff.parse(Buffer.buffer(docs[i]));
      JsonNode to = JsonPatchDiff.parse(Buffer.buffer(docs[i + 1]));
      String patch = JsonPatchDiff.encode(JsonPatchDiff.diff(from, to)).toString();
      Object applied = browser.js("var t = " + docs[i] + "; var before = JSON.stringify(t);"
          + " var r = PulseLive.jsonPatch(t, " + patch + ");"
          + " return JSON.stringify(t) === before ? JSON.stringify(r) : 'the target changed';");
      assertEquals(to, JsonPatchDiff.parse(Buffer.buffer(String.valueOf(applied))),
          "patch " + patch + " gives " + applied);
    }
    Object url = browser.js("return PulseLive.stream.url;");
    assertTrue(String.valueOf(url).endsWith("/api/sites/demo/stream?window=300&delta=json-patch"),
        "the dashboard opens a JSON Patch stream: " + url);

    // after patches, the page shows what a whole snapshot says
    visit("demo", "http://localhost/patched/one", "Patched", "", FIREFOX_LINUX, "FR",
        "198.51.100.41");
    visit("demo", "http://localhost/patched/two", "Patched", "", CHROME, "FR", "198.51.100.42");
    Browser.await(WAIT, "patched lists and count follow", () -> text("recent").contains("/patched/two")
        && text("pages").contains("/patched/one")
        && text("active").equals(Long.toString(active("demo"))));
    // leave the page, closing its stream, before the next test loads another
    browser.open("about:blank");
  }

  @Test
  void theWindowSelectorSwitchesTheStreamAndKeepsTheChoiceInTheAddress() {
    browser.open(pulse.base() + "/live/demo");
    Browser.await(WAIT, "live", () -> "live".equals(state()));
    browser.driver().findElement(By.cssSelector("[data-window='1800']")).click();
    Browser.await(WAIT, "30 columns of minutes", () -> browser.driver()
        .findElements(By.cssSelector("#chart rect.uv")).size() == 30);
    assertTrue(browser.driver().getCurrentUrl().endsWith("/live/demo?window=30m"));
    assertEquals("true", browser.driver().findElement(By.cssSelector("[data-window='1800']"))
        .getAttribute("aria-pressed"));
    assertTrue(text("window-label").contains("30 minutes"));

    browser.driver().navigate().refresh();
    Browser.await(WAIT, "the window survives a reload", () -> "live".equals(state())
        && browser.driver().findElements(By.cssSelector("#chart rect.uv")).size() == 30);
  }

  @Test
  void oneVisitorIsOneVisitorOnline() {
    visit("ztas", "https://ztas.example.com/", "Home", "", CHROME, "DE", "198.51.100.40");
    browser.open(pulse.base() + "/live/ztas");
    Browser.await(WAIT, "one visitor", () -> "live".equals(state()) && text("active").equals("1"));
    assertTrue(text("active-label").startsWith("visitor online"), text("active-label"));
    visit("ztas", "https://ztas.example.com/", "Home", "", IPHONE, "DE", "198.51.100.41");
    Browser.await(WAIT, "two visitors", () -> text("active").equals("2")
        && text("active-label").startsWith("visitors online"));
  }

  @Test
  void topPagesListThePagesVisitorsAreOnNotOnesTheyLeft() {
    // one visitor read /left and moved on to /here: /left had a pageview, and nobody is on it
    visit("zen", "https://zen.example.com/left", "Left", "", CHROME, "DE", "198.51.100.50");
    visit("zen", "https://zen.example.com/here", "Here", "", CHROME, "DE", "198.51.100.50");
    assertTrue(pulse.get("/api/sites/zen/realtime").body().contains(
        "{\"path\":\"/left\",\"visitors\":0,\"pageviews\":1,"), "the snapshot lists /left");
    browser.open(pulse.base() + "/live/zen");
    Browser.await(WAIT, "the page the visitor is on", () -> "live".equals(state())
        && text("pages").contains("/here"));
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#pages li"));
    assertEquals(1, rows.size(), text("pages"));
    // the page, its visitor, who is reading it now, and no engaged time reported yet
    assertEquals("/here\n1\n1\n–", rows.get(0).getText());
  }

  @Test
  void theOneMinuteWindowDrawsTenSecondColumns() {
    visit("demo", "http://localhost/ten-seconds", "Ten", "", CHROME, "DE", "198.51.100.60");
    browser.open(pulse.base() + "/live/demo?window=1m");
    // the newest six 10-second spans, as perMinute holds the newest minutes of a window
    Browser.await(WAIT, "six columns of ten seconds holding the new pageview", () -> {
      List<WebElement> columns = browser.driver().findElements(By.cssSelector("#chart g.column"));
      long shown = 0;
      for (WebElement c : columns) {
        shown += Long.parseLong(c.getAttribute("data-pageviews"));
      }
      long pageviews = json(pulse.get("/api/sites/demo/realtime?window=1m")).path("pageviews")
          .asLong();
      return "live".equals(state()) && columns.size() == 6 && shown >= 1 && shown <= pageviews;
    });
    assertTrue(text("chart-caption").contains("per 10 seconds"), text("chart-caption"));
    browser.driver().findElement(By.cssSelector("[data-window='300']")).click();
    Browser.await(WAIT, "five columns of minutes again", () -> browser.driver()
        .findElements(By.cssSelector("#chart rect.uv")).size() == 5
        && text("chart-caption").contains("per minute"));
  }

  @Test
  void untilTheFirstSnapshotThePageSaysItIsLoadingNotLive() throws Exception {
    TestRedis redis = TestRedis.startProcess(List.of());
    try (TestPulse own = TestPulse.start(redis.url(), Clock.systemUTC(), c -> { },
        new Pulse.Options(true))) {
      // the stream opens, but no snapshot can be read while the store is down
      redis.stop();
      browser.open(own.base() + "/live/demo");
      Browser.await(WAIT, "the stream is open",
          () -> own.pulse().services().streams().openStreams() == 1);
      Thread.sleep(1000); // the browser has had time to see the stream open
      assertEquals("loading", state());
      assertEquals("Loading…", text("state-text"));
      assertEquals("true", browser.driver().findElement(By.id("dash")).getAttribute("aria-busy"));
      redis.restart();
      Browser.await(Duration.ofSeconds(15), "live once a snapshot arrives",
          () -> "live".equals(state()) && text("active").equals("0"));
      assertEquals("false", browser.driver().findElement(By.id("dash")).getAttribute("aria-busy"));
    } finally {
      forgetExpectedConsoleErrors();
      redis.stop();
    }
  }

  /**
   * The server says it closes (reconnecting), then Pulse restarts behind a reverse proxy, which
   * answers 502 while it is away: after 10 s of trouble the page says since when its figures are
   * (stale); it stays away longer than a doubling back-off takes to reach long delays, and the
   * page is live again within seconds of its return, not after the back-off's next 16 or 30 s.
   */
  @Test
  void reconnectingThenStaleWhileAwayAndLiveWithinSecondsOfARestartBehindAProxy()
      throws Exception {
    int port = TestRedis.freePort();
    TestPulse first = TestPulse.start(null, Clock.systemUTC(), c -> c.put("port", port),
        new Pulse.Options(true));
    try {
      browser.open(first.base() + "/live/demo");
      Browser.await(WAIT, "live", () -> "live".equals(state()));
      first.pulse().services().streams().closeAll();
      Browser.await(WAIT, "reconnecting after the server's close message",
          () -> "reconnecting".equals(state()));
    } finally {
      first.close();
    }
    HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    proxy.createContext("/", exchange -> {
      exchange.sendResponseHeaders(502, -1);
      exchange.close();
    });
    proxy.start();
    try {
      Browser.await(Duration.ofSeconds(20), "stale", () -> "stale".equals(state()));
      assertTrue(text("state-text").matches("Stale · last update \\d\\d:\\d\\d:\\d\\d"),
          text("state-text"));
      Thread.sleep(8000);
    } finally {
      proxy.stop(0);
    }
    try (TestPulse second = TestPulse.start(null, Clock.systemUTC(), c -> c.put("port", port),
        new Pulse.Options(true))) {
      long start = System.nanoTime();
      Browser.await(Duration.ofSeconds(8), "live again soon after the restart",
          () -> "live".equals(state()));
      System.out.println("live again " + (System.nanoTime() - start) / 1_000_000
          + " ms after the restart");
    } finally {
      forgetExpectedConsoleErrors();
    }
  }

  /** The page leaves the server this test stopped; the failed loads it logged were the point. */
  private void forgetExpectedConsoleErrors() {
    browser.open("about:blank");
    browser.console();
  }

  @Test
  void aPrivateSiteAsksForATokenOnceAndNeverPutsItInAUrl() {
    visit("shop", "https://shop.example.com/cart", "Cart", "", CHROME, "FR",
        "198.51.100.20");
    browser.open(pulse.base() + "/live/shop");
    Browser.await(WAIT, "the token form", () -> browser.driver().findElement(By.id("login"))
        .isDisplayed());
    assertEquals("locked", state());
    assertFalse(browser.driver().findElement(By.id("dash")).isDisplayed());

    WebElement token = browser.driver().findElement(By.id("token"));
    token.sendKeys(TestPulse.BLOG_TOKEN);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    Browser.await(WAIT, "a token of another site is refused", () -> browser.driver()
        .findElement(By.id("login-error")).getText().contains("may not read this site"));

    browser.driver().findElement(By.id("token")).sendKeys(TestPulse.SHOP_TOKEN);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    String auth = "Bearer " + TestPulse.SHOP_TOKEN;
    Browser.await(WAIT, "live with the shop's count", () -> "live".equals(state())
        && text("active").equals(Long.toString(active("shop", "Authorization", auth))));
    assertTrue(text("pages").contains("/cart"));

    long before = active("shop", "Authorization", auth);
    visit("shop", "https://shop.example.com/checkout", "Checkout", "", IPHONE, "FR",
        "198.51.100.21");
    Browser.await(Duration.ofSeconds(3), "the private dashboard moves too",
        () -> text("active").equals(Long.toString(before + 1)));

    // the token went in a POST header only: no URL the page loaded or shows holds it
    List<String> urls = browser.js("return performance.getEntriesByType('resource')"
        + ".map(function (e) { return e.name; }).concat([location.href]);");
    assertTrue(urls.stream().noneMatch(u -> u.contains(TestPulse.SHOP_TOKEN)), urls.toString());
    assertEquals(TestPulse.SHOP_TOKEN, browser.js("return sessionStorage.getItem('pulse.token.shop');"));
    assertEquals(Boolean.TRUE, browser.js("return localStorage.length === 0 && document.cookie === '';"));

    // asked once: a reload in the same tab opens directly
    browser.driver().navigate().refresh();
    Browser.await(WAIT, "live again without the form", () -> "live".equals(state()));
    assertFalse(browser.driver().findElement(By.id("login")).isDisplayed());
    browser.js("sessionStorage.clear();");
  }

  @Test
  void anUnknownSiteGetsAClearNotFoundPageThatLooksLikeAPrivateOne() {
    browser.open(pulse.base() + "/live/no-such-site");
    Browser.await(WAIT, "the token form", () -> browser.driver().findElement(By.id("login"))
        .isDisplayed());
    assertTrue(browser.driver().findElement(By.cssSelector("#login h2")).getText()
        .contains("No public site “no-such-site” here"));
  }

  /**
   * The demo feed ({@code --demo}) in the embedded store: the dashboard a newcomer sees first.
   * Its screenshots are this build's artifacts: target/screenshots/dashboard.png (and -phone).
   */
  @Test
  void theDemoFeedMovesTheDashboardAndItsScreenshotsAreSaved() throws Exception {
    try (TestPulse demo = TestPulse.start(null, Clock.systemUTC(), c -> { },
        new Pulse.Options(true, true))) {
      browser.size(1280, 1180);
      browser.open(demo.base() + "/live/demo");
      Browser.await(WAIT, "the demo visitors are counted", () -> "live".equals(state())
          && !text("active").equals("–") && Long.parseLong(text("active")) > 0);
      String updated = text("updated");
      Browser.await(WAIT, "the demo keeps moving", () -> !text("updated").equals(updated));
      browser.fitHeight(1280);
      Thread.sleep(800); // let the newest rows finish sliding in
      Path desktop = browser.screenshot("dashboard");
      assertTrue(Files.size(desktop) > 20_000, "a real screenshot");

      browser.size(412, 900);
      Browser.await(WAIT, "one column on a phone", () -> browser.driver()
          .findElement(By.id("pages")).getRect().getX() < 40);
      browser.fitHeight(412);
      Thread.sleep(300);
      browser.screenshot("dashboard-phone");
    } finally {
      browser.size(1280, 1000);
      // the page's stream retries the demo Pulse just closed: its failed load is no error of
      // the next test's page, whose console must be clean
      forgetExpectedConsoleErrors();
    }
  }
}
