package pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.FIREFOX_LINUX;
import static pulse.testing.TestPulse.IPHONE;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pulse.realtime.SnapshotService;
import pulse.realtime.StreamHub;
import pulse.testing.MutableClock;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/** {@code ?filter=} on the snapshot and the stream, over real HTTP, with both stores. */
@Tag("server")
class FilterHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(3);

  /** The query string of these filters, each URL-encoded. */
  static String filters(String... filters) {
    StringBuilder q = new StringBuilder();
    for (String f : filters) {
      q.append(q.length() == 0 ? "" : "&").append("filter=")
          .append(URLEncoder.encode(f, StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private static void view(TestPulse pulse, String ip, String country, String ua, String path) {
    HttpResponse<String> r = pulse.collect(
        "{\"site\":\"demo\",\"url\":\"http://localhost" + path + "\"}", ua,
        "X-Forwarded-For", ip, "CF-IPCountry", country);
    assertEquals(202, r.statusCode(), r.body());
  }

  private static JsonNode snapshot(TestPulse pulse, String query) {
    HttpResponse<String> r = pulse.get("/api/sites/demo/realtime?window=5m&" + query);
    assertEquals(200, r.statusCode(), query + ": " + r.body());
    return json(r);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static long sum(JsonNode perMinute, String field) {
    long total = 0;
    for (JsonNode m : perMinute) {
      total += m.path(field).asLong();
    }
    return total;
  }

  /** anna (DE, Chrome) read / then /pricing; bert (DE, Firefox) /; carl (US, Chrome) /pricing; dora (US, iPhone) /. */
  private static void fourVisitors(TestPulse pulse, MutableClock clock) {
    view(pulse, "203.0.113.1", "DE", CHROME, "/");
    clock.advanceSeconds(1);
    view(pulse, "203.0.113.1", "DE", CHROME, "/pricing");
    view(pulse, "203.0.113.2", "DE", FIREFOX_LINUX, "/");
    view(pulse, "203.0.113.3", "US", CHROME, "/pricing");
    view(pulse, "203.0.113.4", "US", IPHONE, "/");
    clock.advanceSeconds(2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "memory"})
  void aFilteredSnapshotIsTheWholeSnapshotOfTheMatchingVisitors(String storeKind) {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    String redis = storeKind.equals("redis") ? TestRedis.shared().url() : null;
    if (redis != null) {
      TestRedis.shared().flushAll();
    }
    try (TestPulse pulse = TestPulse.start(redis, clock, c -> c.put("trustProxy", true))) {
      fourVisitors(pulse, clock);
      JsonNode all = snapshot(pulse, "");
      assertEquals(4, all.path("activeVisitors").asInt());
      assertEquals(5, all.path("pageviews").asInt());

      JsonNode de = snapshot(pulse, filters("country:DE"));
      assertEquals(fieldNames(all), fieldNames(de), "the same shape, whatever the filter");
      assertEquals(2, de.path("activeVisitors").asInt());
      assertEquals(3, de.path("pageviews").asInt());
      assertEquals("[{\"path\":\"/\",\"visitors\":1,\"pageviews\":2,\"present\":1,"
          + "\"engagedSeconds\":0},{\"path\":\"/pricing\",\"visitors\":1,\"pageviews\":1,"
          + "\"present\":1,\"engagedSeconds\":0}]", de.path("pages").toString());
      assertEquals(2, de.path("present").asInt(), "both seen within 45 s");
      assertEquals("[{\"code\":\"DE\",\"visitors\":2}]", de.path("countries").toString());
      assertEquals("[{\"name\":\"Chrome\",\"visitors\":1},{\"name\":\"Firefox\",\"visitors\":1}]",
          de.path("browsers").toString());
      assertEquals("[{\"name\":\"desktop\",\"visitors\":2}]", de.path("devices").toString());
      assertEquals(2, de.path("os").size());
      assertEquals(3, de.path("recent").size());
      for (JsonNode p : de.path("recent")) {
        assertEquals("DE", p.path("country").asText(), de.toString());
      }
      assertEquals(3, sum(de.path("perMinute"), "pageviews"));
      assertEquals(all.path("perMinute").size(), de.path("perMinute").size());
      assertEquals(all.path("today"), de.path("today"), "today stays the site's");
      assertEquals(all.path("timestamp"), de.path("timestamp"));

      assertEquals(snapshot(pulse, filters("country:DE")), snapshot(pulse, filters("country:de")),
          "country codes in either case");
      JsonNode pricing = snapshot(pulse, filters("path:/pricing"));
      assertEquals(2, pricing.path("activeVisitors").asInt());
      assertEquals(3, pricing.path("pageviews").asInt(), "anna's two and carl's one");
      assertEquals("[{\"code\":\"DE\",\"visitors\":1},{\"code\":\"US\",\"visitors\":1}]",
          pricing.path("countries").toString());
      assertEquals("[{\"path\":\"/pricing\",\"visitors\":2,\"pageviews\":2,\"present\":2,"
          + "\"engagedSeconds\":0},{\"path\":\"/\",\"visitors\":0,\"pageviews\":1,"
          + "\"present\":0,\"engagedSeconds\":0}]", pricing.path("pages").toString());

      JsonNode both = snapshot(pulse, filters("country:DE", "path:/pricing"));
      assertEquals(1, both.path("activeVisitors").asInt());
      assertEquals(2, both.path("pageviews").asInt());
      assertEquals(both, snapshot(pulse, filters("path:/pricing", "country:DE")));
      assertEquals(1, snapshot(pulse, filters("browser:Chrome", "country:US"))
          .path("activeVisitors").asInt());
      assertEquals(1, snapshot(pulse, filters("device:mobile")).path("activeVisitors").asInt());
      assertEquals(2, snapshot(pulse, filters("os:Windows")).path("activeVisitors").asInt());
      JsonNode nobody = snapshot(pulse, filters("country:FR"));
      assertEquals(0, nobody.path("activeVisitors").asInt());
      assertEquals(0, nobody.path("pageviews").asInt());
      assertEquals(0, nobody.path("pages").size());
      assertEquals(0, nobody.path("recent").size());
      assertEquals(0, snapshot(pulse, filters("path:/Pricing")).path("activeVisitors").asInt(),
          "paths are matched exactly");
    }
  }

  @Test
  void oneComputationPerDistinctFilterPerTick() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:30Z"));
    TestRedis.shared().flushAll();
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), clock,
        c -> c.put("trustProxy", true))) {
      fourVisitors(pulse, clock);
      SnapshotService snapshots = pulse.pulse().services().snapshots();
      snapshot(pulse, "");
      long before = snapshots.computations();
      snapshot(pulse, filters("country:DE", "path:/pricing"));
      snapshot(pulse, filters("path:/pricing", "country:DE"));
      snapshot(pulse, filters("path:/pricing", "country:de", "country:DE"));
      assertEquals(before + 1, snapshots.computations(), "the same filter in any order");
      snapshot(pulse, filters("browser:Chrome"));
      assertEquals(before + 2, snapshots.computations());
      assertEquals(1, snapshots.cachedFilterReads("demo"),
          "the tick's filters of one window share one raw read");
      clock.advanceSeconds(1);
      snapshot(pulse, filters("browser:Chrome"));
      assertEquals(before + 3, snapshots.computations(), "a new tick computes again");
    }
  }

  @Test
  void badFiltersAre400WithAJsonErrorNamingTheProblem() {
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> { })) {
      String[][] cases = {
          {filters("colour:red"), "filter 'colour:red': unknown dimension (one of path, country, "
              + "referrer, browser, os, device, entry, utm_source, utm_medium, utm_campaign, "
              + "event)"},
          {filters("country:"), "filter 'country:': empty value"},
          {filters("country"), "filter 'country': expected dimension:value, as country:DE"},
          {"filter=", "filter '': expected dimension:value, as country:DE"},
          {filters("country:Germany"), "filter 'country:Germany': a country is a two-letter ISO code"},
          {filters("path:/1", "path:/2", "path:/3", "path:/4", "path:/5", "path:/6"),
              "at most 5 filters may be combined, not 6"},
          {filters("path:/" + "x".repeat(2000)), "value longer than 1000 characters"},
      };
      for (String[] c : cases) {
        for (String route : new String[] {"realtime", "stream", "stream?view=counter&x=1"}) {
          String path = "/api/sites/demo/" + route + (route.contains("?") ? "&" : "?") + c[0];
          HttpResponse<String> r = pulse.get(path);
          assertEquals(400, r.statusCode(), path + ": " + r.body());
          assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
          assertTrue(json(r).path("error").asText().contains(c[1]), path + ": " + r.body());
          assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""),
              "a page of another site can read why");
        }
      }
      assertEquals(404, pulse.get("/api/sites/shop/realtime?" + filters("colour:red"))
          .statusCode(), "a private site is not told apart from an unknown one first");
    }
  }

  private static JsonNode data(SseClient.Frame frame) {
    assertNotNull(frame, "no message within " + WAIT);
    try {
      return JSON.readTree(frame.data());
    } catch (Exception e) {
      throw new AssertionError("frame data is not JSON: " + frame, e);
    }
  }

  @Test
  void aFilteredStreamPushesTheMatchingVisitorsAndSharesItsGroup() {
    TestRedis.shared().flushAll();
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> c.put("trustProxy", true).with("realtime").put("tickMillis", 100))) {
      view(pulse, "203.0.113.1", "DE", CHROME, "/pricing");
      view(pulse, "203.0.113.3", "US", CHROME, "/pricing");
      String base = pulse.base() + "/api/sites/demo/stream?window=5m&";
      try (SseClient de = SseClient.open(base + filters("country:DE"));
          SseClient counter = SseClient.open(base + "view=counter&"
              + filters("path:/pricing", "country:de"));
          SseClient counterAgain = SseClient.open(base + "view=counter&"
              + filters("country:DE", "path:/pricing"))) {
        assertEquals(200, de.response().statusCode());
        JsonNode first = data(de.nextMessage(WAIT));
        assertEquals(1, first.path("activeVisitors").asInt());
        assertEquals("[{\"code\":\"DE\",\"visitors\":1}]", first.path("countries").toString());
        assertEquals(1, data(counter.nextMessage(WAIT)).path("activeVisitors").asInt());
        assertEquals(1, data(counterAgain.nextMessage(WAIT)).path("activeVisitors").asInt());
        List<StreamHub.Key> keys = pulse.pulse().services().streams().keys();
        assertEquals(2, keys.size(), "the two counters of one filter share a group: " + keys);

        view(pulse, "203.0.113.5", "US", CHROME, "/");
        view(pulse, "203.0.113.6", "DE", FIREFOX_LINUX, "/pricing");
        JsonNode pushed = data(de.nextMessage(WAIT));
        while (pushed.path("activeVisitors").asInt() < 2) {
          pushed = data(de.nextMessage(WAIT));
        }
        assertEquals(2, pushed.path("activeVisitors").asInt());
        assertEquals("[{\"code\":\"DE\",\"visitors\":2}]", pushed.path("countries").toString());
        assertEquals(2, data(counter.nextMessage(WAIT)).path("activeVisitors").asInt());
        SseClient.Frame next = counterAgain.nextMessage(WAIT);
        assertEquals(2, data(next).path("activeVisitors").asInt());

        String rest = pulse.get("/api/sites/demo/realtime?window=5m&" + filters("country:DE"))
            .body();
        assertEquals(2, JSON.readTree(rest).path("activeVisitors").asInt());
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aPrivateSitesStreamTicketOpensAFilteredStream() {
    TestRedis.shared().flushAll();
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> { })) {
      String ticket = json(pulse.post("/api/sites/shop/stream-tickets", "",
          "Authorization", "Bearer " + TestPulse.SHOP_TOKEN)).path("ticket").asText();
      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/shop/stream?ticket="
          + ticket + "&" + filters("path:/checkout"))) {
        assertEquals(200, sse.response().statusCode());
        JsonNode first = data(sse.nextMessage(WAIT));
        assertEquals("shop", first.path("site").asText());
        assertEquals(0, first.path("activeVisitors").asInt());
      }
      HttpResponse<String> bad = pulse.get("/api/sites/shop/stream?ticket=" + ticket + "&"
          + filters("colour:red"));
      assertEquals(400, bad.statusCode(), bad.body());
    }
  }
}
