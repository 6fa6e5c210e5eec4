package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;
import pulse.testing.TestRedis;

@Tag("server")
class RedisEventStoreTest extends HistoryContract {
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
  void aSweepOfEveryWindowHoldsOneVisitorStatePerSite() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(pageview("v" + i, "/p" + (i % 7), now() - i * 10_000L));
    }
    await(store.append(site, events));
    RedisEventStore redis = (RedisEventStore) store;
    for (int window = 1; window <= 3600; window += 7) {
      long expected = Math.min(300, window / 10 + 1);
      assertEquals(expected, snapshot(window).activeVisitors(), "window " + window);
      assertEquals(1, redis.cachedSites(), "one state for the site, whatever the window");
      assertTrue(redis.cachedVisitors() <= 300, "each visitor held once: " + redis.cachedVisitors());
    }
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
