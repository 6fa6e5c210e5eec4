package pulse.store;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import pulse.testing.MutableClock;
import pulse.testing.TestRedis;

class RedisEventStoreTest extends EventStoreContract {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close();
  }

  @Override
  EventStore createStore(MutableClock clock, StoreLimits limits) {
    return new RedisEventStore(RedisEventStore.connect(vertx, TestRedis.shared().url()), clock,
        limits);
  }
}
