package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.store.EmbeddedStoreFile;
import pulse.store.EventStore;
import pulse.store.MinutePoint;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;

/**
 * A real Pulse on the embedded store, stopped and started again on the same data directory:
 * today's figures, the days behind Zenovay's stats, the last event and the history are what they
 * were; visitors of today keep their ids; only the realtime window starts empty.
 */
@Tag("server")
class EmbeddedStoreRestartTest {
  private static final Instant NOW = Instant.parse("2026-11-23T14:32:20Z");
  private static final String CODE = "ZV_ZEN00000001";

  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock(NOW);
  private TestPulse pulse;

  @AfterEach
  void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  private TestPulse start() {
    return TestPulse.start(null, clock, tree -> {
      tree.put("dataDir", dir.toString());
      tree.put("trustProxy", true);
      ((ObjectNode) tree.with("realtime")).put("tickMillis", 100);
    });
  }

  private void pageview(String instant, String ip, String path) {
    clock.set(Instant.parse(instant));
    HttpResponse<String> r = pulse.collect("{\"site\":\"zen\",\"url\":\"https://zen.example.com"
        + path + "\"}", TestPulse.CHROME, "X-Forwarded-For", ip, "CF-IPCountry", "DE");
    assertEquals(202, r.statusCode(), r.body());
  }

  private JsonNode get(String path) {
    clock.advanceMillis(100); // the next tick: a fresh snapshot
    HttpResponse<String> r = pulse.get(path);
    assertEquals(200, r.statusCode(), r.body());
    return TestPulse.json(r);
  }

  /** What a user reads of the days: today, the day comparisons, the week, the month. */
  private String dayFigures() {
    JsonNode snapshot = get("/api/sites/zen/realtime");
    JsonNode stats = get("/e/stats/" + CODE);
    JsonNode realtime = get("/e/realtime/ws_zen");
    ((ObjectNode) stats.path("visitors")).remove("live");
    ((ObjectNode) stats).remove("timestamp");
    return "today " + snapshot.path("today") + ", stats " + stats
        + ", visitors " + realtime.path("visitors").path("today") + " "
        + realtime.path("visitors").path("change") + ", pageViews "
        + realtime.path("pageViews").path("today") + " " + realtime.path("pageViews").path("change")
        + ", status " + get("/e/" + CODE + "/status").path("last_event");
  }

  private List<MinutePoint> history() throws Exception {
    long minute = NOW.toEpochMilli() / 60_000L;
    return pulse.pulse().services().store().history("zen", minute - 1440 * 2, minute)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSecondPulseOnTheSameDataDirectoryDoesNotStartAndSaysWhy() throws Exception {
    pulse = start();
    pageview("2026-11-23T14:30:00Z", "198.51.100.3", "/b");
    IllegalStateException refused = assertThrows(IllegalStateException.class, this::start);
    assertTrue(refused.getMessage().contains("the data directory " + dir.toAbsolutePath()
        + " is in use by another Pulse"), refused.getMessage());
    assertTrue(refused.getMessage().contains("PULSE_DATA_DIR"), refused.getMessage());
    // the first one runs on, unharmed, and once it has stopped the directory is free
    clock.set(NOW);
    assertEquals(1, get("/api/sites/zen/realtime").path("today").path("pageviews").asInt());
    pulse.close();
    pulse = start();
    clock.set(NOW);
    assertEquals(1, get("/api/sites/zen/realtime").path("today").path("pageviews").asInt());
  }

  @Test
  void aRestartKeepsTodaysFiguresTheDaysBeforeAndTheHistory() throws Exception {
    pulse = start();
    pageview("2026-11-22T09:00:00Z", "198.51.100.11", "/");
    pageview("2026-11-22T13:00:00Z", "198.51.100.12", "/");
    pageview("2026-11-22T13:00:30Z", "198.51.100.12", "/a");
    pageview("2026-11-20T10:00:00Z", "198.51.100.16", "/");
    pageview("2026-11-23T12:00:00Z", "198.51.100.1", "/");
    pageview("2026-11-23T12:01:00Z", "198.51.100.1", "/a");
    pageview("2026-11-23T13:00:00Z", "198.51.100.2", "/");
    pageview("2026-11-23T14:30:00Z", "198.51.100.3", "/b");
    EventStore store = pulse.pulse().services().store();
    long minute = NOW.toEpochMilli() / 60_000L;
    for (long m = minute - 3; m < minute; m++) {
      store.recordMinute("zen", m, 3, 2);
    }
    store.recordMinute("zen", minute - 1440, 5, 4);
    clock.set(NOW);
    String before = dayFigures();
    assertTrue(before.startsWith("today {\"visitors\":3,\"pageviews\":4}"), before);
    assertTrue(before.contains("\"week\":6"), before);
    List<MinutePoint> history = history();
    assertEquals(4, history.size());
    assertEquals(1, get("/api/sites/zen/realtime").path("activeVisitors").asInt());
    pulse.close();
    assertTrue(Files.isRegularFile(dir.resolve(EmbeddedStoreFile.NAME)));

    pulse = start();
    assertEquals(before, dayFigures());
    assertEquals(history, history());
    // only the realtime window starts empty
    assertEquals(0, get("/api/sites/zen/realtime").path("activeVisitors").asInt());

    // today's visitor back after the restart keeps their id: not counted twice; a new one counts
    pageview("2026-11-23T14:33:00Z", "198.51.100.1", "/again");
    assertEquals("{\"visitors\":3,\"pageviews\":5}",
        get("/api/sites/zen/realtime").path("today").toString());
    pageview("2026-11-23T14:33:10Z", "198.51.100.4", "/");
    assertEquals("{\"visitors\":4,\"pageviews\":6}",
        get("/api/sites/zen/realtime").path("today").toString());
  }

  @Test
  void aDamagedFileIsMovedAsideAndPulseStartsEmpty() throws IOException {
    Files.write(dir.resolve(EmbeddedStoreFile.NAME), "PULSEMEM\0\0\0\1garbage".getBytes());
    pulse = start();
    pageview("2026-11-23T14:30:00Z", "198.51.100.3", "/");
    clock.set(NOW);
    assertEquals("{\"visitors\":1,\"pageviews\":1}",
        get("/api/sites/zen/realtime").path("today").toString());
    try (Stream<Path> files = Files.list(dir)) {
      // beside the running instance's lock file
      assertEquals(List.of(EmbeddedStoreFile.NAME + ".corrupt-20261123T143220Z"),
          files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("pulse.lock"))
              .toList());
    }
    pulse.close();
    pulse = null;
    assertTrue(Files.isRegularFile(dir.resolve(EmbeddedStoreFile.NAME)),
        "the next save writes a good file beside the one moved aside");
  }
}
