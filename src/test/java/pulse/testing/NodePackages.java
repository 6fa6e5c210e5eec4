package pulse.testing;

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
 * Official client packages from the npm registry, installed once into target/ and driven with
 * node, so that a client Pulse did not write judges its compatible APIs. Without node and npm a
 * test using them is skipped, saying why (.ci/run installs both).
 */
public final class NodePackages {
  private final Path prefix;

  private NodePackages(Path prefix) {
    this.prefix = prefix;
  }

  /**
   * The packages (name@version each) installed under target/{@code dir}, installing them if
   * this folder does not hold the first yet.
   */
  public static NodePackages install(String dir, String... packages) throws Exception {
    Assumptions.assumeTrue(onPath("node") && onPath("npm"),
        "node or npm is not installed: cannot run " + String.join(", ", packages));
    Path prefix = Path.of("target", dir);
    String first = packages[0].substring(0, packages[0].lastIndexOf('@'));
    if (!Files.isDirectory(prefix.resolve("node_modules").resolve(first))) {
      Files.createDirectories(prefix);
      // --prefer-offline: a version npm's cache holds is taken from it without asking the
      // registry whether its metadata changed (a pinned version's files never do); that asking
      // made most of an install's time
      List<String> cmd = new ArrayList<>(List.of("npm", "install", "--no-save", "--no-audit",
          "--no-fund", "--prefer-offline", "--prefix", prefix.toString()));
      cmd.addAll(List.of(packages));
      String output = run(new ProcessBuilder(cmd), 5);
      assertTrue(Files.isDirectory(prefix.resolve("node_modules").resolve(first)),
          "npm install " + String.join(" ", packages) + " failed:\n" + output);
    }
    return new NodePackages(prefix);
  }

  /**
   * One package's files without its dependencies (npm pack, then tar), under
   * node_modules/{name}: for a package whose one file a test serves to a browser, such as an
   * application's tracker script, where installing the whole application is not needed.
   */
  public static NodePackages unpack(String dir, String pkg) throws Exception {
    Assumptions.assumeTrue(onPath("npm") && onPath("tar"),
        "npm or tar is not installed: cannot unpack " + pkg);
    Path prefix = Path.of("target", dir);
    Path into = prefix.resolve("node_modules").resolve(pkg.substring(0, pkg.lastIndexOf('@')));
    if (!Files.isRegularFile(into.resolve("package.json"))) {
      Files.createDirectories(into);
      String packed = run(new ProcessBuilder("npm", "pack", "--silent", "--prefer-offline",
          "--pack-destination", prefix.toString(), pkg), 5).strip();
      String tgz = packed.substring(packed.lastIndexOf('\n') + 1);
      run(new ProcessBuilder("tar", "xzf", prefix.resolve(tgz).toString(), "-C", into.toString(),
          "--strip-components=1"), 1);
    }
    return new NodePackages(prefix);
  }

  /** A file of an installed package, e.g. {@code @plausible-analytics/tracker/plausible.js}. */
  public Path file(String relative) {
    return prefix.resolve("node_modules").resolve(relative);
  }

  /** Runs a script with node, the packages on its NODE_PATH; its output, failing on exit != 0. */
  public String node(String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", "-e", script));
    cmd.addAll(List.of(args));
    ProcessBuilder node = new ProcessBuilder(cmd);
    node.environment().put("NODE_PATH", prefix.resolve("node_modules").toAbsolutePath().toString());
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
