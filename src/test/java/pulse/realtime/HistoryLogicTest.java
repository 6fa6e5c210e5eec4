package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pulse.metrics.PulseMetrics;
import pulse.store.Event;
import pulse.store.MemoryEventStore;
import pulse.store.MinutePoint;
import pulse.store.StoreLimits;
import pulse.testing.MutableClock;

/** Buckets keep peaks, baselines take the median of four weeks, the recorder keeps a minute's high. */
class HistoryLogicTest {
  private static final long M = 29_409_000L;

  private static MinutePoint p(long minute, long active, long pageviews) {
    return new MinutePoint(minute, active, active / 2, pageviews, 0);
  }

  @Test
  void aStepKeepsTheHighestOfItsMinutesAlignedToTheEpoch() {
    // M is a multiple of 5: minutes M-1 | M..M+4 | M+5
    List<HistoryService.Point> points = HistoryService.buckets(List.of(p(M - 1, 4, 9),
        p(M, 2, 1), p(M + 2, 10, 3), p(M + 4, 5, 7), p(M + 5, 1, 1)), 5, 0);
    assertEquals(List.of(new HistoryService.Point(M - 5, 4, 2, 9, 0),
        new HistoryService.Point(M, 10, 5, 7, 0), new HistoryService.Point(M + 5, 1, 0, 1, 0)),
        points);
    assertEquals(new HistoryService.Peak(M + 2, 10),
        HistoryService.peak(List.of(p(M, 2, 1), p(M + 2, 10, 3), p(M + 3, 10, 3))),
        "the first minute of the highest count");
    assertEquals("2025-12-01T00:00:00.000Z",
        new HistoryService.Point(29_409_120L, 0, 0, 0, 0).t());
  }

  @Test
  void theBaselineIsTheWeekBeforeAndTheMedianOfFourWeeksWhenAllAreThere() {
    Baseline oneWeek = BaselineReader.of(new MinutePoint[] {p(M, 8, 0), null, null, null});
    assertEquals(8L, oneWeek.weekAgo());
    assertEquals(4L, oneWeek.weekAgoPresent());
    assertNull(oneWeek.medianOfFourWeeks());
    assertEquals(2.0, oneWeek.against(16).ratio());

    Baseline four = BaselineReader.of(new MinutePoint[] {p(M, 8, 0), p(M, 100, 0), p(M, 6, 0),
        p(M, 9, 0)});
    assertEquals(8.5, four.medianOfFourWeeks(), "the middle two of 6, 8, 9, 100");
    assertEquals(0.59, four.against(5).ratio());
    assertNull(BaselineReader.of(new MinutePoint[] {p(M, 0, 0), null, null, null}).against(3)
        .ratio(), "no ratio to zero");
    assertNull(Baseline.NONE.against(3).ratio());
  }

