package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.FIREFOX_LINUX;
import static pulse.testing.TestPulse.IPHONE;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import pulse.Pulse;
import pulse.testing.Browser;
import pulse.testing.TestPulse;

/**
 * The live views of issue 12 in a real headless Chromium against a real Pulse: the world map,
 * filters by a click on a row, TV mode and the /live list of public sites.
 */
class LiveViewsBrowserTest extends BrowserTestBase {

  @BeforeAll
  void start() {
    start(true);
  }

  private String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private String state() {
    return browser.driver().findElement(By.id("state")).getAttribute("data-state");
  }

  private JsonNode snapshot(String site, String... filters) {
    StringBuilder query = new StringBuilder();
    for (String f : filters) {
      query.append(query.length() == 0 ? "?" : "&").append("filter=")
          .append(URLEncoder.encode(f, StandardCharsets.UTF_8));
    }
    return json(pulse.get("/api/sites/" + site + "/realtime" + query));
  }

  private WebElement country(String code) {
    return browser.driver().findElement(By.cssSelector("#map path[data-cc='" + code + "']"));
  }

  @Test
  void theMapShadesTheCountriesWithVisitorsAndSaysTheirCount() {
    visit("zen", "https://zen.example.com/", "Home", "", CHROME, "DE", "198.51.100.70");
    visit("zen", "https://zen.example.com/a", "A", "", IPHONE, "DE", "198.51.100.71");
    visit("zen", "https://zen.example.com/b", "B", "", FIREFOX_LINUX, "BR", "198.51.100.72");
    browser.open(pulse.base() + "/live/zen");
    Browser.await(WAIT, "Germany shaded with its 2 visitors", () -> "live".equals(state())
        && "2".equals(country("DE").getAttribute("data-visitors")));
    assertEquals("v5", country("DE").getAttribute("class"), "the busiest country is darkest");
    assertEquals("1", country("BR").getAttribute("data-visitors"));
    assertTrue(country("BR").getAttribute("class").matches("v[1-4]"),
        country("BR").getAttribute("class"));
    assertNull(country("FR").getAttribute("data-visitors"), "a country without visitors");
    assertNull(country("FR").getAttribute("class"), "unshaded");
    assertEquals("Germany: 2 visitors", country("DE").findElement(By.tagName("title"))
        .getAttribute("textContent"));
    List<WebElement> countries = browser.driver().findElements(By.cssSelector("#map path"));
    assertTrue(countries.size() > 200, "one path per country: " + countries.size());
    String fill = browser.js("return getComputedStyle(arguments[0]).fill;", country("DE"));
    String empty = browser.js("return getComputedStyle(arguments[0]).fill;", country("FR"));
    assertFalse(fill.equals(empty), "shaded " + fill + " against " + empty);
    // the map is Pulse's own file, loaded from Pulse
    List<String> urls = browser.js("return performance.getEntriesByType('resource')"
        + ".map(function (e) { return e.name; });");
    assertTrue(urls.stream().anyMatch(u -> u.startsWith(pulse.base() + "/world.svg?v=")), urls.toString());
    assertTrue(urls.stream().allMatch(u -> u.startsWith(pulse.base())), urls.toString());
  }

