package pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.config.ConfigLoader;
import pulse.site.Sites;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** What the start-up log tells the person who started Pulse: the store, the dashboard, an outage. */
@Tag("server")
class StartupLogTest {
  /** Held here: java.util.logging keeps loggers only weakly. */
  private static final Logger PULSE_LOGGER = Logger.getLogger("pulse");
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      lines.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    PULSE_LOGGER.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    PULSE_LOGGER.removeHandler(capture);
  }

  /** Waits (20 s at most) for a line; the report comes from a timer, so it may trail the start. */
  private String awaitLine(Predicate<String> wanted) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      for (String line : lines) {
        if (wanted.test(line)) {
          return line;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such log line in:\n" + String.join("\n", lines));
  }

  @Test
  void theEmbeddedStoreAndTheFirstPublicSitesDashboardAreNamed() throws Exception {
    try (TestPulse pulse = TestPulse.start(null, Clock.systemUTC(), tree -> { })) {
      int port = pulse.pulse().port();
      awaitLine(l -> l.contains("listening on port " + port + " with the embedded memory store"));
      awaitLine(l -> l.equals("INFO dashboard: http://127.0.0.1:" + port + "/live/demo"));
    }
  }

  @Test
  void aPrivateSiteGetsTheWayToOpenIt() throws Exception {
    Sites shopOnly = Sites.parse(
        "{\"sites\": [{\"id\": \"shop\", \"domains\": [\"shop.test\"], \"public\": false}]}");
    var tree = ConfigLoader.defaults();
    tree.put("port", 0);
    tree.put("host", "0.0.0.0");
    tree.putNull("geoipDb");
    tree.put("dataDir", "");
    try (TestPulse pulse = TestPulse.start(ConfigLoader.fromJson(tree), shopOnly,
        Clock.systemUTC())) {
      awaitLine(l -> l.equals("INFO dashboard: http://localhost:" + pulse.pulse().port()
          + "/live/shop (a private site: the page asks for a token with realtime:read; make one"
          + " with java -jar pulse.jar token --site shop)"));
    }
  }

  @Test
  void anUnreachableRedisIsNamedWithoutItsPasswordAndHealthSays503() throws Exception {
    int closed = TestRedis.freePort();
    String url = "redis://:hunter2secret@127.0.0.1:" + closed;
    try (TestPulse pulse = TestPulse.start(url, Clock.systemUTC(), tree -> { })) {
      String warning = awaitLine(l -> l.startsWith("WARNING Redis at redis://127.0.0.1:" + closed
          + " does not answer"));
      assertTrue(warning.contains("retries every 2 s"), warning);
      awaitLine(l -> l.contains("with the redis store at redis://127.0.0.1:" + closed));
      assertEquals(503, pulse.get("/health").statusCode());
      String all = lines.stream().collect(Collectors.joining("\n"));
      assertFalse(all.contains("hunter2secret"), all);
    }
  }

  @Test
  void aRedisThatComesLateIsPickedUpAndSaidSo() throws Exception {
    TestRedis redis = TestRedis.startProcess(List.of());
    redis.stop();
    try (TestPulse pulse = TestPulse.start(redis.url(), Clock.systemUTC(), tree -> { })) {
      awaitLine(l -> l.startsWith("WARNING Redis at " + redis.url() + " does not answer"));
      assertEquals(503, pulse.get("/health").statusCode());
      redis.restart();
      awaitLine(l -> l.equals("INFO Redis at " + redis.url() + " answers: the store is up"));
      long deadline = System.currentTimeMillis() + 20_000;
      int health = 0;
      while (health != 200 && System.currentTimeMillis() < deadline) {
        health = pulse.get("/health").statusCode();
        Thread.sleep(100);
      }
      assertEquals(200, health);
    } finally {
      redis.stop();
    }
  }
}
