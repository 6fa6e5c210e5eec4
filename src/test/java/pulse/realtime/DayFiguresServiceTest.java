package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.store.Event;
import pulse.store.MemoryEventStore;
import pulse.store.StoreLimits;
import pulse.testing.MutableClock;

/** The day figures the read APIs ask for, against the embedded store and a clock moved by hand. */
class DayFiguresServiceTest {
  static final String SITE = "shop";

  MutableClock clock;
  MemoryEventStore store;
  DayFiguresService days;
  int ids;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
    store = new MemoryEventStore(clock,
        new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000, 500, 40));
    days = new DayFiguresService(store, clock);
    // yesterday: a at 09:10; b at 10:10 and 10:20; c at 11:00
    pageview("a", "2026-11-23T09:10:00Z");
    pageview("b", "2026-11-23T10:10:00Z");
    pageview("b", "2026-11-23T10:20:00Z");
    pageview("c", "2026-11-23T11:00:00Z");
    // today: a twice (a new session, not a bounce), d once (a bounce)
    pageview("a", "2026-11-24T10:00:00Z");
    pageview("a", "2026-11-24T10:05:00Z");
    pageview("d", "2026-11-24T10:10:00Z");
    clock.set(Instant.parse("2026-11-24T10:30:00Z"));
  }

  @Test
  void todayCountsTheClocksUtcDayOnly() {
    DayFiguresService.Day today = await(days.today(SITE));
    assertEquals(2, today.visitors());
    assertEquals(3, today.pageviews());
    assertEquals(2, today.sessions());
    assertEquals(1, today.bounces());
    // asked as of another instant, it answers that instant's day
    assertEquals(4, await(days.today(SITE, Instant.parse("2026-11-23T23:00:00Z").toEpochMilli()))
        .pageviews());
    clock.set(Instant.parse("2026-11-25T00:00:01Z"));
    assertEquals(0, await(days.today(SITE)).pageviews(), "a new UTC day starts from nothing");
  }

  @Test
  void yesterdaySoFarTakesTheCurrentHourInProportionToTheMinutesGone() {
    // 10:30: hours 0-9 of yesterday (a: 1 visitor, 1 pageview) plus half of hour 10 (b: +1, +2)
    assertEquals(new DayFiguresService.SoFar(1.5, 2.0), await(days.yesterdaySoFar(SITE)));
    // exactly on the hour, the hour has not begun
    clock.set(Instant.parse("2026-11-24T10:00:00Z"));
    assertEquals(new DayFiguresService.SoFar(1, 1), await(days.yesterdaySoFar(SITE)));
    // late in the day, c at 11:00 counts too
    clock.set(Instant.parse("2026-11-24T23:59:00Z"));
    assertEquals(new DayFiguresService.SoFar(3, 4), await(days.yesterdaySoFar(SITE)));
  }

  @Test
  void uniqueVisitorsOfTheLastDaysCountEachVisitorOnce() {
    assertEquals(2, await(days.uniqueVisitors(SITE, 1)));
    // a was there both days: a, b, c, d
    assertEquals(4, await(days.uniqueVisitors(SITE, 2)));
    assertEquals(4, await(days.uniqueVisitors(SITE, 30)));
    clock.set(Instant.parse("2026-11-26T12:00:00Z"));
    assertEquals(0, await(days.uniqueVisitors(SITE, 2)), "the last 2 days had nobody");
  }

  @Test
  void theLastEventCountsAsRecentForTwentyFourHours() {
    DayFiguresService.LastEvent last = await(days.lastEvent(SITE));
    assertEquals(Instant.parse("2026-11-24T10:10:00Z").toEpochMilli(), last.timeMillis());
    assertTrue(last.lastDay());
    clock.set(Instant.parse("2026-11-25T10:10:00Z"));
    assertFalse(await(days.lastEvent(SITE)).lastDay(), "24 hours later it is not recent");
    assertEquals(new DayFiguresService.LastEvent(null, false),
        await(days.lastEvent("nobody")), "a site without events has no last event");
  }

  private void pageview(String visitor, String at) {
    long time = Instant.parse(at).toEpochMilli();
    clock.set(Instant.ofEpochMilli(time));
    await(store.append(SITE, List.of(new Event("e" + ids++, Event.PAGEVIEW, time, visitor,
        "/p", "", "", "", "", "", "US", "Chrome", "Windows", "desktop", null))));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
