package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.Browser;
import pulse.testing.NodePackages;

/**
 * Plausible's official npm tracker, {@code @plausible-analytics/tracker}, unchanged, in a page in
 * headless Chromium, its endpoint set to Pulse's {@code /api/event}: its pageview and a custom
 * event with props count on the site its domain names.
 */
class PlausiblePackageBrowserTest extends BrowserTestBase {
  private static final String PACKAGE = "@plausible-analytics/tracker@0.4.6";
  private String module;

  @BeforeAll
  void start() throws Exception {
    start(false);
    NodePackages npm = NodePackages.install("npm-plausible-tracker", PACKAGE);
    module = site.script("/plausible.js",
        Files.readString(npm.file("@plausible-analytics/tracker/plausible.js")));
  }

  private JsonNode snapshot() {
    return json(pulse.get("/api/sites/demo/realtime"));
  }

  @Test
  void thePackagesPageviewAndCustomEventCountOnTheSiteOfItsDomain() {
    // window.__plausible: the tracker's own switch for browsers run by automation (its tests
    // set it too), without which it ignores a browser whose navigator.webdriver is true
    String url = site.page("/pricing", """
        <!doctype html><title>Pricing</title>
        <script>window.__plausible = true;</script>
        <script type="module">
          import { init, track } from '%s';
          init({ domain: '127.0.0.1', endpoint: '%s/api/event', captureOnLocalhost: true });
          track('Signup', { props: { plan: 'pro' } });
        </script>""".formatted(module, pulse.base()));
    browser.open(url);
    Browser.await(WAIT, "the pageview and the event", () -> {
      JsonNode s = snapshot();
      return s.path("pageviews").asInt() == 1 && s.path("events").size() == 1;
    });
    JsonNode s = snapshot();
    assertEquals(1, s.path("activeVisitors").asInt(), s.toString());
    assertEquals("/pricing", s.path("pages").get(0).path("path").asText());
    assertEquals("[{\"name\":\"Signup\",\"count\":1,\"visitors\":1,"
        + "\"props\":{\"plan\":[{\"value\":\"pro\",\"count\":1}]}}]", s.path("events").toString());
    java.util.List<String> console = browser.console();
    // (the test website has no favicon.ico: Chromium's 404 for it is no error of the tracker's)
    assertTrue(console.stream().noneMatch(l -> l.contains("SEVERE") && !l.contains("favicon.ico")),
        console.toString());
  }
}
