package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;

class MemoryEventStoreTest extends EventStoreContract {
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
}
