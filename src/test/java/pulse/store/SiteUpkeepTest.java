package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;

/** Trims at most once a second, TTL refreshes at most every 10 s, per site and instance. */
class SiteUpkeepTest {
  private static final SiteUpkeep.Due BOTH = new SiteUpkeep.Due(true, true);
  private static final SiteUpkeep.Due TRIM = new SiteUpkeep.Due(true, false);
  private static final SiteUpkeep.Due NONE = new SiteUpkeep.Due(false, false);

  @Test
  void aSiteTrimsOnceASecondAndRefreshesEveryTenSeconds() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SiteUpkeep upkeep = new SiteUpkeep(clock);
    assertEquals(BOTH, upkeep.next("a", 1), "a site's first call does both");
    assertEquals(NONE, upkeep.next("a", 1));
    clock.advanceMillis(999);
    assertEquals(NONE, upkeep.next("a", 1), "999 ms later: nothing");
    clock.advanceMillis(1);
    assertEquals(TRIM, upkeep.next("a", 1), "a second later: the trims");
    assertEquals(NONE, upkeep.next("a", 1));
    clock.advanceMillis(8_999);
    assertEquals(TRIM, upkeep.next("a", 1));
    clock.advanceMillis(1);
    assertEquals(new SiteUpkeep.Due(false, true), upkeep.next("a", 1),
        "ten seconds after the first: the TTLs, each on its own schedule");
    assertEquals(BOTH, upkeep.next("b", 1), "each site its own");
    assertEquals(NONE, upkeep.next("b", 1));
  }

  @Test
  void aLargeBatchTrimsWheneverItComes() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SiteUpkeep upkeep = new SiteUpkeep(clock);
    upkeep.next("a", 1);
    assertEquals(NONE, upkeep.next("a", SiteUpkeep.BATCH_EVENTS - 1));
    assertEquals(TRIM, upkeep.next("a", SiteUpkeep.BATCH_EVENTS));
    assertEquals(TRIM, upkeep.next("a", 500));
  }

  @Test
  void aClockSetBackDoesNotStopTheUpkeep() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SiteUpkeep upkeep = new SiteUpkeep(clock);
    upkeep.next("a", 1);
    clock.advanceMillis(-60_000);
    assertEquals(BOTH, upkeep.next("a", 1));
    assertEquals(NONE, upkeep.next("a", 1));
  }

  @Test
  void aPeriodKeysTtlCountsFromThePeriodsEnd() {
    long minute = 29_409_840L * 60_000L;
    // written 20 s before its minute ends: kept 3,720 s after the end
    assertEquals(3_740, AppendArgs.periodTtl(3_720, minute + 60_000, 60_000, minute + 40_000));
    // a part second rounds up
    assertEquals(3_741, AppendArgs.periodTtl(3_720, minute + 60_000, 60_000, minute + 39_001));
    // a late event's minute has ended: kept 3,720 s from now, as before
    assertEquals(3_720, AppendArgs.periodTtl(3_720, minute + 60_000, 60_000, minute + 90_000));
    // an event ahead of the clock: at most one period more
    assertEquals(3_780, AppendArgs.periodTtl(3_720, minute + 60_000, 60_000, minute - 600_000));
  }

  @Test
  void theCallCarriesTheUpkeepItDoes() {
    StoreLimits limits = new StoreLimits(1_800_000, 3_660_000, 100_000, 50_000, 90);
    Event e = new Event("a", Event.PAGEVIEW, 1_000, "v", "/", "", "", "", "", "", "", "", "", "",
        null);
    java.util.List<String> none = AppendArgs.of("p:", "demo", 5_000, limits, NONE,
        java.util.List.of(e));
    assertEquals("0", none.get(AppendArgs.Arg.TRIM - 1));
    assertEquals("0", none.get(AppendArgs.Arg.REFRESH - 1));
    java.util.List<String> trim = AppendArgs.of("p:", "demo", 5_000, limits, TRIM,
        java.util.List.of(e));
    assertEquals("1", trim.get(AppendArgs.Arg.TRIM - 1));
    assertEquals("0", trim.get(AppendArgs.Arg.REFRESH - 1));
  }
}
