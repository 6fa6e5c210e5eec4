package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.store.WindowQuery;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The real process: it runs on the native transport where the build has one, and SIGTERM stops
 * taking requests, flushes buffered events and exits 0.
 */
@Tag("server")
class ShutdownTest {
  @Test
  void sigtermFlushesTheBufferToTheStoreAndExitsZero() throws Exception {
    TestRedis redis = TestRedis.startProcess(List.of("--appendonly", "yes"));
    int port = TestRedis.freePort();
    Path log = Files.createTempFile("pulse-shutdown", ".log");
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "pulse.Main")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("PULSE_PORT", Integer.toString(port));
    pb.environment().put("PULSE_REDIS_URL", redis.url());
    pb.environment().remove("PULSE_CONFIG");
    pb.environment().remove("PULSE_SITES");
    Process pulse = pb.start();
    String base = "http://127.0.0.1:" + port;
    try {
      long deadline = System.currentTimeMillis() + 20_000;
      int health = 0;
      while (health != 200 && System.currentTimeMillis() < deadline) {
        try {
          health = get(base + "/health").statusCode();
        } catch (IllegalStateException notYet) {
          Thread.sleep(100);
        }
      }
      assertEquals(200, health, Files.readString(log));
      if (System.getProperty("os.name").equals("Linux")
          && System.getProperty("os.arch").equals("amd64")) {
        // the process runs on Netty's epoll transport, which the build ships for this platform
        assertTrue(Files.readString(log).contains(" (native transport) with "),
            Files.readString(log));
      }
      // read the day's salt while the store is up, then take it away
      assertEquals(202, collect(base, 0).statusCode());
      Thread.sleep(500);
      redis.stop();
      for (int i = 1; i <= 20; i++) {
        assertEquals(202, collect(base, i).statusCode());
      }

      pulse.destroy(); // SIGTERM
      Thread.sleep(1_000);
      redis.restart(); // the store returns while Pulse is flushing
      assertTrue(pulse.waitFor(20, TimeUnit.SECONDS), "Pulse exits within the flush bound");
      assertEquals(0, pulse.exitValue(), Files.readString(log));

      String day = WindowQuery.day(System.currentTimeMillis());
      String reply = redis.command("HGET", "pulse:{demo}:day:" + day, "pageviews");
      assertTrue(reply.contains("\r\n21\r\n"), "21 pageviews stored, got " + reply.trim());
    } finally {
      pulse.destroyForcibly();
      redis.stop();
    }
  }

  private static HttpResponse<String> collect(String base, int n) {
    return TestPulse.send(HttpRequest.newBuilder(URI.create(base + "/api/collect"))
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"site\":\"demo\",\"url\":\"http://localhost/shutdown/" + n + "\"}")),
        "Content-Type", "text/plain", "User-Agent", TestPulse.CHROME);
  }

  private static HttpResponse<String> get(String url) {
    return TestPulse.send(HttpRequest.newBuilder(URI.create(url)).GET());
  }
}
