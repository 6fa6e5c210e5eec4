package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * History, leases and state: what every store must do for the minute recorder and the alerts.
 * Run against Redis and the embedded store alike.
 */
abstract class HistoryContract extends LiveFiguresContract {
  long minuteOf(long millis) {
    return Math.floorDiv(millis, 60_000L);
  }

  @Test
  void aMinuteIsRecordedOnceWithThePageviewsAndEventsThatHappenedInIt() {
    long m = minuteOf(now());
    long start = m * 60_000L;
    append(pageview("a", "/", start), pageview("b", "/x", start + 59_999),
        pageview("c", "/", start + 60_000), custom("a", "signup", "", start + 5_000),
        custom("b", "signup", "", start - 1));
    EventStore.Recorded first = await(store.recordMinute(site, m, 7, 3));
    assertTrue(first.written());
    assertEquals(new MinutePoint(m, 7, 3, 2, 1), first.point(),
        "the minute's two pageviews and one event; not the next minute's, not the last's");

    // a second instance (or a retry) recording the same minute changes nothing
    EventStore.Recorded again = await(store.recordMinute(site, m, 99, 99));
    assertFalse(again.written());
    assertEquals(first.point(), again.point());
    assertEquals(List.of(first.point()), await(store.history(site, m - 5, m + 5)));
  }

  @Test
  void aQuietMinuteIsRecordedAsZerosAndAMissingMinuteIsAbsent() {
    long m = minuteOf(now());
    await(store.recordMinute(site, m - 2, 0, 0));
    await(store.recordMinute(site, m, 4, 1));
    List<MinutePoint> points = await(store.history(site, m - 3, m));
    assertEquals(List.of(new MinutePoint(m - 2, 0, 0, 0, 0), new MinutePoint(m, 4, 1, 0, 0)),
        points, "m - 2 was recorded quiet; m - 3 and m - 1 were never recorded");
  }

  @Test
  void historyReadsAcrossADayBoundaryInOrder() {
    long midnight = Math.floorDiv(now(), 86_400_000L) * 1440 + 1440;
    for (long m = midnight - 2; m <= midnight + 1; m++) {
      await(store.recordMinute(site, m, m - midnight + 10, 0));
    }
    List<MinutePoint> points = await(store.history(site, midnight - 3, midnight + 3));
    assertEquals(List.of(midnight - 2, midnight - 1, midnight, midnight + 1),
        points.stream().map(MinutePoint::minute).toList());
    assertEquals(List.of(8L, 9L, 10L, 11L),
        points.stream().map(MinutePoint::activeVisitors).toList());
  }

  @Test
  void theMinuteSoFarIsCountedAndNotWritten() {
    long m = minuteOf(now());
    append(pageview("a", "/", now()));
    assertEquals(new MinutePoint(m, 5, 2, 1, 0), await(store.minuteSoFar(site, m, 5, 2)));
    assertEquals(List.of(), await(store.history(site, m, m)));
    assertTrue(await(store.recordMinute(site, m, 5, 2)).written(), "the minute is still free");
  }

  @Test
  void figuresBeyondTwentyTwoBitsSaturate() {
    long m = minuteOf(now());
    await(store.recordMinute(site, m, 5_000_000, 4_194_303));
    MinutePoint p = await(store.history(site, m, m)).get(0);
    assertEquals(4_194_302, p.activeVisitors());
    assertEquals(4_194_303, p.present());
    await(store.recordMinute(site, m + 1, 1_234_567, 654_321));
    MinutePoint q = await(store.history(site, m + 1, m + 1)).get(0);
    assertEquals(1_234_567, q.activeVisitors(), "every bit of both halves in place");
    assertEquals(654_321, q.present());
  }

  @Test
  void aLeaseGoesToOneCallerUntilItEnds() throws InterruptedException {
    assertTrue(await(store.lease(site, "minute:1", 300)));
    assertFalse(await(store.lease(site, "minute:1", 300)), "held: a second caller is refused");
    assertTrue(await(store.lease(site, "minute:2", 300)), "another name is another lease");
    assertTrue(await(store.lease(site + "x", "minute:1", 300)), "another site's lease");
    Thread.sleep(400);
    clock.advanceMillis(400);
    assertTrue(await(store.lease(site, "minute:1", 300)), "ended: free again");
  }

  @Test
  void stateIsKeptUntilOverwritten() {
    assertNull(await(store.readState(site, "alerts")));
    await(store.writeState(site, "alerts", "{\"busy\":\"firing\"}"));
    assertEquals("{\"busy\":\"firing\"}", await(store.readState(site, "alerts")));
    await(store.writeState(site, "alerts", "{}"));
    assertEquals("{}", await(store.readState(site, "alerts")));
    assertNull(await(store.readState(site + "x", "alerts")), "per site");
  }
}
