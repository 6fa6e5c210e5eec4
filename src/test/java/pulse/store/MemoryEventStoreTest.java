package pulse.store;

import pulse.testing.MutableClock;

class MemoryEventStoreTest extends EventStoreContract {
  @Override
  EventStore createStore(MutableClock clock, StoreLimits limits) {
    return new MemoryEventStore(clock, limits);
  }
}
