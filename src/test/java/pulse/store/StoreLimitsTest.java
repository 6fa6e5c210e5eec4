package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The embedded store's caps come from the heap, so that all sites together fit in it. */
class StoreLimitsTest {
  private static final long MIB = 1 << 20;
  /** The shipped defaults: 1,000,000 pageviews and 200,000 visitors per site, 40 days. */
  private static final StoreLimits CONFIGURED =
      new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000_000, 200_000, 40);

  /** What sites hold at most: pageviews and custom events, visitors, fixed counters. */
  private static long worstCase(StoreLimits l, int sites) {
    return sites * (2 * l.maxPageviewBytesPerSite() + l.maxVisitorBytesPerSite()
        + l.fixedBytesPerSite());
  }

  @Test
  void a512MiBHeapWithOneSiteKeepsHalfOfItForTheStore() {
    StoreLimits l = CONFIGURED.forHeap(512 * MIB, 1);
    long perSite = (256 * MIB - l.fixedBytesPerSite());
    assertEquals(perSite / 3, l.maxPageviewBytesPerSite());
    assertEquals(perSite / 3, l.maxVisitorBytesPerSite());
    assertEquals(perSite / 3 / StoreLimits.TYPICAL_PAGEVIEW_BYTES, l.maxPageviewsPerSite());
    assertEquals(perSite / 3 / StoreLimits.TYPICAL_VISITOR_BYTES, l.maxVisitorsPerSite());
    // far below the defaults that ran a 512 MiB heap out of memory
    assertTrue(l.maxPageviewsPerSite() < 300_000, l.describe(1));
    assertTrue(worstCase(l, 1) <= 256 * MIB);
    assertEquals(CONFIGURED.sessionGapMillis(), l.sessionGapMillis());
    assertEquals(CONFIGURED.dayRetentionDays(), l.dayRetentionDays());
  }

  @Test
  void moreSitesShareTheSameHalfOfTheHeap() {
    for (int sites : new int[] {1, 2, 10, 40}) {
      StoreLimits l = CONFIGURED.forHeap(2048 * MIB, sites);
      assertTrue(worstCase(l, sites) <= 1024 * MIB, sites + " sites: " + l.describe(sites));
    }
    assertTrue(CONFIGURED.forHeap(2048 * MIB, 10).maxVisitorsPerSite()
        < CONFIGURED.forHeap(2048 * MIB, 2).maxVisitorsPerSite());
  }

  @Test
  void aLargeHeapKeepsTheConfiguredCapsAndATinyOneAFloor() {
    StoreLimits large = CONFIGURED.forHeap(64L * 1024 * MIB, 1);
    assertEquals(1_000_000, large.maxPageviewsPerSite());
    assertEquals(200_000, large.maxVisitorsPerSite());
    StoreLimits tiny = CONFIGURED.forHeap(16 * MIB, 100);
    assertEquals(100, tiny.maxPageviewsPerSite());
    assertEquals(100, tiny.maxVisitorsPerSite());
  }
}
