package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** The live stream over real HTTP connections, with one or two Pulse instances on one Redis. */
@Tag("server")
class StreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SECOND = Duration.ofSeconds(1);

  @BeforeAll
  static void cleanRedis() {
    TestRedis.shared().flushAll();
  }

  private static TestPulse start(Consumer<ObjectNode> tweak) {
    return TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), tweak);
  }

  private static JsonNode data(SseClient.Frame frame) {
    try {
      return JSON.readTree(frame.data());
    } catch (Exception e) {
      throw new AssertionError("frame data is not JSON: " + frame, e);
    }
  }

  private static String pageview(String site, String url) {
    return "{\"site\":\"" + site + "\",\"url\":\"" + url + "\"}";
  }

  @Test
  void theFirstMessageIsTheCurrentSnapshotSentAtOnceAndEqualsTheRestJson() {
    // a long tick: the stream and the REST read share one computed snapshot
    try (TestPulse pulse = start(c -> c.with("realtime").put("tickMillis", 30_000))) {
      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=2m")) {
        HttpResponse<?> r = sse.response();
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no", r.headers().firstValue("X-Accel-Buffering").orElse(""));
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        SseClient.Frame first = sse.next(SECOND);
        assertNotNull(first);
        assertEquals("3000", first.retry(), "the stream starts with a retry line");
        SseClient.Frame message = sse.nextMessage(SECOND);
        assertNotNull(message, "the first snapshot arrives at once");
        assertEquals("snapshot", message.event());
        assertTrue(message.id().matches("\\d+"));
        String rest = pulse.get("/api/sites/demo/realtime?window=2m").body();
        assertEquals(rest, message.data());
        assertEquals(120, data(message).path("window").asInt());
      }
    }
  }

  @Test
  void anEventPostedToOneInstanceReachesAStreamOnAnotherWithinTwoSeconds() {
    try (TestPulse a = start(c -> { });
        TestPulse b = start(c -> { })) {
      try (SseClient sse = SseClient.open(b.base() + "/api/sites/demo/stream?window=5m")) {
        JsonNode first = data(sse.nextMessage(SECOND));
        long before = first.path("pageviews").asLong();
        long start = System.nanoTime();
        assertEquals(202, a.collect(pageview("demo", "http://localhost/cross-instance"), CHROME)
            .statusCode());
        JsonNode pushed = null;
        while (System.nanoTime() - start < 2_000_000_000L) {
          SseClient.Frame f = sse.nextMessage(Duration.ofMillis(200));
          if (f != null && data(f).path("pageviews").asLong() > before) {
            pushed = data(f);
            break;
          }
        }
        assertNotNull(pushed, "no push within 2 s of an event stored by the other instance");
        assertTrue(pushed.path("pages").toString().contains("/cross-instance"));
      }
    }
  }

  /**
   * Two instances: an event posted to B shows on A; the stream on B is closed right then and
   * reopened (with Last-Event-ID), and must show the event, not the figures from before it until
   * the fallback read. B's long tick makes the race certain: its group has spent its computations
   * on the two events before, so the change note of the third finds no group when the stream is
   * reopened, and B's cached snapshot of the second event is still "of this tick".
   */
  @Test
  void aStreamReopenedRightAfterAChangeNoteShowsThatChange() {
    try (TestPulse a = start(c -> { });
        TestPulse b = start(c -> c.with("realtime").put("tickMillis", 30_000)
            .put("fallbackMillis", 60_000))) {
      String onB = b.base() + "/api/sites/demo/stream?window=5m";
      SseClient streamA = SseClient.open(a.base() + "/api/sites/demo/stream?window=5m");
      SseClient streamB = SseClient.open(onB);
      try {
        long count = data(streamA.nextMessage(SECOND)).path("pageviews").asLong();
        assertNotNull(streamB.nextMessage(SECOND));
        String lastId = null;
        for (String path : new String[] {"/reopen-1", "/reopen-2"}) {
          assertEquals(202, b.collect(pageview("demo", "http://localhost" + path), CHROME)
              .statusCode());
          count++;
          lastId = awaitCount(streamB, count, "stream on B").id();
        }
        assertEquals(202, b.collect(pageview("demo", "http://localhost/reopen-3"), CHROME)
            .statusCode());
        count++;
        awaitCount(streamA, count, "stream on A");
        streamB.close();
        streamB = SseClient.open(onB, "Last-Event-ID", lastId);
        awaitCount(streamB, count, "reopened stream on B");
      } finally {
        streamA.close();
        streamB.close();
      }
    }
  }

  /** The first message within 2 s whose pageviews reach the count; fails the test otherwise. */
  private static SseClient.Frame awaitCount(SseClient sse, long count, String what) {
    long start = System.nanoTime();
    long seen = -1;
    while (System.nanoTime() - start < 2_000_000_000L) {
      SseClient.Frame f = sse.nextMessage(Duration.ofMillis(200));
      if (f != null) {
        seen = data(f).path("pageviews").asLong();
        if (seen >= count) {
          return f;
        }
      }
    }
    throw new AssertionError(what + " shows " + seen + " pageviews, not " + count + ", after 2 s");
  }

  @Test
  void idsIncreaseAndAReconnectWithLastEventIdGetsTheCurrentSnapshotAtOnce() {
    try (TestPulse pulse = start(c -> c.with("realtime").put("tickMillis", 100))) {
      String url = pulse.base() + "/api/sites/demo/stream?window=1m";
      long firstId;
      long secondId;
      try (SseClient sse = SseClient.open(url)) {
        firstId = Long.parseLong(sse.nextMessage(SECOND).id());
        pulse.collect(pageview("demo", "http://localhost/ids"), CHROME);
        secondId = Long.parseLong(sse.nextMessage(Duration.ofSeconds(2)).id());
        assertTrue(secondId > firstId, secondId + " should be after " + firstId);
      }
      try (SseClient again = SseClient.open(url, "Last-Event-ID", Long.toString(secondId))) {
        SseClient.Frame resumed = again.nextMessage(SECOND);
        assertNotNull(resumed, "a reconnecting client gets the current snapshot at once");
        assertTrue(Long.parseLong(resumed.id()) >= secondId);
        assertTrue(data(resumed).path("pages").toString().contains("/ids"));
      }
    }
  }

  @Test
  void commentsKeepTheConnectionAlive() {
    try (TestPulse pulse = start(c -> c.with("realtime").put("keepAliveMillis", 200))) {
      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/demo/stream")) {
        int comments = commentsWithin(sse, 1500);
        assertTrue(comments >= 3, "expected a keep-alive comment every 200 ms, got " + comments);
      }
    }
  }

  @Test
  void aStreamThatGetsFramesGetsNoKeepAliveComments() {
    try (TestPulse pulse = start(c -> c.with("realtime").put("keepAliveMillis", 1000)
        .put("tickMillis", 100))) {
      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/blog/stream",
          "Authorization", "Bearer " + TestPulse.BLOG_TOKEN)) {
        assertTrue(sse.nextMessage(SECOND) != null, "the first snapshot");
        // a pageview every 100 ms for 3 s: a frame each tick, so the stream is never quiet for a
        // second (a keep-alive to every stream every second would be three comments)
        int messages = 0;
        int comments = 0;
        for (int i = 0; i < 30; i++) {
          pulse.collect(pageview("blog", "https://blog.example.com/busy-" + i),
              TestPulse.FIREFOX_LINUX);
          long until = System.currentTimeMillis() + 100;
          SseClient.Frame f;
          while ((f = sse.next(Duration.ofMillis(Math.max(1, until - System.currentTimeMillis()))))
              != null) {
            if (f.comment() != null) {
              comments++;
            } else if (f.data() != null) {
              messages++;
            }
          }
        }
        assertTrue(messages >= 10, "frames while pageviews arrive: " + messages);
        assertEquals(0, comments, "no keep-alive while frames flow");
        // quiet: the keep-alives come back
        int later = commentsWithin(sse, 2500);
        assertTrue(later >= 1, "keep-alive comments once the stream is quiet: " + later);
      }
    }
  }

  @Test
  void theCounterViewStreamsOnlyTheCountsAndTimestamp() {
    try (TestPulse pulse = start(c -> c.with("realtime").put("tickMillis", 100))) {
      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/blog/stream?view=counter",
          "Authorization", "Bearer " + TestPulse.BLOG_TOKEN)) {
        JsonNode first = data(sse.nextMessage(SECOND));
        assertEquals(3, first.size(), first.toString());
        assertTrue(first.path("activeVisitors").isIntegralNumber());
        assertTrue(first.path("present").isIntegralNumber());
        assertTrue(first.path("timestamp").asText().endsWith("Z"));
        long before = first.path("activeVisitors").asLong();
        pulse.collect(pageview("blog", "https://blog.example.com/counter"), TestPulse.FIREFOX_LINUX);
        JsonNode next = data(sse.nextMessage(Duration.ofSeconds(2)));
        assertEquals(before + 1, next.path("activeVisitors").asLong());
        assertEquals(first.path("present").asLong() + 1, next.path("present").asLong(),
            "a pageview just now is present");
      }
      assertEquals(400, pulse.get("/api/sites/demo/stream?view=table").statusCode());
      assertEquals(400, pulse.get("/api/sites/demo/stream?window=2h").statusCode());
    }
  }

  @Test
  void privateStreamsOpenOnlyWithATicketOfTheirOwnSiteWithinSixtySeconds() {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), clock, c -> { })) {
      // without a token or ticket of its own a private site is not told from an unknown one
      assertEquals(404, pulse.get("/api/sites/shop/stream").statusCode());
      assertEquals(404, pulse.post("/api/sites/shop/stream-tickets", "").statusCode());
      assertEquals(401, pulse.post("/api/sites/demo/stream-tickets", "").statusCode(),
          "even a public site issues tickets only against a token");
      assertEquals(404, pulse.post("/api/sites/shop/stream-tickets", "",
          "Authorization", "Bearer " + TestPulse.BLOG_TOKEN).statusCode());
      HttpResponse<String> issued = pulse.post("/api/sites/shop/stream-tickets", "",
          "Authorization", "Bearer " + TestPulse.SHOP_TOKEN);
      assertEquals(201, issued.statusCode(), issued.body());
      String ticket = json(issued).path("ticket").asText();
      assertEquals(Instant.ofEpochMilli(clock.millis() + 60_000).toString().replace("Z", ""),
          json(issued).path("expiresAt").asText().replace("Z", "").replaceAll("\\.000$", ""));

      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/shop/stream?ticket=" + ticket)) {
        assertEquals(200, sse.response().statusCode());
        assertEquals("shop", data(sse.nextMessage(SECOND)).path("site").asText());
      }
      HttpResponse<String> otherSite = pulse.get("/api/sites/blog/stream?ticket=" + ticket);
      assertEquals(404, otherSite.statusCode());
      assertEquals("unknown site 'blog'", json(otherSite).path("error").asText());
      assertEquals(pulse.get("/api/sites/nosuch/stream?ticket=" + ticket).body()
          .replace("nosuch", "blog"), otherSite.body(), "as if blog did not exist");
      String tampered = ticket.substring(0, ticket.length() - 2)
          + (ticket.endsWith("AA") ? "BB" : "AA");
      assertEquals(404, pulse.get("/api/sites/shop/stream?ticket=" + tampered).statusCode());
      assertEquals(404, pulse.get("/api/sites/shop/stream?ticket=garbage").statusCode());
      clock.advanceSeconds(61);
      assertEquals(404, pulse.get("/api/sites/shop/stream?ticket=" + ticket).statusCode(),
          "a ticket expires after 60 s");
    }
  }

  @Test
  void aTicketOfOneInstanceOpensTheStreamOnAnotherWithTheSameSecret() {
    Consumer<ObjectNode> secret = c -> c.with("realtime").put("ticketSecret", "a-shared-secret-0123456789");
    try (TestPulse a = start(secret);
        TestPulse b = start(secret)) {
      String ticket = json(a.post("/api/sites/shop/stream-tickets", "",
          "Authorization", "Bearer " + TestPulse.SHOP_TOKEN)).path("ticket").asText();
      try (SseClient sse = SseClient.open(b.base() + "/api/sites/shop/stream?ticket=" + ticket)) {
        assertEquals(200, sse.response().statusCode());
      }
    }
  }

  @Test
  void overTheLimitsStreamsAreRefusedWith503Or429AndRetryAfter() {
    try (TestPulse perInstance = start(c -> c.with("realtime").put("maxStreams", 2))) {
      try (SseClient one = SseClient.open(perInstance.base() + "/api/sites/demo/stream");
          SseClient two = SseClient.open(perInstance.base() + "/api/sites/demo/stream")) {
        assertNotNull(one.nextMessage(SECOND));
        assertNotNull(two.nextMessage(SECOND));
        HttpResponse<String> third = perInstance.get("/api/sites/demo/stream");
        assertEquals(503, third.statusCode());
        assertTrue(third.headers().firstValue("Retry-After").isPresent());
        assertTrue(json(third).path("error").asText().contains("maximum of streams"));
      }
    }
    try (TestPulse perIp = start(c -> c.with("realtime").put("maxStreamsPerIp", 1))) {
      try (SseClient one = SseClient.open(perIp.base() + "/api/sites/demo/stream")) {
        assertNotNull(one.nextMessage(SECOND));
        HttpResponse<String> second = perIp.get("/api/sites/demo/stream");
        assertEquals(429, second.statusCode());
        assertTrue(second.headers().firstValue("Retry-After").isPresent());
        assertTrue(json(second).path("error").asText().contains("too many open streams"));
      }
      // a closed stream frees its slot
      long deadline = System.currentTimeMillis() + 3000;
      int status = 0;
      while (System.currentTimeMillis() < deadline && status != 200) {
        try (SseClient again = SseClient.open(perIp.base() + "/api/sites/demo/stream")) {
          status = again.response().statusCode();
        }
        if (status != 200) {
          sleep(100);
        }
      }
      assertEquals(200, status);
    }
  }

  @Test
  void oneEventCausesOneComputationSoTheNextEventIsNotPutOffATick() {
    // each change note that arrives after a computation started costs another one at the end of
    // the tick, which then holds back the next real change: one event must cause exactly one
    try (TestPulse pulse = start(c -> c.with("realtime").put("tickMillis", 1000)
        .put("fallbackMillis", 60_000))) {
      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=5m")) {
        assertNotNull(sse.nextMessage(SECOND));
        sleep(1200);
        SnapshotService snapshots = pulse.pulse().services().snapshots();
        // the minute recorder reads every site once a minute: not what this test counts
        pulse.pulse().services().minutes().stop();
        long before = snapshots.computations();
        assertEquals(202, pulse.collect(pageview("demo", "http://localhost/once"), CHROME)
            .statusCode());
        SseClient.Frame pushed = sse.nextMessage(Duration.ofSeconds(3));
        assertNotNull(pushed, "the event is pushed");
        assertTrue(pushed.data().contains("/once"));
        sleep(2500);
        assertEquals(1, snapshots.computations() - before,
            "computations caused by one event with no reader polling");
      }
    }
  }

  @Test
  void manyReadersOfOneSiteCauseOneSnapshotComputationPerTickNotOnePerReader() {
    long tick = 250;
    try (TestPulse pulse = start(c -> c.with("realtime").put("tickMillis", tick))) {
      List<SseClient> readers = new ArrayList<>();
      try {
        for (int i = 0; i < 25; i++) {
          readers.add(SseClient.open(pulse.base() + "/api/sites/demo/stream?window=5m"));
        }
        for (SseClient r : readers) {
          assertNotNull(r.nextMessage(Duration.ofSeconds(2)));
        }
        SnapshotService snapshots = pulse.pulse().services().snapshots();
        // the minute recorder reads every site once a minute: not what this test counts
        pulse.pulse().services().minutes().stop();
        long before = snapshots.computations();
        long start = System.currentTimeMillis();
        // events keep arriving and 25 streams plus REST pollers read the site for 2 s
        while (System.currentTimeMillis() - start < 2_000) {
          pulse.collect(pageview("demo", "http://localhost/busy"), CHROME);
          for (int i = 0; i < 5; i++) {
            assertEquals(200, pulse.get("/api/sites/demo/realtime?window=5m").statusCode());
          }
          sleep(20);
        }
        long elapsed = System.currentTimeMillis() - start;
        long computed = snapshots.computations() - before;
        assertTrue(computed <= elapsed / tick + 2,
            computed + " computations in " + elapsed + " ms with 25 readers; at most one per tick");
        for (SseClient r : readers) {
          assertTrue(r.drain().stream().anyMatch(f -> f.data() != null && f.data().contains("/busy")),
              "every reader got the pushes");
        }
      } finally {
        readers.forEach(SseClient::close);
      }
    }
  }

  @Test
  void onShutdownEveryStreamGetsAFinalMessageAndIsClosed() {
    TestPulse pulse = start(c -> { });
    try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/demo/stream")) {
      assertNotNull(sse.nextMessage(SECOND));
      pulse.close();
      SseClient.Frame last = sse.nextMessage(Duration.ofSeconds(3));
      assertNotNull(last, "a final message before the close");
      assertEquals("close", last.event());
      long deadline = System.currentTimeMillis() + 3000;
      while (!sse.ended() && System.currentTimeMillis() < deadline) {
        sleep(50);
      }
      assertTrue(sse.ended(), "the stream is closed after its final message");
    }
  }

  /** The comments (keep-alives) a stream gets within the next {@code millis}. */
  private static int commentsWithin(SseClient sse, long millis) {
    int comments = 0;
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      SseClient.Frame f = sse.next(Duration.ofMillis(300));
      if (f != null && f.comment() != null) {
        comments++;
      }
    }
    return comments;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
