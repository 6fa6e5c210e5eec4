package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.MutableClock;

/**
 * The periodic save: without any shutdown (a crash) the file holds what was stored up to the last
 * period; a directory that cannot be written is said at start and at each failed save, and the
 * store goes on taking events.
 */
class EmbeddedStoreSavingTest {
  private static final StoreLimits LIMITS = new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000,
      500, 40);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T14:32:20Z"));
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Vertx vertx;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Logger.getLogger(EmbeddedStoreSaving.class.getName()).addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    Logger.getLogger(EmbeddedStoreSaving.class.getName()).removeHandler(capture);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Event pageview(String visitor) {
    return new Event("e" + visitor, Event.PAGEVIEW, clock.millis(), visitor, "/", "", "t", "",
        "", "", "US", "Chrome", "Windows", "desktop", null);
  }

  private long pageviewsOnFile() {
    MemoryEventStore read = new MemoryEventStore(clock, LIMITS);
    new EmbeddedStoreFile(dir, clock).loadInto(read);
    return read.day("demo", "20261123").result().pageviews();
  }

  @Test
  void eachPeriodSavesWhatWasStoredSoACrashLosesAtMostOnePeriod() throws Exception {
    MemoryEventStore store = new MemoryEventStore(clock, LIMITS);
    EmbeddedStoreSaving.start(vertx, store, dir, clock, 200);
    await(store.append("demo", List.of(pageview("a"), pageview("b"))));
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline
        && (!Files.exists(dir.resolve(EmbeddedStoreFile.NAME)) || pageviewsOnFile() < 2)) {
      Thread.sleep(50);
    }
    assertEquals(2, pageviewsOnFile(), "saved within a period, with no shutdown");
    await(store.append("demo", List.of(pageview("c"))));
    // closing the store (after the writer's last batch) saves without waiting for the period
    await(store.close());
    assertEquals(3, pageviewsOnFile());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void aDirectoryThatCannotBeWrittenIsSaidAtStartAndAtEachSaveAndTheStoreRunsOn()
      throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Path unwritable = file.resolve("data");
    MemoryEventStore store = new MemoryEventStore(clock, LIMITS);
    EmbeddedStoreSaving.start(vertx, store, unwritable, clock, 100);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("the data directory " + unwritable.toAbsolutePath()
        + " cannot be written; day figures and history will be lost on restart. Set"
        + " PULSE_DATA_DIR"), warnings.get(0));
    long deadline = System.currentTimeMillis() + 5_000;
    while (warnings.size() < 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(warnings.size() >= 3, "one warning a failed save: " + warnings);
    assertTrue(warnings.get(1).startsWith("embedded store: could not save to "
        + unwritable.resolve(EmbeddedStoreFile.NAME)), warnings.get(1));
    await(store.append("demo", List.of(pageview("a"))));
    assertEquals(1, await(store.day("demo", "20261123")).pageviews());
    // a failed last save does not fail the shutdown
    await(store.close());
  }
}
