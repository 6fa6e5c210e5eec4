package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import pulse.testing.Browser;
import pulse.testing.ShiftedClock;

/**
 * Who is on the page now, end to end: the tracker in a real headless Chromium sends to a real
 * Pulse, and the realtime snapshot's {@code present} follows the tab closing, hiding and coming
 * back, and a long read kept alive by heartbeats.
 */
class PresenceBrowserTest extends BrowserTestBase {
  /** How soon a closed or hidden page leaves {@code present}: its leave, then one tick. */
  private static final Duration AT_ONCE = Duration.ofSeconds(2);
  /** The page's clock, which the tracker reads through Date.now, moved ahead on demand. */
  private static final String MOVABLE_CLOCK = "<script>var realNow = Date.now, shift = 0;"
      + " Date.now = function () { return realNow() + shift; };</script>";

  private final ShiftedClock clock = new ShiftedClock();

  /**
   * A Pulse of its own per test: every page of the browser is the same visitor (one address, one
   * browser), so each test starts with nobody on the site.
   */
  @BeforeEach
  void freshPulse() {
    browser.open("about:blank"); // the last test's page says goodbye to the last test's Pulse
    if (pulse != null) {
      pulse.close();
      site.close();
    }
    start(false, clock);
  }

  private String page(String path, String attributes, String head) {
    return site.page(path, """
        <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
        %s
        <script defer src="%s/script.js" data-site="demo"%s></script>
        </head><body style="height:5000px"><h1>%s</h1><input id="q"></body></html>
        """.formatted(path, head, pulse.base(), attributes, path));
  }

  private JsonNode snapshot() {
    return json(pulse.get("/api/sites/demo/realtime"));
  }

  private long present() {
    return snapshot().path("present").asLong(-1);
  }

  private JsonNode pageStat(String path) {
    for (JsonNode p : snapshot().path("pages")) {
      if (p.path("path").asText().equals(path)) {
        return p;
      }
    }
    return MissingNode.getInstance();
  }

  private void awaitPresent(Duration timeout, long n) {
    Browser.await(timeout, "present is " + n + " (is " + present() + ")", () -> present() == n);
  }

  @Test
  void closingTheTabTakesTheVisitorOutOfPresentWithinTwoSecondsButNotOutOfActive() {
    String reader = browser.driver().getWindowHandle();
    browser.driver().switchTo().newWindow(WindowType.TAB);
    browser.open(page("/article", "", ""));
    awaitPresent(WAIT, 1);
    assertEquals(1, pageStat("/article").path("present").asLong());

    browser.driver().close();
    browser.driver().switchTo().window(reader);
    awaitPresent(AT_ONCE, 0);
    JsonNode snapshot = snapshot();
    assertEquals(1, snapshot.path("activeVisitors").asLong(), snapshot.toString());
    assertEquals(1, snapshot.path("pageviews").asLong(), snapshot.toString());
    assertEquals(0, pageStat("/article").path("present").asLong());
    assertEquals(1, pageStat("/article").path("visitors").asLong());
  }

  @Test
  void aTabOverThePageTakesTheVisitorOutOfPresentAndComingBackBringsThemBackAtOnce() {
    String reader = browser.driver().getWindowHandle();
    // hourly heartbeats: only the one sent on coming back can make the visitor present again
    browser.open(page("/tabbed", " data-heartbeat=\"3600\"", ""));
    awaitPresent(WAIT, 1);

    browser.driver().switchTo().newWindow(WindowType.TAB);
    awaitPresent(AT_ONCE, 0);
    assertEquals(1, snapshot().path("activeVisitors").asLong());

    browser.driver().close();
    browser.driver().switchTo().window(reader);
    awaitPresent(AT_ONCE, 1);
    assertEquals(1, pageStat("/tabbed").path("present").asLong());
    assertEquals(1, pageStat("/tabbed").path("pageviews").asLong(), "coming back is no pageview");
  }

  @Test
  void aLongReaderStaysPresentOnHeartbeatsWhileTheServerClockMovesOnAndEngagedTimeGrows() {
    // heartbeats 5 times a second, so that the waits below for one to arrive are short
    browser.open(page("/long-read", " data-heartbeat=\"0.2\"", MOVABLE_CLOCK));
    awaitPresent(WAIT, 1);

    // 80 s of server time in steps of 20: without heartbeats the visitor would leave present
    // after 45 s; each step waits for heartbeats sent after it
    for (int step = 1; step <= 4; step++) {
      clock.advanceSeconds(20);
      pause(1_000);
      JsonNode snapshot = snapshot();
      assertEquals(1, snapshot.path("present").asLong(), (step * 20) + " s on: " + snapshot);
      assertEquals(1, snapshot.path("activeVisitors").asLong(), snapshot.toString());
      assertEquals(1, snapshot.path("pageviews").asLong(), "heartbeats count no pageview");
    }

    // the reader idles: 30 s engaged after the pageview, then no more
    browser.js("shift += 60000;");
    awaitEngagedSeconds("/long-read", 30);
    // typing, then 20 s: engaged again
    browser.driver().findElement(By.id("q")).sendKeys("pulse");
    pause(300);
    browser.js("shift += 20000;");
    awaitEngagedSecondsAtLeast("/long-read", 50);
    // scrolling with the wheel, then 10 s more
    long typed = pageStat("/long-read").path("engagedSeconds").asLong();
    new Actions(browser.driver()).scrollByAmount(0, 400).perform();
    pause(300);
    browser.js("shift += 10000;");
    awaitEngagedSecondsAtLeast("/long-read", typed + 10);
    assertEquals(1, pageStat("/long-read").path("present").asLong());

    // the network goes away: no heartbeat arrives, and 45 s later the reader is no longer present
    ((ChromeDriver) browser.driver()).executeCdpCommand("Network.enable", Map.of());
    ((ChromeDriver) browser.driver()).executeCdpCommand("Network.emulateNetworkConditions",
        Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    try {
      pause(1_000); // the heartbeats on their way have arrived
      clock.advanceSeconds(46);
      awaitPresent(AT_ONCE, 0);
      assertEquals(1, snapshot().path("activeVisitors").asLong());
    } finally {
      ((ChromeDriver) browser.driver()).executeCdpCommand("Network.emulateNetworkConditions",
          Map.of("offline", false, "latency", 0, "downloadThroughput", -1,
              "uploadThroughput", -1));
    }
  }

  private long engagedSeconds(String path) {
    return pageStat(path).path("engagedSeconds").asLong(-1);
  }

  private void awaitEngagedSeconds(String path, long seconds) {
    Browser.await(WAIT, path + " engagedSeconds " + seconds + " (is " + engagedSeconds(path)
        + ")", () -> engagedSeconds(path) == seconds);
  }

  private void awaitEngagedSecondsAtLeast(String path, long seconds) {
    Browser.await(WAIT, path + " engagedSeconds >= " + seconds + " (is " + engagedSeconds(path)
        + ")", () -> engagedSeconds(path) >= seconds);
  }
}
