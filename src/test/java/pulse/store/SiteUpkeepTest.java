package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;

/**
 * Trims every 5 s or 64 events, TTL refreshes at most every 30 s, per site and instance; each
 * key of a period keeps its period.
 */
class SiteUpkeepTest {
  private static final SiteUpkeep.Due BOTH = new SiteUpkeep.Due(true, true);
  private static final SiteUpkeep.Due TRIM = new SiteUpkeep.Due(true, false);
  private static final SiteUpkeep.Due REFRESH = new SiteUpkeep.Due(false, true);
  private static final SiteUpkeep.Due NONE = new SiteUpkeep.Due(false, false);

  @Test
  void aSiteTrimsEveryFiveSecondsAndRefreshesEveryThirty() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SiteUpkeep upkeep = new SiteUpkeep(clock);
    assertEquals(BOTH, upkeep.next("a", 1), "a site's first call does both");
    assertEquals(NONE, upkeep.next("a", 1));
    clock.advanceMillis(4_999);
    assertEquals(NONE, upkeep.next("a", 1), "4,999 ms later: nothing");
    clock.advanceMillis(1);
    assertEquals(TRIM, upkeep.next("a", 1), "5 s later: the trims");
    assertEquals(NONE, upkeep.next("a", 1));
    clock.advanceMillis(24_999);
    assertEquals(TRIM, upkeep.next("a", 1));
    clock.advanceMillis(1);
    assertEquals(REFRESH, upkeep.next("a", 1), "30 s after the first: the TTLs, on their own");
    assertEquals(BOTH, upkeep.next("b", 1), "each site its own");
    assertEquals(NONE, upkeep.next("b", 1));
  }

  @Test
  void sixtyFourEventsSinceTheLastTrimTrimWhateverTheTime() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SiteUpkeep upkeep = new SiteUpkeep(clock);
    upkeep.next("a", 1);
    for (int i = 0; i < 62; i++) {
      assertEquals(NONE, upkeep.next("a", 1), "event " + i);
    }
    assertEquals(TRIM, upkeep.next("a", 2), "64 since the last trim");
    assertEquals(NONE, upkeep.next("a", 63));
    assertEquals(TRIM, upkeep.next("a", 1));
    assertEquals(TRIM, upkeep.next("a", SiteUpkeep.TRIM_EVENTS), "a large batch at once");
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
    List<Event> one = List.of(new Event("a", Event.PAGEVIEW, 1_000, "v", "/", "", "", "", "", "",
        "", "", "", "", null));
    List<String> none = AppendArgs.of("p:", "demo", 5_000, limits, NONE, List.of(), one);
    assertEquals("0", none.get(AppendArgs.Arg.TRIM - 1));
    assertEquals("0", none.get(AppendArgs.Arg.REFRESH - 1));
    List<String> trim = AppendArgs.of("p:", "demo", 5_000, limits, TRIM, List.of(), one);
    assertEquals("1", trim.get(AppendArgs.Arg.TRIM - 1));
    assertEquals("0", trim.get(AppendArgs.Arg.REFRESH - 1));
  }
}
