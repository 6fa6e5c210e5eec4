package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.NodePackages;
import pulse.testing.TestPulse;

/**
 * Matomo's Node clients from npm against Pulse, unchanged but for the base URL and a key:
 * {@code matomo-tracker} (Matomo's own Node tracker: GET /matomo.php with {@code ua} and no
 * User-Agent header, and its bulk POST) and {@code piwik-client} (Live.getCounters, a GET with no
 * header beyond Host). The packages are installed into target/ on first run (NodePackages); without
 * node and npm the tests are skipped with the reason.
 *
 * <p>piwik-client 0.2.2 drops the port of its base URL (it computes the port and never stores
 * it), so on its own it reaches port 80 only; the script gives Node's global HTTP agent Pulse's
 * port as its default, which is what a Matomo on port 80 would be, and leaves the package as it is.
 */
@Tag("server")
class MatomoNodeClientsTest extends MatomoHttpTest {
  private static final String TRACKER = "matomo-tracker@2.2.4";
  private static final String CLIENT = "piwik-client@0.2.2";

  private static NodePackages npm;

  @BeforeAll
  static void installClients() throws Exception {
    npm = NodePackages.install("npm-matomo", TRACKER, CLIENT);
  }

  @Test
  void matomoTrackersTrackAndTrackBulkAreStored() throws Exception {
    String script = """
        const MatomoTracker = require('matomo-tracker');
        const dc = require('diagnostics_channel');
        const [base, chrome, iphone, cdt] = process.argv.slice(1);
        const matomo = new MatomoTracker(7, base + '/matomo.php');
        const errors = [];
        matomo.on('error', e => errors.push(String(e)));
        // track() never reads its answer, so its socket stays open: exit once both are answered
        let answered = 0, bulkDone = false, done = false;
        const finish = () => {
          if (answered >= 2 && bulkDone && !done) {
            done = true;
            setImmediate(() => { console.log('errors: ' + (errors.join(',') || 'none')); process.exit(0); });
          }
        };
        dc.subscribe('http.client.response.finish', () => { answered++; finish(); });
        matomo.track({ url: 'https://mato.example.com/pricing', action_name: 'Pricing',
            ua: chrome, _id: 'AA814767B1F5C818' });
        matomo.trackBulk([
          { _id: 'AA814767B1F5C819', cdt: cdt, e_c: 'Buy', e_a: 'rightButton', e_v: '2', ua: iphone },
          { _id: 'AA814767B1F5C819', cdt: cdt, e_c: 'Buy', e_a: 'leftButton', e_v: '4', ua: iphone }
        ], data => { console.log(data); bulkDone = true; finish(); });
        """;
    String output = npm.node(script, pulse.base(), TestPulse.CHROME, TestPulse.IPHONE,
        NOW.minusSeconds(60).toString());
    assertEquals("{\"status\":\"success\",\"tracked\":2,\"invalid\":0}\nerrors: none",
        output.strip(), "what matomo-tracker got back");

    JsonNode s = snapshot();
    assertEquals(2, s.path("activeVisitors").asInt(), "the Chrome and the iPhone visitor: " + s);
    assertEquals(1, s.path("pageviews").asInt(), s.toString());
    assertEquals("/pricing", s.path("recent").get(0).path("path").asText());
    assertEquals("Buy", s.path("events").get(0).path("name").asText(), s.toString());
    assertEquals(2, s.path("events").get(0).path("count").asInt());
    JsonNode pages = s.path("pages");
    assertTrue(pages.toString().contains("\"path\":\"/\""),
        "events without a url count on the site's root: " + pages);
  }

  @Test
  void piwikClientReadsLiveGetCounters() throws Exception {
    pageview(pulse, "mato", ORIGIN + "/", "203.0.113.1", "DE");
    pageview(pulse, "mato", ORIGIN + "/docs", "203.0.113.2", "FR");
    pulse.awaitWritten();
    nextTick(clock);
    String script = """
        const PiwikClient = require('piwik-client');
        const [base, token, badToken] = process.argv.slice(1);
        // piwik-client loses the base URL's port (see the test's comment); Node's agent keeps it
        require('http').globalAgent.defaultPort = Number(new URL(base).port);
        const call = (client, vars) => new Promise(done =>
            client.api(vars, (err, data) => done(err ? 'error: ' + err : JSON.stringify(data))));
        (async () => {
          const vars = () => ({ method: 'Live.getCounters', idSite: 7, lastMinutes: 30 });
          console.log(await call(new PiwikClient(base + '/index.php', token), vars()));
          console.log(await call(new PiwikClient(base + '/index.php', badToken), vars()));
        })();
        """;
    String output = npm.node(script, pulse.base(), READ_TOKEN, "not-a-token");
    assertEquals("[{\"visits\":2,\"actions\":2,\"visitors\":2,\"visitsConverted\":0}]\n"
        + "error: Unable to authenticate with the provided token. It is either invalid, expired"
        + " or is required to be sent as a POST parameter.", output.strip());
  }
}
