package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real process: what `java -jar pulse.jar` says and how it exits when it cannot run. */
@Tag("server")
class StartupTest {
  private record Run(int exit, String output) {}

  private static Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "pulse.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("PULSE_CONFIG");
    pb.environment().remove("PULSE_SITES");
    pb.environment().remove("PULSE_LOG_FORMAT");
    // the process runs in the repository: its embedded store must not save into ./data
    pb.environment().put("PULSE_DATA_DIR", "");
    pb.environment().putAll(env);
    Process process = pb.start();
    try {
      // a process that should exit but runs on fails here, after 60 s, instead of hanging
      byte[] out = process.getInputStream().readAllBytes();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process did not exit");
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void helpPrintsTheOptionsAndVariablesAndExitsZero() throws Exception {
    Run help = run(Map.of(), "--help");
    assertEquals(0, help.exit(), help.output());
    assertTrue(help.output().startsWith("usage: java -jar pulse.jar"), help.output());
    assertTrue(help.output().contains("--demo"), help.output());
    assertTrue(help.output().contains("PULSE_REDIS_URL"), help.output());
  }

  @Test
  void anUnknownOptionExitsTwoWithTheNearestOption() throws Exception {
    Run typo = run(Map.of(), "--dmo");
    assertEquals(2, typo.exit(), typo.output());
    assertTrue(typo.output().contains("unknown option '--dmo' (did you mean \"--demo\"?)"),
        typo.output());
  }

  @Test
  void aBusyPortNamesThePortAndPulsePortAndExitsWithoutAStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      int port = taken.getLocalPort();
      Run busy = run(Map.of("PULSE_PORT", Integer.toString(port), "PULSE_GEOIP_DB", ""));
      assertEquals(1, busy.exit(), busy.output());
      assertTrue(busy.output().contains("port " + port + " on 0.0.0.0 is already in use"),
          busy.output());
      assertTrue(busy.output().contains("PULSE_PORT"), busy.output());
      assertFalse(busy.output().contains("\tat "), busy.output());
      assertFalse(busy.output().contains("Exception"), busy.output());
    }
  }

  @Test
  void aMistypedKeyInTheConfigFileExitsTwoNamingIt() throws Exception {
    Path file = java.nio.file.Files.createTempFile("pulse", ".json");
    java.nio.file.Files.writeString(file, "{\"prot\": 9000}");
    Run typo = run(Map.of("PULSE_CONFIG", file.toString()));
    assertEquals(2, typo.exit(), typo.output());
    assertTrue(typo.output().contains(file + ": prot: unknown field (did you mean \"port\"?)"),
        typo.output());
  }
}
