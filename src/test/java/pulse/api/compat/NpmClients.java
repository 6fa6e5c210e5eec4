package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The products' official npm clients for the contract tests: installed from the npm registry into
 * target/ on first use (pinned versions), run with Debian's node. Without node and npm a test is
 * skipped with the reason (CI installs both, see .ci/run).
 */
final class NpmClients {
  private NpmClients() {}

  /** Installs the packages ("name@version") into target/npm-{dir} unless there already. */
  static Path install(String dir, String... packages) throws Exception {
    Assumptions.assumeTrue(onPath("node") && onPath("npm"),
        "node or npm is not installed: cannot run " + String.join(", ", packages)
            + " against Pulse");
    Path prefix = Path.of("target", "npm-" + dir);
    Path stamp = prefix.resolve("installed.txt");
    String wanted = String.join("\n", packages);
    if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(wanted)) {
      return prefix;
    }
    Files.createDirectories(prefix);
    List<String> command = new ArrayList<>(List.of("npm", "install", "--no-save", "--no-audit",
        "--no-fund", "--prefix", prefix.toString()));
    command.addAll(List.of(packages));
    run(new ProcessBuilder(command), 5);
    Files.writeString(stamp, wanted);
    return prefix;
  }

  /** Runs a CommonJS script with the packages of prefix on its path; returns what it printed. */
  static String node(Path prefix, String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "-e", script));
    command.addAll(List.of(args));
    ProcessBuilder node = new ProcessBuilder(command);
    node.environment().put("NODE_PATH",
        prefix.resolve("node_modules").toAbsolutePath().toString());
    return run(node, 1);
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
