package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;
import pulse.testing.Browser;

/**
 * The tracker's presence signals exactly as they go over the wire: the tracker on a page of the
 * test's website sends to that website's own /api/collect, and a real headless Chromium hides,
 * shows and closes the page the way a visitor does (another tab over it, closing the tab).
 */
class TrackerPresenceBrowserTest extends BrowserTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Heartbeats so rare that any heartbeat a test sees was sent for another reason. */
  private static final String NO_TIMER = " data-heartbeat=\"3600\"";
  /**
   * The page's clock, which the tracker reads through Date.now, moved ahead on demand: a test
   * cannot wait out the 30 s after the last input for every step it checks.
   */
  private static final String MOVABLE_CLOCK = "<script>var realNow = Date.now, shift = 0;"
      + " Date.now = function () { return realNow() + shift; };</script>";

  /** The path every page of the running test starts with. */
  private String pages;

  @BeforeAll
  void start() {
    start(false);
  }

  /** A page of the test's website whose tracker sends to the website itself. */
  private String page(String path, String attributes, String head) {
    return site.page(path, """
        <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
        %s
        <script defer src="%s/script.js" data-site="demo" data-api="%s"%s></script>
        </head><body style="height:5000px"><h1>%s</h1><input id="q"></body></html>
        """.formatted(path, head, pulse.base(), site.base(), attributes, path));
  }

  /** What the tracker sent of this type from the test's own pages (not the last test's leave). */
  private List<JsonNode> sent(String type) {
    return site.received().stream().map(r -> parse(r.body()))
        .filter(e -> e.path("type").asText().equals(type))
        .filter(e -> e.path("url").asText().startsWith(site.url(pages))).toList();
  }

  private JsonNode awaitSent(String type, int n) {
    Browser.await(WAIT, n + " " + type + "(s) sent (so far " + sent(type).size() + ")",
        () -> sent(type).size() >= n);
    return sent(type).get(n - 1);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  @Test
  void aTabOverThePageSendsOneLeaveAndComingBackAHeartbeatAtOnce() {
    pages = "/hidden";
    String url = page("/hidden", NO_TIMER, "");
    site.clearReceived();
    browser.open(url);
    awaitSent("pageview", 1);
    String reader = browser.driver().getWindowHandle();

    browser.driver().switchTo().newWindow(WindowType.TAB);
    JsonNode leave = awaitSent("leave", 1);
    assertEquals(url, leave.path("url").asText());
    assertTrue(leave.path("engaged").isIntegralNumber(), leave.toString());
    assertTrue(leave.path("engaged").asLong() >= 0, leave.toString());
    pause(500);
    assertEquals(1, sent("leave").size(), "one leave for the hidden page");
    assertEquals(0, sent("heartbeat").size(), "a hidden page sends no heartbeat");

    long hidden = System.nanoTime();
    browser.driver().close();
    browser.driver().switchTo().window(reader);
    JsonNode heartbeat = awaitSent("heartbeat", 1);
    assertTrue(System.nanoTime() - hidden < Duration.ofSeconds(3).toNanos(),
        "the heartbeat came at once, not on the hourly timer");
    assertEquals(url, heartbeat.path("url").asText());
    assertTrue(heartbeat.path("engaged").asLong() >= leave.path("engaged").asLong(),
        "engaged time is the page's total so far: " + leave + " then " + heartbeat);

    // every hidden period sends its own leave
    browser.driver().switchTo().newWindow(WindowType.TAB);
    awaitSent("leave", 2);
    browser.driver().close();
    browser.driver().switchTo().window(reader);
    awaitSent("heartbeat", 2);
  }

  @Test
  void closingTheTabSendsOneLeaveForTheLastPageAndNavigatingInTheAppNone() {
    String reader = browser.driver().getWindowHandle();
    browser.driver().switchTo().newWindow(WindowType.TAB);
    pages = "/closing";
    String url = page("/closing", NO_TIMER, "");
    site.clearReceived();
    browser.open(url);
    awaitSent("pageview", 1);
    browser.js("history.pushState({}, '', '/closing/next');");
    JsonNode next = awaitSent("pageview", 2);
    assertEquals(site.url("/closing/next"), next.path("url").asText());
    pause(300);
    assertEquals(0, sent("leave").size(), "a single-page-app navigation sends no leave");

    // closing fires both visibilitychange (hidden) and pagehide: still one leave
    browser.driver().close();
    browser.driver().switchTo().window(reader);
    JsonNode leave = awaitSent("leave", 1);
    assertEquals(site.url("/closing/next"), leave.path("url").asText());
    pause(1000);
    assertEquals(1, sent("leave").size(), "one leave: " + site.received());
  }

  @Test
  void engagedTimeCountsWhileThereWasInputInTheLast30SecondsAndRestartsOnANewPage() {
    pages = "/reading";
    String url = page("/reading", " data-heartbeat=\"1\"", MOVABLE_CLOCK);
    browser.open(url);
    awaitSent("pageview", 1);

    // no input at all: the page counts from its pageview (the visitor's click) for 30 s, no more
    browser.js("shift += 60000;");
    assertEquals(30_000, lastHeartbeatEngaged(), "30 s after the pageview, then nothing");
    browser.js("shift += 60000;");
    assertEquals(30_000, lastHeartbeatEngaged(), "idle: engaged time stands still");

    // typing makes the visitor engaged again, for 30 s after the last key
    browser.driver().findElement(By.id("q")).sendKeys("pulse");
    pause(300); // the page has handled the keys before its clock moves
    browser.js("shift += 10000;");
    long typed = lastHeartbeatEngaged();
    assertTrue(typed >= 40_000 && typed < 45_000, "10 s more after typing: " + typed);
    browser.js("shift += 120000;");
    long idle = lastHeartbeatEngaged();
    assertTrue(idle >= 60_000 && idle <= 60_000 + (typed - 40_000),
        "30 s after the last key and no more: " + idle);

    // and so does scrolling with the wheel
    new Actions(browser.driver()).scrollByAmount(0, 400).perform();
    pause(300);
    browser.js("shift += 5000;");
    long scrolled = lastHeartbeatEngaged();
    assertTrue(scrolled >= idle + 5_000 && scrolled < idle + 10_000, idle + " then " + scrolled);

    // a new page of the app starts from nothing
    browser.js("history.pushState({}, '', '/reading/two');");
    site.clearReceived();
    JsonNode heartbeat = nextHeartbeat();
    assertEquals(site.url("/reading/two"), heartbeat.path("url").asText());
    assertTrue(heartbeat.path("engaged").asLong() < 5_000, heartbeat.toString());
  }

  /** The engaged time of a heartbeat certainly sent after the last clock move. */
  private long lastHeartbeatEngaged() {
    site.clearReceived();
    // the first heartbeat may have left the page before the move: the second one did not
    awaitSent("heartbeat", 2);
    List<JsonNode> heartbeats = sent("heartbeat");
    return heartbeats.get(heartbeats.size() - 1).path("engaged").asLong();
  }

  private JsonNode nextHeartbeat() {
    awaitSent("heartbeat", 2);
    List<JsonNode> heartbeats = sent("heartbeat");
    return heartbeats.get(heartbeats.size() - 1);
  }
}
