package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.NodePackages;
import pulse.testing.TestPulse;

/**
 * Umami's Node client, {@code @umami/node} from npm, tracking into Pulse's POST /api/send: its
 * short form {@code track(name, data)} sends no url and no hostname, which Umami accepts. The
 * package is installed into target/ on first run; without node and npm the test is skipped
 * (reported as such, with the reason).
 */
@Tag("server")
class UmamiNodeClientTest extends CompatHttpTest {
  private static NodePackages npm;

  @BeforeAll
  static void installClient() throws Exception {
    npm = NodePackages.install("npm-umami-node", "@umami/node@0.4.0");
  }

  @Test
  void umamiNodesShortFormTrackWithoutAUrlCountsOnTheSitesRoot() throws Exception {
    String script = """
        const { Umami } = require('@umami/node');
        const umami = new Umami();
        umami.init({ hostUrl: process.argv[1], websiteId: process.argv[2] });
        (async () => {
          const answers = [];
          for (const call of [() => umami.track('signup', { plan: 'pro' }),
              () => umami.track('checkout')]) {
            const r = await call();
            answers.push(r.status + ' ' + (await r.text()));
          }
          console.log(answers.join('\\n'));
        })().catch(e => { console.error(e); process.exit(1); });
        """;
    String output = npm.node(script, pulse.base(), TestPulse.UMAMI_UUID);
    assertEquals("200 {}\n200 {}", output.strip(), "what @umami/node got back");

    pulse.awaitWritten();
    nextTick(clock);
    JsonNode snapshot = parse(pulse.get("/api/sites/uma/realtime", "Authorization",
        "Bearer " + TestPulse.ALL_TOKEN).body());
    assertEquals(1, snapshot.path("activeVisitors").asInt(), snapshot.toString());
    assertEquals(0, snapshot.path("pageviews").asInt(), "custom events, no pageviews");
    assertEquals("/", snapshot.path("pages").get(0).path("path").asText(), snapshot.toString());
  }
}
