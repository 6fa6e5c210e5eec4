package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.metrics.PulseMetrics;
import pulse.site.Sites;
import pulse.store.EventStore;
import pulse.store.EventWriter;
import pulse.store.MemoryEventStore;
import pulse.store.StoreLimits;
import pulse.store.WindowQuery;
import pulse.testing.MutableClock;

/**
 * The ingest pipeline returns what became of a request, as reasons and drops, without HTTP:
 * its steps in order, bots and referrer spam dropped by a named step and never stored, a
 * foreign Origin and a rate limit refused with their reason, and accepted events stored.
 */
class IngestPipelineTest {
  private static final String FIREFOX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
  private static final Sites SITES = Sites.parse("""
      {"sites": [{"id": "demo", "domains": ["example.com"]}]}""");
  private static final EventParser PARSER = new EventParser(SITES, new QueryAllowList(List.of()));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private Vertx vertx;
  private MemoryEventStore store;
  private EventWriter writer;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new MemoryEventStore(clock, new StoreLimits(1_800_000, 3_700_000, 10_000, 1_000, 2));
    writer = new EventWriter(vertx, store, 1_000, site -> {}, new PulseMetrics());
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private IngestPipeline pipeline(int perIpPerMinute) {
    return new IngestPipeline(store, writer, new UserAgents(false), GeoIp.none(), clock,
        perIpPerMinute, 0, new PulseMetrics());
  }

  private static List<IncomingEvent> event(String json) throws Exception {
    return List.of(PARSER.parse(new ObjectMapper().readTree(json), ""));
  }

  private static List<IncomingEvent> pageview() throws Exception {
    return event("{\"site\":\"demo\",\"url\":\"https://example.com/pricing\"}");
  }

  private static ClientRequest client(String userAgent, String origin) {
    return new ClientRequest("203.0.113.9", userAgent, origin, null);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private long pageviewsStored() throws Exception {
    await(writer.flush(5_000));
    return await(store.window(new WindowQuery("demo", clock.millis(), 300))).pageviews();
  }

  @Test
  void theStepsRunInANamedOrder() {
    assertEquals(List.of("origin", "rate-limit", "user-agent", "bots", "referrer-spam", "country"),
        pipeline(0).stepNames());
  }

  @Test
  void aBrowserPageviewIsAcceptedAndStored() throws Exception {
    IngestOutcome outcome = await(pipeline(0).ingest(pageview(),
        client(FIREFOX, "https://example.com")));
    assertEquals(new IngestOutcome.Accepted(1), outcome);
    assertEquals(1, pageviewsStored());
  }

  @Test
  void aFullBufferWhileTheStoreAnswersSaysEventsArriveFasterThanItTakesThem() throws Exception {
    // a store that is up but has not answered the first write yet
    EventStore slow = (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(),
        new Class<?>[] {EventStore.class}, (proxy, method, args) ->
            method.getName().equals("append") ? Promise.promise().future()
                : method.invoke(store, args));
    writer = new EventWriter(vertx, slow, 1, site -> {}, new PulseMetrics());
    IngestPipeline pipeline = new IngestPipeline(slow, writer, new UserAgents(false),
        GeoIp.none(), clock, 0, 0, new PulseMetrics());
    assertEquals(new IngestOutcome.Accepted(1),
        await(pipeline.ingest(pageview(), client(FIREFOX, null))));
    IngestOutcome.Refused refused = assertInstanceOf(IngestOutcome.Refused.class,
        await(pipeline.ingest(pageview(), client(FIREFOX, null))));
    assertEquals(Refusal.BUFFER_FULL, refused.reason());
    assertEquals("events arrive faster than the store takes them and the ingest buffer is full; "
        + "retry later", refused.message());
    // from now on a request is refused before its body is parsed, counted as one event
    assertEquals(new IngestOutcome.Refused(Refusal.BUFFER_FULL, refused.message(), 5, 1),
        pipeline.refusalWhileFull());
  }

  @Test
  void withRoomInTheBufferNoRequestIsRefusedBeforeItsBodyIsRead() throws Exception {
    IngestPipeline pipeline = pipeline(0);
    assertEquals(null, pipeline.refusalWhileFull());
    await(pipeline.ingest(pageview(), client(FIREFOX, null)));
    assertEquals(null, pipeline.refusalWhileFull());
  }

  @Test
  void aBotIsDroppedByTheBotStepAndNothingIsStored() throws Exception {
    IngestOutcome outcome = await(pipeline(0).ingest(pageview(),
        client("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", null)));
    assertEquals(new IngestOutcome.Dropped("bots", 1), outcome);
    assertEquals(0, pageviewsStored());
  }

  @Test
  void droppedBotsAreCountedByClassAsRequestsNotVisitors() throws Exception {
    IngestPipeline pipeline = pipeline(0);
    await(pipeline.ingest(pageview(), client("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; "
        + "compatible; GPTBot/1.2; +https://openai.com/gptbot)", null)));
    await(pipeline.ingest(pageview(), client("curl/8.5.0", null)));
    await(pipeline.ingest(pageview(), client(null, null)));
    await(pipeline.ingest(pageview(),
        client("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", null)));
    await(writer.flush(5_000));
    var window = await(store.window(new WindowQuery("demo", clock.millis(), 60)));
    assertEquals(java.util.Map.of("ai", 1L, "script", 2L, "search", 1L), window.bots());
    assertEquals(0, window.visitors().size());
    assertEquals(0, window.pageviews());
  }

  @Test
  void referrerSpamIsDroppedByItsStep() throws Exception {
    String spam = "semalt.com";
    IngestOutcome outcome = await(pipeline(0).ingest(event("{\"site\":\"demo\","
        + "\"url\":\"https://example.com/\",\"referrer\":\"https://" + spam + "/\"}"),
        client(FIREFOX, null)));
    assertEquals(new IngestOutcome.Dropped("referrer-spam", 1), outcome);
    assertEquals(0, pageviewsStored());
  }

  @Test
  void aForeignOriginIsRefusedWithItsReason() throws Exception {
    IngestOutcome outcome = await(pipeline(0).ingest(pageview(),
        client(FIREFOX, "https://evil.example.net")));
    IngestOutcome.Refused refused = assertInstanceOf(IngestOutcome.Refused.class, outcome);
    assertEquals(Refusal.FORBIDDEN_ORIGIN, refused.reason());
    assertEquals("Origin 'https://evil.example.net' is not a domain of site 'demo'",
        refused.message());
    assertEquals(0, pageviewsStored());
  }

  @Test
  void overItsLimitAnAddressIsRefusedWithWhenToRetry() throws Exception {
    IngestPipeline pipeline = pipeline(2);
    for (int i = 0; i < 2; i++) {
      assertEquals(new IngestOutcome.Accepted(1),
          await(pipeline.ingest(pageview(), client(FIREFOX, null))));
    }
    IngestOutcome.Refused refused = assertInstanceOf(IngestOutcome.Refused.class,
        await(pipeline.ingest(pageview(), client(FIREFOX, null))));
    assertEquals(Refusal.RATE_LIMITED, refused.reason());
    assertTrue(refused.retryAfterSeconds() > 0 && refused.retryAfterSeconds() <= 60,
        "retry after " + refused.retryAfterSeconds());
    assertEquals(2, pageviewsStored());
  }
}
