package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.FIREFOX_LINUX;
import static pulse.testing.TestPulse.IPHONE;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import pulse.testing.Browser;

/** The embeddable counter and the badge on a customer's page, in a real headless Chromium. */
class EmbedBrowserTest extends BrowserTestBase {

  @BeforeAll
  void start() {
    start(true);
    visit("demo", "http://localhost/pricing", "Pricing", "", CHROME, "US", "203.0.113.1");
    visit("demo", "http://localhost/pricing", "Pricing", "", IPHONE, "US", "203.0.113.2");
    visit("demo", "http://localhost/", "Home", "", FIREFOX_LINUX, "US", "203.0.113.3");
  }

  private JsonNode snapshot() {
    return json(pulse.get("/api/sites/demo/realtime"));
  }

  private long pageVisitors(String path) {
    return pageFigure(path, "visitors");
  }

  private long pageFigure(String path, String figure) {
    for (JsonNode p : snapshot().path("pages")) {
      if (p.path("path").asText().equals(path)) {
        return p.path(figure).asLong();
      }
    }
    return 0;
  }

  private String counters(String head) {
    return """
        <!doctype html><html><head><meta charset="utf-8"><title>Counters</title>%s
        <script defer src="%s/embed.js"></script></head><body>
        <p><span id="all" data-pulse-counter="demo" data-label="{n} people online">…</span></p>
        <p><span id="plain" data-pulse-counter="demo"></span></p>
        <p><span id="pricing" data-pulse-counter="demo" data-path="/pricing"
             data-label="{n} looking at pricing"></span></p>
        <p><span id="reading" data-pulse-counter="demo" data-path="/pricing" data-count="present"
             data-label="{n} reading this page now"></span></p>
        <p><img id="badge" src="%s/badge/demo.svg" alt="online"></p>
        </body></html>
        """.formatted(head, pulse.base(), pulse.base());
  }

  private String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  @Test
  void theCounterShowsTheLiveCountAndFollowsItOverTheStream() {
    browser.open(site.page("/counters", counters("")));
    Browser.await(WAIT, "the counters show the snapshot's figures", () -> {
      long n = snapshot().path("activeVisitors").asLong();
      return text("all").equals(n + " people online") && text("plain").equals(Long.toString(n))
          && text("pricing").equals(pageVisitors("/pricing") + " looking at pricing");
    });
    assertEquals("2 looking at pricing", text("pricing"));
    Browser.await(WAIT, "a page's counter of present visitors", () ->
        text("reading").equals(pageFigure("/pricing", "present") + " reading this page now"));
    assertEquals("2 reading this page now", text("reading"), "both opened it within 45 s");

    long before = snapshot().path("activeVisitors").asLong();
    visit("demo", "http://localhost/pricing", "Pricing", "", CHROME, "DE", "203.0.113.9");
    Browser.await(Duration.ofSeconds(3), "the counters move without a reload",
        () -> text("all").equals((before + 1) + " people online")
            && text("pricing").equals("3 looking at pricing"));

    Boolean badgeShown = browser.js("var i = document.getElementById('badge');"
        + "return i.complete && i.naturalWidth > 50 && i.naturalHeight === 20;");
    assertTrue(badgeShown, "the badge renders as an image");
    String svg = pulse.get("/badge/demo.svg").body();
    assertTrue(svg.contains(">" + (before + 1) + " online<"), svg);
  }

  @Test
  void theStreamUrlsCarryNoStrayQuerySeparators() {
    // records the URLs embed.js opens, then opens them as it would
    String recorder = "<script>window.streamUrls = []; var RealEventSource = window.EventSource;"
        + "window.EventSource = function (u, o) { window.streamUrls.push(u);"
        + " return new RealEventSource(u, o); };</script>";
    browser.open(site.page("/counters-urls", counters(recorder)));
    Browser.await(WAIT, "both streams opened", () -> {
      Number n = browser.js("return window.streamUrls.length;");
      return n.intValue() == 2;
    });
    String api = pulse.base() + "/api/sites/demo/stream";
    String urls = browser.js("return window.streamUrls.join(' ');");
    // the counter of the whole site and the one of a page, neither with a window
    assertEquals(api + "?view=counter " + api, urls);
  }

  @Test
  void aCounterOfAPrivateOrUnknownSiteSaysSoInsteadOfWaiting() {
    // a private site answers as an unknown one to whoever has no token of it: the same words
    browser.open(site.page("/counters-refused", """
        <!doctype html><html><head><meta charset="utf-8"><title>Refused</title>
        <script defer src="%s/embed.js"></script></head><body>
        <p><span id="private" data-pulse-counter="shop">…</span></p>
        <p><span id="unknown" data-pulse-counter="nosuch" data-path="/">…</span></p>
        </body></html>
        """.formatted(pulse.base())));
    Browser.await(WAIT, "the counters say why they show no count",
        () -> text("private").equals("unknown site") && text("unknown").equals("unknown site"));
  }

  @Test
  void withoutEventSourceTheCounterPolls() {
    browser.open(site.page("/counters-polling",
        counters("<script>window.EventSource = undefined;</script>")));
    Browser.await(WAIT, "the polled counter shows the snapshot's count", () -> {
      long n = snapshot().path("activeVisitors").asLong();
      return text("all").equals(n + " people online")
          && text("pricing").equals(pageVisitors("/pricing") + " looking at pricing");
    });
    Number streams = browser.js("return performance.getEntriesByType('resource')"
        + ".filter(function (e) { return e.name.indexOf('/realtime') > 0; }).length;");
    assertTrue(streams.intValue() >= 1, "it read /realtime");
  }
}
