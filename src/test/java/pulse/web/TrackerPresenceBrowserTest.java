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
  /** Clock moves so far, each marked in the page's title. */
  private int steps;

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
    // heartbeats 5 times a second: each step below waits for one sent after it
    String url = page("/reading", " data-heartbeat=\"0.2\"", MOVABLE_CLOCK);
    browser.open(url);
    awaitSent("pageview", 1);

    // no input at all: the page counts from its pageview (the visitor's click) for 30 s, no more
    assertEquals(30_000, engagedAfter("shift += 60000;"), "30 s after the pageview, then nothing");
    assertEquals(30_000, engagedAfter("shift += 60000;"), "idle: engaged time stands still");

    // typing makes the visitor engaged again, for 30 s after the last key
    browser.driver().findElement(By.id("q")).sendKeys("pulse");
    pause(300); // the page has handled the keys before its clock moves
    long typed = engagedAfter("shift += 10000;");
    assertTrue(typed >= 40_000 && typed < 45_000, "10 s more after typing: " + typed);
    long idle = engagedAfter("shift += 120000;");
    assertTrue(idle >= 60_000 && idle <= 60_000 + (typed - 40_000),
        "30 s after the last key and no more: " + idle);

    // and so does scrolling with the wheel
    new Actions(browser.driver()).scrollByAmount(0, 400).perform();
    pause(300);
    long scrolled = engagedAfter("shift += 5000;");
    assertTrue(scrolled >= idle + 5_000 && scrolled < idle + 10_000, idle + " then " + scrolled);

    // a new page of the app starts from nothing
    JsonNode heartbeat = heartbeatAfter("history.pushState({}, '', '/reading/two');");
    assertEquals(site.url("/reading/two"), heartbeat.path("url").asText());
    assertTrue(heartbeat.path("engaged").asLong() < 5_000, heartbeat.toString());
  }

  /** The engaged time of the first heartbeat sent after the script ran in the page. */
  private long engagedAfter(String script) {
    return heartbeatAfter(script).path("engaged").asLong();
  }

  /**
   * The first heartbeat sent after the script ran: with it the page's title changes, and a
   * heartbeat carries the title as it is when sent (one sent before may still be on its way).
   */
  private JsonNode heartbeatAfter(String script) {
    String title = "step " + (++steps);
    browser.js(script + " document.title = '" + title + "';");
    Browser.await(WAIT, "a heartbeat titled " + title, () -> sent("heartbeat").stream()
        .anyMatch(h -> h.path("title").asText().equals(title)));
    return sent("heartbeat").stream().filter(h -> h.path("title").asText().equals(title))
        .findFirst().orElseThrow();
  }
}
