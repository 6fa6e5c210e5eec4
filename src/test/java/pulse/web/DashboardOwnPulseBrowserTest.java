package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import pulse.Pulse;
import pulse.testing.Browser;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The live dashboard in a real headless Chromium against a Pulse each test starts itself: its
 * store down at first, a restart behind a reverse proxy, the demo feed. Apart from
 * {@link DashboardBrowserTest} (which shares one Pulse) so that the two, both long, run side by
 * side in different test JVMs.
 */
class DashboardOwnPulseBrowserTest extends BrowserTestBase {

  private String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private String state() {
    return browser.driver().findElement(By.id("state")).getAttribute("data-state");
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
