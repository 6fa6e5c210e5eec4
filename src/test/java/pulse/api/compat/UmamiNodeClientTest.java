package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/**
 * Umami's Node client, {@code @umami/node} from npm, tracking into Pulse's POST /api/send: its
 * short form {@code track(name, data)} sends no url and no hostname, which Umami accepts. The
 * package is installed into target/ on first run; without node and npm the test is skipped
 * (reported as such, with the reason).
 */
@Tag("server")
class UmamiNodeClientTest extends CompatHttpTest {
  private static final String PACKAGE = "@umami/node@0.4.0";
  private static final Path PREFIX = Path.of("target", "npm-umami-node");

  @BeforeAll
  static void installClient() throws Exception {
    Assumptions.assumeTrue(onPath("node") && onPath("npm"),
        "node or npm is not installed: cannot run " + PACKAGE + " against Pulse");
    if (Files.isDirectory(PREFIX.resolve("node_modules/@umami/node"))) {
      return;
    }
    Files.createDirectories(PREFIX);
    String output = run(new ProcessBuilder("npm", "install", "--no-save", "--no-audit",
        "--no-fund", "--prefix", PREFIX.toString(), PACKAGE), 5);
    assertTrue(Files.isDirectory(PREFIX.resolve("node_modules/@umami/node")),
        "npm install " + PACKAGE + " failed:\n" + output);
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
    ProcessBuilder node = new ProcessBuilder("node", "-e", script, pulse.base(),
        TestPulse.UMAMI_UUID);
    node.environment().put("NODE_PATH", PREFIX.resolve("node_modules").toAbsolutePath()
        .toString());
    String output = run(node, 1);
    assertEquals("200 {}\n200 {}", output.strip(), "what @umami/node got back");

    pulse.awaitWritten();
    nextTick(clock);
    JsonNode snapshot = parse(pulse.get("/api/sites/uma/realtime", "Authorization",
        "Bearer " + TestPulse.ALL_TOKEN).body());
    assertEquals(1, snapshot.path("activeVisitors").asInt(), snapshot.toString());
    assertEquals(0, snapshot.path("pageviews").asInt(), "custom events, no pageviews");
    assertEquals("/", snapshot.path("pages").get(0).path("path").asText(), snapshot.toString());
  }

  private static String run(ProcessBuilder builder, int minutes) throws Exception {
    Process p = builder.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), "timed out: " + builder.command());
    assertEquals(0, p.exitValue(), builder.command().get(0) + " failed:\n" + output);
    return output;
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