  @Test
  void theRecorderKeepsTheHighestPresenceSeenDuringTheMinute() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:05Z"));
    MemoryEventStore store = new MemoryEventStore(clock,
        new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000, 500, 40));
    SnapshotService snapshots = new SnapshotService(store, clock, 1000, 16, new PulseMetrics());
    MinuteRecorder recorder = new MinuteRecorder(store, snapshots, () -> List.of("demo"), clock);
    long minute = clock.millis() / 60_000L;
    for (String v : List.of("a", "b", "c")) {
      await(store.append("demo", List.of(new Event(v + "1", Event.PAGEVIEW, clock.millis(), v,
          "/", "", "", "", "", "", "DE", "Firefox", "Linux", "desktop", null))));
    }
    clock.advanceSeconds(5);
    assertEquals(3, await(snapshots.current("demo", 300)).snapshot().present());
    // 57 s later nobody has shown a page for more than 45 s: present is 0 at the minute's end
    clock.set(Instant.parse("2026-12-01T10:01:02Z"));
    assertEquals(0, await(snapshots.current("demo", 300)).snapshot().present());
    await(recorder.record(minute));
    MinutePoint recorded = await(store.history("demo", minute, minute)).get(0);
    assertEquals(new MinutePoint(minute, 3, 3, 3, 0), recorded,
        "the high of the minute, not its end");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aSiteWithoutEventsInTheWindowIsRecordedQuietWithoutASnapshot() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:05Z"));
    MemoryEventStore store = new MemoryEventStore(clock,
        new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000, 500, 40));
    SnapshotService snapshots = new SnapshotService(store, clock, 1000, 16, new PulseMetrics());
    MinuteRecorder recorder = new MinuteRecorder(store, snapshots, () -> List.of("busy", "idle"),
        clock);
    long minute = clock.millis() / 60_000L;
    // busy: a visit 4 min 50 s before the minute, active during its first 50 s; idle: older
    await(store.append("busy", List.of(new Event("b1", Event.PAGEVIEW,
        clock.millis() - 295_000, "a", "/", "", "", "", "", "", "DE", "Firefox", "Linux",
        "desktop", null))));
    await(store.append("idle", List.of(new Event("i1", Event.PAGEVIEW,
        clock.millis() - 320_000, "a", "/", "", "", "", "", "", "DE", "Firefox", "Linux",
        "desktop", null))));
    clock.set(Instant.parse("2026-12-01T10:01:02Z"));
    await(recorder.record(minute));
    assertEquals(new MinutePoint(minute, 0, 0, 0, 0),
        await(store.history("idle", minute, minute)).get(0), "recorded, quiet");
    assertEquals(1, snapshots.computations(), "only the busy site's snapshot was computed");
  }

  @Test
  void twoInstancesComputeOneSnapshotForASitesMinuteAndBothHearThePoint() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:05Z"));
    MemoryEventStore store = new MemoryEventStore(clock,
        new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000, 500, 40));
    long minute = clock.millis() / 60_000L;
    await(store.append("demo", List.of(new Event("a1", Event.PAGEVIEW, clock.millis(), "a", "/",
        "", "", "", "", "", "DE", "Firefox", "Linux", "desktop", null))));
    Vertx vertx = Vertx.vertx();
    try {
      List<SnapshotService> snapshots = new ArrayList<>();
      List<List<MinutePoint>> heard = new ArrayList<>();
      for (int instance = 0; instance < 2; instance++) {
        SnapshotService s = new SnapshotService(store, clock, 1000, 16, new PulseMetrics());
        MinuteRecorder recorder = new MinuteRecorder(store, s, () -> List.of("demo"), clock);
        List<MinutePoint> points = new CopyOnWriteArrayList<>();
        recorder.addListener((site, point) -> points.add(point));
        recorder.start(vertx);
        snapshots.add(s);
        heard.add(points);
      }
      clock.set(Instant.parse("2026-12-01T10:01:03Z"));
      long until = System.nanoTime() + 5_000_000_000L;
      while ((heard.get(0).isEmpty() || heard.get(1).isEmpty()) && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      // active in the 5-minute window; no longer present 58 s after its pageview
      MinutePoint expected = new MinutePoint(minute, 1, 0, 1, 0);
      assertEquals(List.of(expected), heard.get(0));
      assertEquals(List.of(expected), heard.get(1), "the other instance reads the point back");
      assertEquals(1, snapshots.get(0).computations() + snapshots.get(1).computations(),
          "one snapshot for the site's minute");
    } finally {
      vertx.close();
    }
  }

  @Test
  void aMinuteWhoseLeaseHolderStoppedIsMeasuredByAnother() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:05Z"));
    MemoryEventStore store = new MemoryEventStore(clock,
        new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000, 500, 40));
    long minute = clock.millis() / 60_000L;
    await(store.append("demo", List.of(new Event("a1", Event.PAGEVIEW, clock.millis(), "a", "/",
        "", "", "", "", "", "DE", "Firefox", "Linux", "desktop", null))));
    Vertx vertx = Vertx.vertx();
    try {
      SnapshotService snapshots = new SnapshotService(store, clock, 1000, 16, new PulseMetrics());
      MinuteRecorder recorder = new MinuteRecorder(store, snapshots, () -> List.of("demo"), clock);
      List<MinutePoint> heard = new CopyOnWriteArrayList<>();
      recorder.addListener((site, point) -> heard.add(point));
      recorder.start(vertx);
      // an instance took the minute's lease and stopped before it wrote the point
      assertTrue(await(store.lease("demo", "minute:" + minute, MinuteRecorder.LEASE_MILLIS)));
      clock.set(Instant.parse("2026-12-01T10:01:03Z"));
      long until = System.nanoTime() + 15_000_000_000L;
      while (heard.isEmpty() && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertEquals(List.of(new MinutePoint(minute, 1, 0, 1, 0)), heard);
      assertEquals(List.of(new MinutePoint(minute, 1, 0, 1, 0)),
          await(store.history("demo", minute, minute)), "recorded all the same");
    } finally {
      vertx.close();
    }
  }
}
