package pulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.site.AlertRule;
import pulse.site.AlertRule.Kind;
import pulse.testing.TestRedis;

/** The sender against a real receiver, with a fast backoff (100 ms doubling) to see retries. */
@Tag("server")
class WebhookSenderTest {
  private static final Backoff FAST = new Backoff(100, 400, 60_000);
  private final Vertx vertx = Vertx.vertx();
  private final WebhookReceiver receiver = new WebhookReceiver();
  private final List<Delivery> outcomes = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    receiver.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static AlertRule rule(String url) {
    return new AlertRule("busy", Kind.ABOVE, 0, 5, 1, URI.create(url), "0123456789abcdef");
  }

  private static AlertMessage message(AlertRule rule) {
    return AlertMessage.of("shop", rule, true, new Figures(29_935_325L, 9, 4, null, 5.0), null);
  }

  private WebhookSender.Progress progress(AtomicBoolean wanted) {
    return new WebhookSender.Progress() {
      @Override
      public void attempted(Delivery delivery) {
        outcomes.add(delivery);
      }

      @Override
      public Future<Boolean> stillWanted() {
        return Future.succeededFuture(wanted.get());
      }
    };
  }

  private Delivery awaitFinal() {
    assertTrue(AlertPulses.eventually(Duration.ofSeconds(10), () -> !outcomes.isEmpty()
        && !"retrying".equals(outcomes.get(outcomes.size() - 1).result())), outcomes.toString());
    return outcomes.get(outcomes.size() - 1);
  }

  @Test
  void fiveHundredsAndA429AreRetriedUntilDelivered() {
    receiver.answer(500, 503, 429);
    AlertRule rule = rule(receiver.url());
    new WebhookSender(vertx, Clock.systemUTC(), FAST).send(rule, message(rule),
        progress(new AtomicBoolean(true)));
    Delivery last = awaitFinal();
    assertEquals("delivered", last.result());
    assertEquals(4, last.attempts());
    assertEquals(List.of("retrying", "retrying", "retrying", "delivered"),
        outcomes.stream().map(Delivery::result).toList());
    assertEquals(4, receiver.received().size());
    assertEquals(1, receiver.received().stream().map(WebhookReceiver.Received::body)
        .distinct().count(), "the same body every time");
    assertEquals(503, outcomes.get(1).status());
    assertEquals("HTTP 503", outcomes.get(1).error());
  }

  @Test
  void anotherFourHundredIsTheReceiversFinalWord() throws Exception {
    receiver.answer(400);
    AlertRule rule = rule(receiver.url());
    new WebhookSender(vertx, Clock.systemUTC(), FAST).send(rule, message(rule),
        progress(new AtomicBoolean(true)));
    Delivery last = awaitFinal();
    assertEquals("refused", last.result());
    assertEquals(400, last.status());
    Thread.sleep(500);
    assertEquals(1, receiver.received().size(), "not retried");
  }

  @Test
  void aNetworkErrorIsRetriedAndGivenUpAfterTheDeadline() {
    AlertRule rule = rule("http://127.0.0.1:" + TestRedis.freePort() + "/nobody");
    new WebhookSender(vertx, Clock.systemUTC(), new Backoff(100, 100, 1_000)).send(rule,
        message(rule), progress(new AtomicBoolean(true)));
    Delivery last = awaitFinal();
    assertEquals("failed", last.result());
    assertTrue(last.attempts() >= 5, last.toString());
    assertEquals(0, last.status());
    assertTrue(last.error() != null && !last.error().isEmpty());
  }

  @Test
  void aRetryStopsOnceANewerTransitionSupersedesIt() throws Exception {
    receiver.answer(500, 500, 500);
    AlertRule rule = rule(receiver.url());
    AtomicBoolean wanted = new AtomicBoolean(true);
    new WebhookSender(vertx, Clock.systemUTC(), FAST).send(rule, message(rule),
        progress(wanted));
    assertEquals(1, receiver.await(r -> true, 1, Duration.ofSeconds(5)).size());
    wanted.set(false);
    Thread.sleep(1_000);
    assertTrue(receiver.received().size() <= 2, "at most the retry already under way: "
        + receiver.received().size());
    int seen = receiver.received().size();
    Thread.sleep(1_000);
    assertEquals(seen, receiver.received().size(), "no more retries");
  }
}
