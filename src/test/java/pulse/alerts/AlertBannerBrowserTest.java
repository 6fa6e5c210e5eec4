package pulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.alerts.AlertPulses.START;
import static pulse.alerts.AlertsHttpTest.nextMinute;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import pulse.testing.Browser;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;

/** The live dashboard shows a banner when an alert of its site fires, in a real Chromium. */
@Tag("browser")
class AlertBannerBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void anAlertThatFiresShowsABannerThatCanBeClosed() {
    MutableClock clock = new MutableClock(START);
    try (WebhookReceiver receiver = new WebhookReceiver();
        TestPulse pulse = AlertPulses.start(null, clock,
            AlertPulses.sites(AlertPulses.busy(receiver)));
        Browser browser = Browser.start()) {
      browser.open(pulse.base() + "/live/watched");
      Browser.await(WAIT, "the dashboard is live", () -> "live".equals(browser.driver()
          .findElement(By.id("state")).getAttribute("data-state")));
      AlertPulses.visit(pulse, "/pricing");
      nextMinute(clock, pulse);
      Browser.await(WAIT, "a firing banner", () -> !browser.driver()
          .findElements(By.cssSelector(".alert-banner[data-state='firing']")).isEmpty());
      WebElement banner = browser.driver().findElement(By.cssSelector(".alert-banner"));
      assertEquals("busy", banner.getAttribute("data-alert"));
      assertTrue(banner.getText().startsWith("Alert “busy” (above) firing: 1 active visitor,"
          + " threshold 1"), banner.getText());
      assertTrue(banner.isDisplayed());
      browser.screenshot("live-alert");
      List<String> problems = browser.console().stream()
          .filter(line -> line.contains("SEVERE") || line.contains("Content Security Policy"))
          .toList();
      assertEquals(List.of(), problems, "no error and no CSP violation");
      banner.findElement(By.cssSelector(".alert-close")).click();
      Browser.await(WAIT, "closed", () -> browser.driver()
          .findElements(By.cssSelector(".alert-banner")).isEmpty());
    }
  }
}