  @Test
  void clickingARowFiltersTheDashboardAndTheFilterLivesInTheAddress() {
    visit("demo", "http://localhost/filtered", "F", "", CHROME, "FR", "198.51.100.80");
    visit("demo", "http://localhost/other", "O", "", IPHONE, "US", "198.51.100.81");
    visit("demo", "http://localhost/other", "O", "", FIREFOX_LINUX, "US", "198.51.100.82");
    browser.open(pulse.base() + "/live/demo");
    Browser.await(WAIT, "France listed", () -> "live".equals(state())
        && !browser.driver().findElements(By.cssSelector("#countries li[data-value='FR']")).isEmpty());
    long all = snapshot("demo").path("activeVisitors").asLong();
    browser.driver().findElement(By.cssSelector("#countries li[data-value='FR']")).click();

    Browser.await(WAIT, "the address holds the filter", () -> browser.driver().getCurrentUrl()
        .endsWith("/live/demo?window=5m&filter=country%3AFR"));
    Browser.await(WAIT, "the figures are France's", () -> "live".equals(state())
        && text("active").equals(snapshot("demo", "country:FR").path("activeVisitors").asText()));
    long france = Long.parseLong(text("active"));
    assertTrue(france >= 1 && france < all, france + " of " + all);
    assertTrue(text("pages").contains("/filtered"), text("pages"));
    assertFalse(text("pages").contains("/other"), text("pages"));
    WebElement chip = browser.driver().findElement(By.cssSelector("[data-filter='country:FR']"));
    assertTrue(chip.getText().contains("France"), chip.getText());

    // a second filter on a page row; a reload keeps both
    browser.driver().findElement(By.cssSelector("#pages li[data-value='/filtered']")).click();
    Browser.await(WAIT, "two filters in the address", () -> browser.driver().getCurrentUrl()
        .contains("filter=country%3AFR&filter=path%3A%2Ffiltered"));
    browser.driver().navigate().refresh();
    Browser.await(WAIT, "still filtered after a reload", () -> "live".equals(state())
        && browser.driver().findElements(By.cssSelector("#filter-chips .chip")).size() == 2
        && text("active").equals(snapshot("demo", "country:FR", "path:/filtered")
            .path("activeVisitors").asText()));

    // the chips remove themselves
    browser.driver().findElement(By.cssSelector("[data-filter='path:/filtered']")).click();
    browser.driver().findElement(By.cssSelector("[data-filter='country:FR']")).click();
    Browser.await(WAIT, "unfiltered again", () -> browser.driver().getCurrentUrl()
        .endsWith("/live/demo") && !browser.driver().findElement(By.id("filters")).isDisplayed()
        && text("active").equals(snapshot("demo").path("activeVisitors").asText()));
  }

  @Test
  void anEventRowFiltersByTheEventAndShowsItsTopProps() {
    String event = "{\"site\":\"demo\",\"type\":\"event\",\"name\":\"signup\","
        + "\"props\":{\"plan\":\"pro\"},\"url\":\"http://localhost/pricing\"}";
    assertEquals(202, pulse.collect(event, CHROME, "X-Forwarded-For", "198.51.100.90",
        "CF-IPCountry", "DE").statusCode());
    browser.open(pulse.base() + "/live/demo");
    Browser.await(WAIT, "the event with its props", () -> "live".equals(state())
        && browser.driver().findElement(By.id("events-card")).isDisplayed()
        && text("events").contains("signup") && text("events").contains("plan: pro"));
    browser.driver().findElement(By.cssSelector("#events li[data-value='signup']")).click();
    Browser.await(WAIT, "filtered by the event", () -> browser.driver().getCurrentUrl()
        .endsWith("filter=event%3Asignup") && "live".equals(state())
        && text("active").equals(snapshot("demo", "event:signup").path("activeVisitors").asText()));
  }

  @Test
  void tvModeIsDarkLargeAndHasNoControls() {
    visit("demo", "http://localhost/tv", "TV", "", CHROME, "DE", "198.51.100.100");
    browser.size(1600, 900);
    try {
      browser.open(pulse.base() + "/live/demo?tv=1");
      Browser.await(WAIT, "live", () -> "live".equals(state()) && !text("active").equals("–"));
      String background = browser.js("return getComputedStyle(document.body).backgroundColor;");
      assertTrue(luminance(background) < 0.1, "dark: " + background);
      assertFalse(browser.driver().findElement(By.cssSelector(".windows")).isDisplayed(),
          "no window buttons");
      assertTrue(browser.driver().findElements(By.cssSelector(".pick, [role='button']")).isEmpty(),
          "no rows to click");
      double size = Double.parseDouble(browser.<String>js(
          "return getComputedStyle(document.getElementById('active')).fontSize;")
          .replace("px", ""));
      assertTrue(size >= 120, "a large count: " + size + "px");
    } finally {
      browser.size(1280, 1000);
    }
  }

