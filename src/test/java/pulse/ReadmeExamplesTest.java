package pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.config.ConfigLoader;
import pulse.config.PulseConfig;
import pulse.site.Sites;
import pulse.testing.TestPulse;

/**
 * The README's curl examples work as printed against the shipped config/pulse.json and
 * config/sites.json. Rules: every ```bash block that calls curl on localhost:8080 is run with bash,
 * the port rewritten to the test server's; each curl in it must answer 2xx. A block is skipped
 * only when the line above its fence is {@code <!-- readme-test: skip (why) -->} (a stream that
 * runs until stopped, say). Blocks without such a curl (building, starting, Docker) are not
 * examples of the API and are left alone.
 */
@Tag("server")
class ReadmeExamplesTest {
  private static final Path CURL = Path.of("/usr/bin/curl");
  private static final Pattern BLOCK = Pattern.compile(
      "(?:(<!-- readme-test: skip[^\\n]*-->)\\n)?```bash\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern STATUS = Pattern.compile("README-STATUS (\\d{3})");

  record Example(int line, String code) {}

  static List<Example> examples(String readme) {
    List<Example> examples = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    while (m.find()) {
      String code = m.group(2);
      if (m.group(1) == null && code.contains("curl") && code.contains("localhost:8080")) {
        int line = readme.substring(0, m.start(2)).split("\n", -1).length;
        examples.add(new Example(line, code));
      }
    }
    return examples;
  }

  @Test
  void everyCurlExampleAnswers2xxAgainstTheShippedConfig() throws Exception {
    assertTrue(Files.isExecutable(CURL), "this test runs the README's examples with curl: install"
        + " it (apt-get install curl; .ci/run does)");
    List<Example> examples = examples(Files.readString(Path.of("README.md")));
    assertTrue(examples.size() >= 10, "found only " + examples.size() + " curl examples");
    PulseConfig config = ConfigLoader.load(Map.of("PULSE_CONFIG", "config/pulse.json",
        "PULSE_PORT", "0", "PULSE_GEOIP_DB", "target/no-geoip-database.mmdb",
        "PULSE_DATA_DIR", ""));
    Sites sites = Sites.load(Path.of("config/sites.json"));
    try (TestPulse pulse = TestPulse.start(config, sites, Clock.systemUTC())) {
      for (Example example : examples) {
        run(example, pulse.pulse().port());
      }
    }
  }

  /** A curl that posts events without a browser's user agent is answered 202 and counts nothing. */
  @Test
  void everyCurlThatPostsEventsSendsABrowserUserAgent() throws Exception {
    for (Example example : examples(Files.readString(Path.of("README.md")))) {
      for (String command : example.code().split("\n(?=curl )")) {
        if (command.contains(" -d ")) {
          assertTrue(command.contains("-A 'Mozilla/5.0 ("), "README.md line " + example.line()
              + ": a curl that posts events needs a browser's -A:\n" + command);
        }
      }
    }
  }

  /** Runs one block in bash, curl wrapped to print each call's status; all must be 2xx. */
  private static void run(Example example, int port) throws Exception {
    String script = "set -e\n"
        + "curl() { " + CURL + " -sS --max-time 10 -w '\\nREADME-STATUS %{http_code}\\n' \"$@\"; }\n"
        + example.code().replace("localhost:8080", "localhost:" + port);
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    pb.environment().remove("PULSE_ADMIN_TOKEN"); // the shipped config has none
    Process bash = pb.start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bash.waitFor(60, TimeUnit.SECONDS));
    String where = "README.md line " + example.line() + ":\n" + example.code() + "\n->\n" + output;
    assertEquals(0, bash.exitValue(), where);
    Matcher status = STATUS.matcher(output);
    int calls = 0;
    while (status.find()) {
      calls++;
      assertEquals('2', status.group(1).charAt(0), where);
    }
    long expected = example.code().lines().filter(l -> l.startsWith("curl ")).count();
    assertEquals(expected, calls, where);
    assertFalse(output.contains("\"error\""), where);
  }
}
