package pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static pulse.api.FilterHttpTest.filters;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.FIREFOX_LINUX;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * Presence, engaged time, campaigns and custom events through /api/collect, the snapshot and the
 * stream, on both stores: a leave takes its visitor out of {@code present} on the stream within
 * a tick, and the new dimensions filter.
 */
@Tag("server")
class PresenceHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(3);

  private static void send(TestPulse pulse, String ip, String ua, String body) {
    HttpResponse<String> r = pulse.collect(body, ua, "X-Forwarded-For", ip);
    assertEquals(202, r.statusCode(), r.body());
  }

  private static JsonNode snapshot(TestPulse pulse, String query) {
    HttpResponse<String> r = pulse.get("/api/sites/demo/realtime?window=5m&" + query);
    assertEquals(200, r.statusCode(), r.body());
    return json(r);
  }

  private static JsonNode data(SseClient.Frame frame) throws Exception {
    assertNotNull(frame, "no message within " + WAIT);
    return JSON.readTree(frame.data());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "memory"})
  void aLeaveReachesTheStreamAndCampaignsAndEventsFilter(String storeKind) throws Exception {
    String redis = storeKind.equals("redis") ? TestRedis.shared().url() : null;
    if (redis != null) {
      TestRedis.shared().flushAll();
    }
    try (TestPulse pulse = TestPulse.start(redis, Clock.systemUTC(),
        c -> c.put("trustProxy", true).with("realtime").put("tickMillis", 100))) {
      send(pulse, "203.0.113.1", CHROME, "{\"site\":\"demo\",\"url\":"
          + "\"http://localhost/launch?utm_source=newsletter&utm_medium=email&utm_campaign=spring\"}");
      send(pulse, "203.0.113.2", FIREFOX_LINUX,
          "[{\"site\":\"demo\",\"url\":\"http://localhost/docs\"},"
          + "{\"site\":\"demo\",\"type\":\"event\",\"name\":\"signup\",\"props\":{\"plan\":\"pro\"},"
          + "\"url\":\"http://localhost/docs\"},"
          + "{\"site\":\"demo\",\"type\":\"heartbeat\",\"engaged\":12500,"
          + "\"url\":\"http://localhost/docs\"}]");
      send(pulse, "203.0.113.3", "curl/8.5.0", "{\"site\":\"demo\",\"url\":\"http://localhost/\"}");

      try (SseClient stream = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=5m")) {
        JsonNode first = data(stream.nextMessage(WAIT));
        assertEquals(2, first.path("present").asInt());
        assertEquals(2, first.path("activeVisitors").asInt());
        assertEquals("{\"search\":0,\"ai\":0,\"monitor\":0,\"script\":1,\"other\":0}",
            first.path("bots").toString());
        assertEquals("[{\"name\":\"signup\",\"count\":1,\"visitors\":1,"
            + "\"props\":{\"plan\":[{\"value\":\"pro\",\"count\":1}]}}]",
            first.path("events").toString());
        assertEquals("[{\"name\":\"spring\",\"visitors\":1}]",
            first.path("campaigns").path("campaigns").toString());
        JsonNode docs = first.path("pages").get(0).path("path").asText().equals("/docs")
            ? first.path("pages").get(0) : first.path("pages").get(1);
        assertEquals(12, docs.path("engagedSeconds").asInt());
        assertEquals(1, docs.path("present").asInt());

        long sent = System.nanoTime();
        send(pulse, "203.0.113.2", FIREFOX_LINUX, "{\"site\":\"demo\",\"type\":\"leave\","
            + "\"engaged\":20000,\"url\":\"http://localhost/docs\"}");
        JsonNode pushed = data(stream.nextMessage(WAIT));
        while (pushed.path("present").asInt() != 1) {
          pushed = data(stream.nextMessage(WAIT));
        }
        long millis = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(2, pushed.path("activeVisitors").asInt(), "still active in the window");
        assertEquals(true, millis < 2_000, "pushed " + millis + " ms after the leave");
      }

      JsonNode spring = snapshot(pulse, filters("utm_campaign:spring"));
      assertEquals(1, spring.path("activeVisitors").asInt());
      assertEquals("/launch", spring.path("entryPages").get(0).path("path").asText());
      JsonNode signedUp = snapshot(pulse, filters("event:signup"));
      assertEquals(1, signedUp.path("activeVisitors").asInt());
      assertEquals(0, signedUp.path("present").asInt(), "the one who signed up has left");
      assertEquals(0, snapshot(pulse, filters("event:signup", "utm_source:newsletter"))
          .path("activeVisitors").asInt());
    }
  }
}
