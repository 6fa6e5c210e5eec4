package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import pulse.Pulse;
import pulse.testing.Browser;
import pulse.testing.TestPages;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * What every browser test class has: a real Pulse on the shared Redis that counts headless
 * Chromium as a browser, a website of its own ({@link TestPages}) for the customer's pages, and
 * the headless Chromium of this JVM's browser test classes ({@link Browser#shared()}), reset for
 * the first test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("browser")
abstract class BrowserTestBase {
  static final Duration WAIT = Duration.ofSeconds(10);

  TestPulse pulse;
  TestPages site;
  Browser browser;

  /**
   * Starts Pulse on a clean Redis, and the test's website.
   *
   * @param trustProxy true when the test posts visitors from several addresses and countries
   *     (X-Forwarded-For, CF-IPCountry)
   */
  void start(boolean trustProxy) {
    start(trustProxy, Clock.systemUTC());
  }

  /** As {@link #start(boolean)}, with the server on this clock. */
  void start(boolean trustProxy, Clock clock) {
    TestRedis.shared().flushAll();
    pulse = TestPulse.start(TestRedis.shared().url(), clock,
        c -> c.put("trustProxy", trustProxy), new Pulse.Options(true));
    site = TestPages.start();
  }

  /** Per test, so that without Chromium each test fails (or, if asked, is skipped) visibly. */
  @BeforeEach
  final void openBrowser() {
    if (browser == null) {
      browser = Browser.shared();
    }
  }

  /** The browser stays for the next class: its pages are left when it is reset. */
  @AfterAll
  final void stop() {
    if (site != null) {
      site.close();
    }
    if (pulse != null) {
      pulse.close();
    }
  }

  /** Lets the browser's timers run (a heartbeat, a page being hidden) for a while. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** One pageview from a visitor of its own (the address and the browser make the visitor). */
  void visit(String siteId, String url, String title, String referrer, String userAgent,
      String country, String ip) {
    String body = "{\"site\":\"" + siteId + "\",\"url\":\"" + url + "\",\"title\":\"" + title
        + "\",\"referrer\":\"" + referrer + "\"}";
    int status = pulse.collect(body, userAgent, "X-Forwarded-For", ip, "CF-IPCountry", country)
        .statusCode();
    assertEquals(202, status, "collect answered " + status);
  }
}
