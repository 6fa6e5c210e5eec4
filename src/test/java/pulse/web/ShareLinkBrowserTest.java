package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.FIREFOX_LINUX;
import static pulse.testing.TestPulse.IPHONE;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import pulse.Pulse;
import pulse.config.ConfigLoader;
import pulse.site.ShareCommand;
import pulse.site.Sites;
import pulse.testing.Browser;
import pulse.testing.TestPages;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The link {@code pulse share shop --write} prints, opened in a real Chromium against a Pulse
 * started from the sites file it wrote: the private dashboard opens live without asking; the same
 * address without the token is the page of a site that is not there; and a counter with the token
 * in data-token counts the private site on another site's page.
 */
class ShareLinkBrowserTest extends BrowserTestBase {
  private static final String SITES = """
      {
        "sites": [
          {"id": "demo", "domains": ["localhost"], "public": true},
          {"id": "shop", "domains": ["shop.example.com"], "public": false},
          {"id": "blog", "domains": ["blog.example.com"], "public": false}
        ]
      }
      """;

  String link;
  String token;

  @BeforeAll
  void shareAndStart(@TempDir Path dir) throws Exception {
    TestRedis.shared().flushAll();
    Path file = dir.resolve("sites.json");
    Files.writeString(file, SITES);
    var tree = ConfigLoader.defaults();
    tree.put("port", 0);
    tree.put("host", "127.0.0.1");
    tree.putNull("geoipDb");
    tree.put("trustProxy", true);
    tree.put("redisUrl", TestRedis.shared().url());
    // the link names the address Pulse is reached at: a port chosen before it starts
    int port = TestRedis.freePort();
    tree.put("port", port);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, ShareCommand.run(new String[] {"share", "shop", "--write", "--base",
        "http://127.0.0.1:" + port}, Map.of("PULSE_SITES", file.toString()), Clock.systemUTC(),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    Matcher m = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/live/shop#token=(pk_\\w+))")
        .matcher(out.toString(StandardCharsets.UTF_8));
    assertTrue(m.find(), out.toString(StandardCharsets.UTF_8));
    link = m.group(1);
    token = m.group(2);
    pulse = TestPulse.start(ConfigLoader.fromJson(tree), Sites.load(file), Clock.systemUTC(),
        new Pulse.Options(true));
    site = TestPages.start();
    visit("shop", "https://shop.example.com/secret-sale", "Sale", "", CHROME, "FR",
        "198.51.100.70");
    visit("shop", "https://shop.example.com/", "Home", "", IPHONE, "DE", "198.51.100.71");
    visit("blog", "https://blog.example.com/draft", "Draft", "", CHROME, "FR", "198.51.100.72");
  }

  /** Each test starts in a tab that holds no token of Pulse's origin. */
  @BeforeEach
  void forgetTokens() {
    browser.open(pulse.base() + "/favicon.svg");
    browser.js("sessionStorage.clear();");
  }

  private String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private String state() {
    return browser.driver().findElement(By.id("state")).getAttribute("data-state");
  }

  /** The shop's visitors online as its snapshot says, read with the shared token. */
  private long active() {
    return TestPulse.json(pulse.get("/api/sites/shop/realtime", "Authorization",
        "Bearer " + token)).path("activeVisitors").asLong();
  }

  private long onPage(String path) {
    for (var p : TestPulse.json(pulse.get("/api/sites/shop/realtime", "Authorization",
        "Bearer " + token)).path("pages")) {
      if (p.path("path").asText().equals(path)) {
        return p.path("visitors").asLong();
      }
    }
    return 0;
  }

  private boolean shown(String id) {
    return browser.driver().findElement(By.id(id)).isDisplayed();
  }

  @Test
  void theShareLinkOpensThePrivateDashboardLiveWithoutAsking() {
    browser.open(link);
    Browser.await(WAIT, "live with shop's visitors", () -> "live".equals(state())
        && text("active").equals(Long.toString(active())));
    assertFalse(shown("login"), "no token form");
    assertTrue(text("pages").contains("/secret-sale"), text("pages"));
    assertTrue(text("countries").contains("France"), text("countries"));

    long before = active();
    visit("shop", "https://shop.example.com/checkout", "Checkout", "", FIREFOX_LINUX, "GB",
        "198.51.100.73");
    Browser.await(Duration.ofSeconds(3), "the count follows the stream", () -> text("active")
        .equals(Long.toString(before + 1)) && text("recent").contains("/checkout"));

    // the token went in a POST header only: every URL the page loaded is free of it
    List<String> urls = browser.js("return performance.getEntriesByType('resource')"
        + ".map(function (e) { return e.name; });");
    assertTrue(urls.stream().anyMatch(u -> u.endsWith("/api/sites/shop/stream-tickets")),
        urls.toString());
    assertTrue(urls.stream().noneMatch(u -> u.contains(token)), urls.toString());

    // the link stays the address, through a window switch and a reload
    browser.driver().findElement(By.cssSelector("[data-window='1800']")).click();
    Browser.await(WAIT, "30 columns", () -> browser.driver()
        .findElements(By.cssSelector("#chart rect.uv")).size() == 30);
    assertEquals(link.replace("#", "?window=30m#"), browser.driver().getCurrentUrl());
    browser.driver().navigate().refresh();
    Browser.await(WAIT, "live again after a reload", () -> "live".equals(state())
        && text("active").equals(Long.toString(active())));
  }

  @Test
  void withoutTheTokenTheSameAddressIsThePageOfASiteThatIsNotThere() {
    browser.open(link.substring(0, link.indexOf('#')));
    Browser.await(WAIT, "the token form", () -> shown("login"));
    assertEquals("locked", state());
    assertFalse(shown("dash"), "no figures");
    assertTrue(text("login").contains("No public site “shop” here"), text("login"));
    String page = browser.driver().getPageSource();
    assertFalse(page.contains("secret-sale"), "nothing of the site is on the page");
  }

  @Test
  void theShopsTokenInALinkToAnotherPrivateSiteIsRefusedAndLeavesTheAddress() {
    String blog = link.replace("/live/shop#", "/live/blog#");
    browser.open(blog);
    Browser.await(WAIT, "refused with the form", () -> shown("login")
        && text("login-error").contains("may not read this site"));
    assertFalse(shown("dash"));
    assertEquals(blog.substring(0, blog.indexOf('#')), browser.driver().getCurrentUrl(),
        "a refused token leaves the address");
    assertEquals(Boolean.TRUE, browser.js("return sessionStorage.length === 0;"));
  }

  @Test
  void aCounterWithTheTokenCountsThePrivateSiteOnAnotherSitesPage() {
    String counters = """
        <!doctype html><html><head><meta charset="utf-8"><title>Shared counter</title>%s
        <script defer src="%s/embed.js"></script></head><body>
        <p><span id="shop" data-pulse-counter="shop" data-token="%s"
             data-label="{n} shopping">…</span></p>
        <p><span id="sale" data-pulse-counter="shop" data-token="%s"
             data-path="/secret-sale">…</span></p>
        <p><span id="blog" data-pulse-counter="blog" data-token="%s">…</span></p>
        <p><span id="bare" data-pulse-counter="shop">…</span></p>
        </body></html>
        """;
    for (String head : new String[] {"", "<script>window.EventSource = undefined;</script>"}) {
      browser.open(site.page(head.isEmpty() ? "/shared" : "/shared-polling",
          counters.formatted(head, pulse.base(), token, token, token)));
      Browser.await(WAIT, "the counters of shop count, the others say why not" + head, () ->
          text("shop").equals(active() + " shopping")
              && text("sale").equals(Long.toString(onPage("/secret-sale")))
              && text("blog").equals("unknown site") && text("bare").equals("unknown site"));
    }
    // the streamed counter moves without a reload
    browser.open(site.page("/shared", counters.formatted("", pulse.base(), token, token, token)));
    long before = active();
    long onSale = onPage("/secret-sale");
    Browser.await(WAIT, "streamed", () -> text("shop").equals(before + " shopping"));
    visit("shop", "https://shop.example.com/secret-sale", "Sale", "", FIREFOX_LINUX, "US",
        "198.51.100.74");
    Browser.await(Duration.ofSeconds(3), "the counter follows the stream",
        () -> text("shop").equals((before + 1) + " shopping")
            && text("sale").equals(Long.toString(onSale + 1)));
  }
}