  @Test
  void theLivePageListsPublicSitesWithTheirCountsAndNoPrivateOne() throws Exception {
    visit("ztas", "https://ztas.example.com/", "Home", "", CHROME, "DE", "198.51.100.110");
    visit("shop", "https://shop.example.com/cart", "Cart", "", CHROME, "FR", "198.51.100.111");
    browser.open(pulse.base() + "/live");
    Browser.await(WAIT, "the public sites with their counts", () -> "live".equals(state())
        && rowText("ztas").startsWith("ztas\n" + snapshot("ztas").path("activeVisitors").asText()
            + "\n" + snapshot("ztas").path("present").asText()));
    List<String> listed = browser.js("return Array.prototype.map.call("
        + "document.querySelectorAll('#sites tr[data-site]'), function (r) { return r.getAttribute('data-site'); });");
    assertTrue(listed.containsAll(List.of("demo", "ztas", "zen")), listed.toString());
    for (String hidden : List.of("shop", "blog", "vers", "fast", "uma", "plaus")) {
      assertFalse(listed.contains(hidden), "a private site is listed: " + listed);
    }
    assertFalse(browser.driver().getPageSource().contains("shop"), "nothing names a private site");

    long before = snapshot("zen").path("activeVisitors").asLong();
    visit("zen", "https://zen.example.com/new", "New", "", IPHONE, "US", "198.51.100.112");
    Browser.await(WAIT, "the list follows without a reload", () -> rowText("zen")
        .startsWith("zen\n" + (before + 1)));
    // the list is drawn anew on each poll: a link found just before may be gone by the click
    Browser.await(WAIT, "the site's name clicked", () -> {
      try {
        browser.driver().findElement(By.linkText("zen")).click();
        return true;
      } catch (StaleElementReferenceException redrawn) {
        return false;
      }
    });
    Browser.await(WAIT, "a site's name opens its dashboard", () -> browser.driver()
        .getCurrentUrl().endsWith("/live/zen") && "live".equals(state()));
  }

  @Test
  void theListsEndpointRefusesABadWindowWithAClearError() {
    var answer = pulse.get("/api/live?window=forever");
    assertEquals(400, answer.statusCode());
    assertTrue(json(answer).path("error").asText().startsWith("window must be"), answer.body());
    JsonNode list = json(pulse.get("/api/live?window=1m"));
    assertEquals(60, list.path("window").asInt());
    assertTrue(list.path("sites").isArray() && list.path("sites").size() == 3, list.toString());
  }

  private String rowText(String site) {
    // read in one script: the page rebuilds its rows on every poll
    return browser.js("var r = document.querySelector('#sites tr[data-site=\"' + arguments[0]"
        + " + '\"]'); return r ? Array.prototype.map.call(r.cells, function (c) {"
        + " return c.textContent; }).join('\\n') : '';", site);
  }

