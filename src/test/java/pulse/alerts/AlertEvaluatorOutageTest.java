package pulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.alerts.WebhookReceiver.state;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.config.ConfigLoader;
import pulse.realtime.Baseline;
import pulse.site.Site;
import pulse.site.Sites;
import pulse.store.MinutePoint;
import pulse.store.RedisEventStore;
import pulse.store.StoreLimits;
import pulse.testing.MutableClock;
import pulse.testing.TestRedis;

/**
 * Redis goes away between the recording of a minute and its evaluation: the evaluation fails and
 * sends nothing; the next minute's evaluation catches the missed minute up and the alert fires,
 * late, once, for the minute it held in. The evaluator is driven as the minute recorder drives it.
 */
@Tag("server")
class AlertEvaluatorOutageTest {
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void redisDownDuringAnEvaluationLosesNoAlert() throws Exception {
    TestRedis redis = TestRedis.startProcess(List.of("--appendonly", "yes", "--appendfsync",
        "always"));
    MutableClock clock = new MutableClock(AlertPulses.START);
    Vertx vertx = Vertx.vertx();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Sites sites = AlertPulses.sites(AlertPulses.busy(receiver));
      Site site = sites.byCanonicalId("watched");
      RedisEventStore store = new RedisEventStore(RedisEventStore.connect(vertx, redis.url()),
          clock, StoreLimits.from(ConfigLoader.fromJson(ConfigLoader.defaults())));
      List<Buffer> streamed = new CopyOnWriteArrayList<>();
      AlertEvaluator evaluator = new AlertEvaluator(vertx, store, sites,
          (s, m) -> Future.succeededFuture(Baseline.NONE),
          new WebhookSender(vertx, clock, Backoff.DEFAULT),
          (s, json) -> streamed.add(json), clock, "https://pulse.example.com");
      long m0 = clock.millis() / 60_000L;

      MinutePoint quiet = await(store.recordMinute("watched", m0, 0, 0)).point();
      await(evaluator.evaluate(site, quiet));
      MinutePoint busy = await(store.recordMinute("watched", m0 + 1, 3, 2)).point();
      redis.stop();
      Future<Void> failed = evaluator.evaluate(site, busy);
      assertTrue(failed.toCompletionStage().toCompletableFuture()
          .handle((v, err) -> err != null).get(20, TimeUnit.SECONDS), "the evaluation failed");
      Thread.sleep(500);
      assertTrue(receiver.received().isEmpty(), "a failed evaluation sends nothing");
      assertTrue(streamed.isEmpty());

      redis.restart();
      long deadline = System.currentTimeMillis() + 15_000;
      MinutePoint next = null;
      while (next == null && System.currentTimeMillis() < deadline) {
        try {
          next = await(store.recordMinute("watched", m0 + 2, 3, 2)).point();
        } catch (Exception notYet) {
          Thread.sleep(200);
        }
      }
      await(evaluator.evaluate(site, next));
      List<WebhookReceiver.Received> firing =
          receiver.await(state("firing"), 1, Duration.ofSeconds(10));
      assertEquals(1, firing.size());
      assertEquals("watched:busy:firing:" + (m0 + 1), firing.get(0).json().getString("id"),
          "for the minute it held in, sent a minute late");
      assertEquals(3, firing.get(0).json().getInteger("activeVisitors"));
      assertEquals("https://pulse.example.com/live/watched",
          firing.get(0).json().getString("link"));
      assertEquals(1, streamed.size());

      await(evaluator.evaluate(site, await(store.recordMinute("watched", m0 + 3, 3, 2))
          .point()));
      Thread.sleep(500);
      assertEquals(1, receiver.received().size(), "once: " + receiver.received());
      await(store.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      redis.stop();
    }
  }
}
