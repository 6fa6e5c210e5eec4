package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;

class MemoryEventStoreTest extends HistoryContract {
  @Override
  EventStore createStore(MutableClock clock, StoreLimits limits) {
    return new MemoryEventStore(clock, limits);
  }

  @Test
  void aDaysSaltIsForgottenAfter25Hours() {
    String salt = await(store.dailySalt("20261123"));
    clock.advanceSeconds(25 * 3600 - 1);
    assertEquals(salt, await(store.dailySalt("20261123")));
    clock.advanceSeconds(1);
    // the old salt is gone: the same day now gets a new one, so old ids cannot be recomputed
    assertNotEquals(salt, await(store.dailySalt("20261123")));
  }

  @Test
  void longEntriesPastTheByteCapsDropTheOldestAndStayWithinThem() {
    // caps of 200 KB: entries of about 5 KB each (a 2,000-character path, a 512-character title
    // in a script that needs two bytes a character) fit about 40 at a time
    StoreLimits small = new StoreLimits(30 * 60_000L, 61 * 60_000L, 1_000, 500, 40,
        200_000, 200_000);
    MemoryEventStore memory = new MemoryEventStore(clock, small);
    String path = "/" + "p".repeat(2000);
    String title = "\u6f22".repeat(512);
    for (int i = 0; i < 500; i++) {
      memory.append(site, List.of(new Event("e" + i, Event.PAGEVIEW, now(), "v" + i, path + i, "",
          title, "", "", "", "US", "Chrome", "Windows", "desktop", null)));
      clock.advanceMillis(10);
    }
    long[] held = memory.held(site);
    assertTrue(held[0] < 100 && held[0] > 10, "pageviews held " + held[0]);
    assertTrue(held[2] < 100 && held[2] > 10, "visitors held " + held[2]);
    assertTrue(held[3] <= 400_000, "bytes held " + held[3]);
    // the newest are kept, as the flood cap of append.lua keeps them
    WindowData window = await(memory.window(new WindowQuery(site, now(), 300)));
    assertEquals(path + 499, window.recent().get(0).path());
    assertEquals(held[0], window.pageviews());
  }
}