  @Test
  void theLast24HoursShowTheLineThePeakLastWeekAndTheBaseline() throws Exception {
    pulse.store.EventStore store = pulse.pulse().services().store();
    long now = System.currentTimeMillis() / 60_000L;
    long week = 7 * 1440L;
    for (long m = now - 600; m < now; m++) {
      long active = m == now - 90 ? 40 : 5 + m % 7;
      await(store.recordMinute("vers", m, active, active / 2));
      await(store.recordMinute("vers", m - week, 3, 1));
    }
    await(store.recordMinute("vers", now - week, 4, 2));
    await(store.recordMinute("vers", now + 1 - week, 4, 2));
    visit("vers", "https://vers.example.com/", "Home", "", CHROME, "DE", "198.51.100.120");
    visit("vers", "https://vers.example.com/", "Home", "", IPHONE, "DE", "198.51.100.121");
    browser.open(pulse.base() + "/live/vers#token=" + TestPulse.VT_TOKEN);
    Browser.await(WAIT, "the 24-hour chart", () -> "live".equals(state())
        && browser.driver().findElement(By.id("history-card")).isDisplayed());
    String peakAt = String.format("%tH:%<tM", new java.util.Date((now - 90) * 60_000L));
    assertEquals("Peak 40 at " + peakAt, text("history-peak"));
    String today = browser.driver().findElement(By.cssSelector("#history-chart path.today"))
        .getAttribute("d");
    assertTrue(today.split("L").length >= 120, "a point every 5 minutes for 10 hours: " + today);
    assertTrue(browser.driver().findElement(By.id("history-last-week")).isDisplayed());
    assertFalse(browser.driver().findElements(By.cssSelector("#history-chart path.last-week"))
        .isEmpty(), "last week's line");
    assertEquals(1, browser.driver().findElements(By.cssSelector("#history-chart circle.peak"))
        .size());
    Browser.await(WAIT, "the baseline under the count",
        () -> text("baseline").equals("4 this time last week · ×0.5"));
    assertEquals("down", browser.driver().findElement(By.id("baseline"))
        .getAttribute("data-trend"));
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * The screenshots of the README, with the demo feed: the dashboard, TV mode and the /live page. They
   * land in target/screenshots/ and are copied to docs/screenshots/ when PULSE_SCREENSHOTS_TO_DOCS
   * is set.
   */
  @Test
  void screenshotsOfTheDashboardAndTheList() throws Exception {
    try (TestPulse demo = TestPulse.start(null, Clock.systemUTC(), c -> { },
        new Pulse.Options(true, true))) {
      browser.size(1280, 1000);
      browser.open(demo.base() + "/live/demo");
      Browser.await(WAIT, "the demo on the map", () -> "live".equals(state())
          && !browser.driver().findElements(By.cssSelector("#map path[data-visitors]")).isEmpty()
          && browser.driver().findElement(By.id("events-card")).isDisplayed()
          && browser.driver().findElement(By.id("history-card")).isDisplayed()
          && browser.driver().findElement(By.id("baseline")).isDisplayed());
      browser.size(1280, 1500);
      Thread.sleep(800);
      Path live = browser.screenshot("live");
      assertTrue(Files.size(live) > 20_000, "a real screenshot");
      save(live, "live.png");
      browser.size(1600, 900);
      browser.open(demo.base() + "/live/demo?tv=1");
      Browser.await(WAIT, "TV mode on the map", () -> "live".equals(state())
          && !browser.driver().findElements(By.cssSelector("#map path[data-visitors]")).isEmpty());
      Thread.sleep(800);
      save(browser.screenshot("live-tv"), "live-tv.png");
      browser.size(900, 520);
      browser.open(demo.base() + "/live");
      Browser.await(WAIT, "the list", () -> "live".equals(state())
          && !browser.driver().findElements(By.cssSelector("#sites tr[data-site='demo']")).isEmpty());
      save(browser.screenshot("live-list"), "live-list.png");
    } finally {
      browser.size(1280, 1000);
    }
  }

  private static void save(Path screenshot, String name) throws Exception {
    if (System.getenv("PULSE_SCREENSHOTS_TO_DOCS") != null) {
      Files.createDirectories(Path.of("docs", "screenshots"));
      Files.copy(screenshot, Path.of("docs", "screenshots", name),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The relative luminance of a CSS rgb() colour, 0 black to 1 white. */
  private static double luminance(String rgb) {
    String[] parts = rgb.replaceAll("[^0-9,.]", "").split(",");
    return (0.2126 * Double.parseDouble(parts[0]) + 0.7152 * Double.parseDouble(parts[1])
        + 0.0722 * Double.parseDouble(parts[2])) / 255;
  }
}
