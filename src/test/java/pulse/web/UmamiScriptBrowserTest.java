package pulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.Browser;
import pulse.testing.NodePackages;

/**
 * Umami's own tracker script, as the official {@code umami} package on npm ships its source
 * (src/tracker/index.js of umami 2.10.0, the newest the registry has; Umami's build only
 * minifies it), unchanged, on a page in headless Chromium with {@code data-host-url} set to
 * Pulse: its pageview and a {@code data-umami-event} click count on the site its website id
 * names, and Pulse's answer keeps it tracking.
 */
class UmamiScriptBrowserTest extends BrowserTestBase {
  private static final String PACKAGE = "umami@2.10.0";
  private String script;

  @BeforeAll
  void start() throws Exception {
    start(false);
    NodePackages npm = NodePackages.unpack("npm-umami-app", PACKAGE);
    script = site.script("/umami.js",
        Files.readString(npm.file("umami/src/tracker/index.js")));
  }

  @Test
  void theScriptsPageviewAndClickEventCountOnItsWebsite() {
    String url = site.page("/docs", """
        <!doctype html><title>Docs</title>
        <script defer src="%s" data-website-id="demo" data-host-url="%s"></script>
        <button id="signup" data-umami-event="signup" data-umami-event-plan="pro">Sign up</button>
        """.formatted(script, pulse.base()));
    browser.open(url);
    Browser.await(WAIT, "the pageview", () -> snapshot().path("pageviews").asInt() == 1);
    browser.driver().findElement(org.openqa.selenium.By.id("signup")).click();
    Browser.await(WAIT, "the click event", () -> snapshot().path("events").size() == 1);
    JsonNode s = snapshot();
    assertEquals(1, s.path("activeVisitors").asInt(), s.toString());
    assertEquals("/docs", s.path("pages").get(0).path("path").asText());
    assertEquals("[{\"name\":\"signup\",\"count\":1,\"visitors\":1,"
        + "\"props\":{\"plan\":[{\"value\":\"pro\",\"count\":1}]}}]", s.path("events").toString());
    List<String> console = browser.console();
    // (the test website has no favicon.ico: Chromium's 404 for it is no error of the script's)
    assertTrue(console.stream().noneMatch(l -> l.contains("SEVERE") && !l.contains("favicon.ico")),
        console.toString());
  }

  private JsonNode snapshot() {
    return json(pulse.get("/api/sites/demo/realtime"));
  }
}
