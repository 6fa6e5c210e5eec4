package pulse.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.MutableClock;

/**
 * The embedded store's file: what is saved comes back equal after a restart (figures, uniques,
 * hours, history, states, salts), what expired stays out, and a file Pulse cannot read is moved
 * aside while the store starts empty.
 */
class EmbeddedStoreFileTest {
  private static final Instant NOW = Instant.parse("2026-11-23T14:32:20Z");
  private static final String TODAY = "20261123";
  private static final String YESTERDAY = "20261122";
  /** Day figures kept 40 days, as the shipped pulse.json's dayRetentionDays. */
  private static final StoreLimits LIMITS = new StoreLimits(30 * 60_000L, 61 * 60_000L, 10_000,
      5_000, 40);

  @TempDir
  Path dir;
  private MutableClock clock;
  private final List<String> warnings = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private int ids;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(NOW);
    Logger.getLogger(EmbeddedStoreFile.class.getName()).addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    Logger.getLogger(EmbeddedStoreFile.class.getName()).removeHandler(capture);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Event pageview(String visitor, String path, long time, Boolean returning) {
    return new Event("e" + (ids++), Event.PAGEVIEW, time, visitor, path, "", "t", "", "", "",
        "US", "Chrome", "Windows", "desktop", returning);
  }

  private MemoryEventStore newStore() {
    return new MemoryEventStore(clock, LIMITS);
  }

  private EmbeddedStoreFile file() {
    return new EmbeddedStoreFile(dir, clock);
  }

  /**
   * A busy site ("shop": 2,000 visitors today, past the sparse counters) and a small one
   * ("blog"), yesterday and today, a few recorded minutes, an alert's state and the day's salt.
   */
  private MemoryEventStore filledStore() {
    MemoryEventStore store = newStore();
    // yesterday's figures were written yesterday: they expire a day before today's
    clock.set(NOW.minusSeconds(86_400));
    long yesterday = NOW.minusSeconds(86_400 + 600).toEpochMilli();
    List<Event> shop = new ArrayList<>();
    for (int v = 0; v < 300; v++) {
      shop.add(pageview("old" + v, "/", yesterday + v * 1_000L, null));
    }
    await(store.append("shop", shop));
    clock.set(NOW);
    long today = NOW.minusSeconds(3 * 3600).toEpochMilli();
    shop.clear();
    for (int v = 0; v < 2_000; v++) {
      long t = today + v * 5_000L;
      shop.add(pageview("v" + v, "/", t, v % 3 == 0));
      if (v % 4 == 0) {
        shop.add(pageview("v" + v, "/pricing", t + 60_000L, v % 3 == 0));
      }
    }
    await(store.append("shop", shop));
    await(store.append("blog", List.of(pageview("b1", "/post", NOW.toEpochMilli() - 60_000, true),
        pageview("b2", "/post", NOW.toEpochMilli() - 30_000, false))));
    long minute = NOW.toEpochMilli() / 60_000L;
    await(store.recordMinute("shop", minute - 2, 40, 12));
    await(store.recordMinute("shop", minute - 1, 42, 13));
    await(store.recordMinute("shop", minute - 1440 * 3, 7, 2));
    await(store.writeState("shop", "alerts", "{\"spike\":{\"since\":1764000000000}}"));
    await(store.dailySalt(TODAY));
    return store;
  }

  private MemoryEventStore reloaded(MemoryEventStore saved) throws IOException {
    file().save(saved);
    MemoryEventStore restarted = newStore();
    file().loadInto(restarted);
    return restarted;
  }

