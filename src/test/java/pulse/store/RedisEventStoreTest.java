package pulse.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  @Test
  void aDaysSaltLivesAtMost25Hours() throws Exception {
    TestRedis.shared().command("DEL", "pulse:salt:20261201");
    await(store.dailySalt("20261201"));
    // ":90000\r\n": the seconds Redis will keep the salt
    String reply = TestRedis.shared().command("TTL", "pulse:salt:20261201").trim();
    long ttl = Long.parseLong(reply.substring(1));
    assertTrue(ttl > 24 * 3600 && ttl <= 25 * 3600, "salt TTL " + ttl + " s");
  }
}
