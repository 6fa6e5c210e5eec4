package pulse.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.Pulse;
import pulse.ingest.Countries;
import pulse.store.Event;
import pulse.testing.Browser;
import pulse.testing.TestPulse;

/** The synthetic visitors of {@code --demo}: plausible, moving, and only on the demo site. */
@Tag("server")
class DemoTrafficTest {

  @Test
  void visitorsArriveActAndLeaveSoTheCountMoves() {
    DemoTraffic demo = new DemoTraffic(null, null, s -> { }, Clock.systemUTC(), 42);
    long start = 1_800_000_000_000L;
    Map<String, Long> lastSeen = new HashMap<>();
    Set<String> types = new HashSet<>();
    Set<String> paths = new HashSet<>();
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (long t = start; t < start + 30 * 60_000; t += DemoTraffic.TICK_MILLIS) {
      List<Event> events = demo.step(t);
      for (Event e : events) {
        assertEquals(t, e.time());
        types.add(e.type());
        if (Event.BOT.equals(e.type())) {
          assertTrue(Event.BOT_CLASSES.contains(e.name()), e.name());
          continue;
        }
        assertTrue(e.path().startsWith("/"), e.path());
        assertTrue(Countries.isValid(e.country()), e.country());
        assertTrue(List.of("desktop", "mobile", "tablet").contains(e.device()), e.device());
        lastSeen.put(e.visitorId(), t);
        paths.add(e.path());
      }
      if (t > start + 10 * 60_000) {
        min = Math.min(min, demo.online());
        max = Math.max(max, demo.online());
      }
    }
    assertEquals(Set.of(Event.PAGEVIEW, Event.HEARTBEAT, Event.CUSTOM, Event.LEAVE, Event.BOT),
        types);
    assertTrue(paths.size() >= 8, "a handful of pages: " + paths);
    assertTrue(min >= 3 && max <= 80 && max - min >= 10,
        "the crowd drifts between " + min + " and " + max);
    long gone = lastSeen.values().stream().filter(t -> t < start + 20 * 60_000).count();
    assertTrue(gone > 50, "visitors leave: " + gone + " went quiet before the last 10 minutes");
  }

  @Test
  void startedWithPulseItFeedsTheDemoSiteOnly() {
    try (TestPulse pulse = TestPulse.start(null, Clock.systemUTC(), c -> { },
        new Pulse.Options(false, true))) {
      JsonNode first = json(pulse.get("/api/sites/demo/realtime?window=30m"));
      assertTrue(first.path("activeVisitors").asLong() > 5,
          "ten minutes of past visitors at once: " + first.path("activeVisitors"));
      assertTrue(first.path("perMinute").get(20).path("visitors").asLong() > 0,
          "the chart has a past");
      long pageviews = first.path("pageviews").asLong();
      Browser.await(Duration.ofSeconds(10), "new demo pageviews keep coming", () ->
          json(pulse.get("/api/sites/demo/realtime?window=30m")).path("pageviews").asLong()
              > pageviews);
      for (String other : List.of("shop", "blog")) {
        JsonNode snapshot = json(pulse.get("/api/sites/" + other + "/realtime", "Authorization",
            "Bearer " + TestPulse.ALL_TOKEN));
        assertEquals(0, snapshot.path("activeVisitors").asLong(), other);
      }
    }
  }

  @Test
  void withoutTheOptionThereIsNoDemoTraffic() throws Exception {
    try (TestPulse pulse = TestPulse.start(null, Clock.systemUTC(), c -> { })) {
      Thread.sleep(1500);
      assertEquals(0, json(pulse.get("/api/sites/demo/realtime")).path("activeVisitors").asLong());
    }
  }
}