  @Test
  void whatIsSavedIsReadBackEqual() throws IOException {
    MemoryEventStore before = filledStore();
    MemoryEventStore after = reloaded(before);
    for (String site : List.of("shop", "blog")) {
      for (String day : List.of(TODAY, YESTERDAY)) {
        assertEquals(await(before.day(site, day)), await(after.day(site, day)), site + " " + day);
        assertEquals(await(before.dayHours(site, day, 24)), await(after.dayHours(site, day, 24)));
        assertEquals(await(before.dayHours(site, day, 13)), await(after.dayHours(site, day, 13)));
      }
      assertEquals(await(before.uniqueVisitors(site, List.of(TODAY, YESTERDAY))),
          await(after.uniqueVisitors(site, List.of(TODAY, YESTERDAY))));
      assertEquals(await(before.lastEventTime(site)), await(after.lastEventTime(site)));
    }
    DayFigures shopToday = await(after.day("shop", TODAY));
    assertEquals(2_500, shopToday.pageviews());
    assertTrue(Math.abs(shopToday.visitors() - 2_000) <= 20, "visitors " + shopToday.visitors());
    long minute = NOW.toEpochMilli() / 60_000L;
    assertEquals(await(before.history("shop", minute - 1440 * 5, minute)),
        await(after.history("shop", minute - 1440 * 5, minute)));
    assertEquals(3, await(after.history("shop", minute - 1440 * 5, minute)).size());
    // a recorded minute stays recorded: a second instance's write changes nothing after restart
    assertFalse(await(after.recordMinute("shop", minute - 1, 99, 99)).written());
    assertEquals("{\"spike\":{\"since\":1764000000000}}", await(after.readState("shop", "alerts")));
    assertEquals(await(before.dailySalt(TODAY)), await(after.dailySalt(TODAY)),
        "today's visitors keep their ids across the restart");
    // the realtime window is not kept: it refills within minutes
    WindowQuery window = new WindowQuery("shop", clock.millis(), 3600);
    assertEquals(0, await(after.window(window)).visitors().size());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void aVisitorSeenBeforeTheRestartIsNotCountedTwiceToday() throws IOException {
    MemoryEventStore after = reloaded(filledStore());
    long todayBefore = await(after.day("blog", TODAY)).visitors();
    await(after.append("blog", List.of(pageview("b1", "/again", clock.millis(), true))));
    assertEquals(todayBefore, await(after.day("blog", TODAY)).visitors());
    await(after.append("blog", List.of(pageview("b3", "/", clock.millis() + 1, true))));
    assertEquals(todayBefore + 1, await(after.day("blog", TODAY)).visitors());
    assertEquals(4, await(after.day("blog", TODAY)).pageviews());
  }

  @Test
  void whatExpiredWhilePulseWasDownStaysOut() throws IOException {
    MemoryEventStore before = filledStore();
    String salt = await(before.dailySalt(TODAY));
    file().save(before);
    // 40 days of day figures, 3 days of hours, 25 hours of salt: one day and a bit on,
    // the salt is gone and the day figures are still there
    clock.advanceSeconds(25 * 3600);
    MemoryEventStore next = newStore();
    file().loadInto(next);
    assertEquals(2_500, await(next.day("shop", TODAY)).pageviews());
    assertNotEquals(salt, await(next.dailySalt(TODAY)), "an old salt is never used again");
    // nor written again: the store that held it saves without it
    file().save(before);
    try (var in = Files.newInputStream(file().path())) {
      assertEquals(List.of(), StoreImageFormat.read(in).salts());
    }
    // 41 days on, yesterday's figures have expired, and hours long before
    clock.set(NOW.plusSeconds(41 * 86_400L));
    MemoryEventStore late = newStore();
    file().loadInto(late);
    assertEquals(DayFigures.EMPTY, await(late.day("shop", YESTERDAY)));
    assertEquals(DayFigures.EMPTY, await(late.day("shop", TODAY)));
    assertEquals(0, await(late.dayHours("shop", TODAY, 24)).visitors());
    long minute = NOW.toEpochMilli() / 60_000L;
    assertEquals(List.of(), await(late.history("shop", minute - 1440 * 5, minute)),
        "history is kept 31 days");
  }

  @Test
  void expiryGoesOnAfterAReload() throws IOException {
    MemoryEventStore after = reloaded(filledStore());
    assertEquals(300, await(after.day("shop", YESTERDAY)).pageviews());
    // a day's figures expire 40 days after its last event was written, as before the restart
    clock.set(NOW.plusSeconds(39 * 86_400L + 3600L));
    // (as before: a site's old figures go when its next event is written)
    await(after.append("shop", List.of(pageview("s9", "/", clock.millis(), null))));
    assertEquals(DayFigures.EMPTY, await(after.day("shop", YESTERDAY)));
    assertEquals(2_500, await(after.day("shop", TODAY)).pageviews(), "today's lasts longer");
  }

  @Test
  void noFileStartsEmptyWithoutAWarning() {
    MemoryEventStore store = newStore();
    assertEquals(0, file().loadInto(store));
    assertEquals(DayFigures.EMPTY, await(store.day("shop", TODAY)));
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  private byte[] goodFile() throws IOException {
    file().save(filledStore());
    return Files.readAllBytes(file().path());
  }

  private void assertMovedAsideAndEmpty(byte[] content, String reason) throws IOException {
    Files.write(file().path(), content);
    MemoryEventStore store = newStore();
    assertEquals(0, file().loadInto(store), reason);
    assertEquals(DayFigures.EMPTY, await(store.day("shop", TODAY)), reason);
    assertNull(await(store.readState("shop", "alerts")), reason);
    assertFalse(Files.exists(file().path()), reason + ": moved aside");
    Path aside = dir.resolve("embedded-store.bin.corrupt-20261123T143220Z");
    assertArrayEquals(content, Files.readAllBytes(aside), reason + ": kept as it was");
    assertEquals(1, warnings.size(), warnings.toString());
    String warning = warnings.get(0);
    assertTrue(warning.contains("cannot read " + file().path()) && warning.contains(aside.toString())
        && warning.contains("started with no saved figures"), warning);
    warnings.clear();
    Files.delete(aside);
    // and the next save writes a good file again
    file().save(filledStore());
    MemoryEventStore next = newStore();
    file().loadInto(next);
    assertEquals(2_500, await(next.day("shop", TODAY)).pageviews());
  }

  @Test
  void aTruncatedFileIsMovedAsideAndTheStoreStartsEmpty() throws IOException {
    byte[] good = goodFile();
    for (int length : new int[] {0, 5, 12, 100, good.length / 2, good.length - 4,
        good.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(good, length);
      assertMovedAsideAndEmpty(cut, "cut to " + length + " of " + good.length + " bytes");
    }
  }

  @Test
  void aDamagedFileIsMovedAsideAndTheStoreStartsEmpty() throws IOException {
    byte[] good = goodFile();
    // the name, the version, gzip's header, the data, gzip's CRC-32
    for (int at : new int[] {3, 11, 13, good.length / 3, good.length - 6}) {
      byte[] damaged = good.clone();
      damaged[at] ^= 0x5a;
      assertMovedAsideAndEmpty(damaged, "byte " + at + " changed");
    }
    assertMovedAsideAndEmpty("{\"not\": \"ours\"}".getBytes(), "another file");
  }

  @Test
  void aFileOfANewerVersionIsMovedAsideSayingSo() throws IOException {
    byte[] newer = goodFile();
    ByteBuffer.wrap(newer).putInt(StoreImageFormat.MAGIC.length, StoreImageFormat.VERSION + 1);
    Files.write(file().path(), newer);
    MemoryEventStore store = newStore();
    file().loadInto(store);
    assertEquals(DayFigures.EMPTY, await(store.day("shop", TODAY)));
    assertTrue(warnings.get(0).contains("version 2 is newer than this Pulse reads (1)"),
        warnings.toString());
  }

  @Test
  void aFailedSaveLeavesTheLastGoodFileAndNoTemporaryOne() throws IOException {
    byte[] good = goodFile();
    // the temporary file's name is taken by a directory with something in it: the save fails
    Path blocker = dir.resolve("embedded-store.bin.tmp");
    Files.createDirectories(blocker.resolve("x"));
    MemoryEventStore changed = filledStore();
    await(changed.append("shop", List.of(pageview("late", "/", clock.millis(), null))));
    assertThrows(IOException.class, () -> file().save(changed));
    assertArrayEquals(good, Files.readAllBytes(file().path()));
    Files.delete(blocker.resolve("x"));
    Files.delete(blocker);
    file().save(changed);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file().path()), files.toList(), "one file, no temporary one left");
    }
    MemoryEventStore next = newStore();
    file().loadInto(next);
    assertEquals(2_501, await(next.day("shop", TODAY)).pageviews());
  }

  /** What the README says the file costs: a busy site's day in tens of KB, a quiet one's in a few. */
  @Test
  void aDayCostsTensOfKilobytesForABusySiteAndAFewForAQuietOne() throws IOException {
    MemoryEventStore busy = newStore();
    long dayStart = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    clock.set(Instant.parse("2026-11-23T23:59:00Z"));
    List<Event> events = new ArrayList<>();
    for (int v = 0; v < 20_000; v++) {
      events.add(pageview("v" + v, "/", dayStart + v * 4_300L, null));
    }
    await(busy.append("shop", events));
    for (long m = dayStart / 60_000L; m < dayStart / 60_000L + 1440; m++) {
      await(busy.recordMinute("shop", m, 300 + m % 17, 200 + m % 13));
    }
    file().save(busy);
    long busyBytes = Files.size(file().path());
    assertTrue(busyBytes < 150_000, "a day of 20,000 visitors: " + busyBytes + " bytes");

    MemoryEventStore quiet = newStore();
    events.clear();
    for (int v = 0; v < 100; v++) {
      events.add(pageview("q" + v, "/", dayStart + v * 800_000L, null));
    }
    await(quiet.append("blog", events));
    for (long m = dayStart / 60_000L; m < dayStart / 60_000L + 1440; m++) {
      await(quiet.recordMinute("blog", m, m % 3, m % 2));
    }
    file().save(quiet);
    long quietBytes = Files.size(file().path());
    assertTrue(quietBytes < 15_000, "a day of 100 visitors: " + quietBytes + " bytes");
    System.out.println("embedded store file: busy day " + busyBytes + " B, quiet day "
        + quietBytes + " B");
  }
}
