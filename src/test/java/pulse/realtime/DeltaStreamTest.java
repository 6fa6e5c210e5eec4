package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The opt-in delta stream ({@code delta=merge-patch}) over real HTTP: a whole snapshot first,
 * then patches that, applied in order, give what the plain stream of the same site shows.
 */
@Tag("server")
class DeltaStreamTest {
  private static final Duration SECOND = Duration.ofSeconds(5);

  private static TestPulse start() {
    return TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> {
      c.with("realtime").put("tickMillis", 50);
      c.with("limits").put("ingestPerIpPerMinute", 0);
    });
  }

  @Test
  void patchesAppliedToTheFirstSnapshotEqualThePlainStreamsLatestFrame() {
    try (TestPulse pulse = start();
        SseClient full = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=5m");
        SseClient delta = SseClient.open(pulse.base()
            + "/api/sites/demo/stream?window=5m&delta=merge-patch")) {
      SseClient.Frame first = delta.nextMessage(SECOND);
      assertNotNull(first);
      assertEquals("snapshot", first.event(), "a delta stream starts with the whole snapshot");
      JsonObject doc = new JsonObject(first.data());
      JsonObject plain = new JsonObject(full.nextMessage(SECOND).data());

      int patches = 0;
      String marker = "/delta-" + System.nanoTime() + "/";
      for (int i = 0; i < 6; i++) {
        // new pages, referrers and countries each time: top lists and recent change, keys come and go
        assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost" + marker + i
            + "\",\"referrer\":\"https://ref" + i + ".example/\"}", CHROME,
            "X-Forwarded-For", "10.9." + i + ".1").statusCode());
        String last = marker + i;
        boolean seen = false;
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!seen && System.nanoTime() < deadline) {
          SseClient.Frame f = delta.nextMessage(Duration.ofMillis(200));
          if (f == null) {
            continue;
          }
          if (f.event().equals("patch")) {
            patches++;
            doc = (JsonObject) MergePatch.apply(doc, new JsonObject(f.data()));
          } else {
            assertEquals("snapshot", f.event());
            doc = new JsonObject(f.data());
          }
          seen = doc.encode().contains(last);
        }
        assertTrue(seen, "the delta stream shows " + last);
        deadline = System.nanoTime() + 3_000_000_000L;
        while (!plain.encode().contains(last) && System.nanoTime() < deadline) {
          SseClient.Frame f = full.nextMessage(Duration.ofMillis(200));
          if (f != null) {
            assertEquals("snapshot", f.event(), "a plain stream gets whole snapshots only");
            plain = new JsonObject(f.data());
          }
        }
        // both streams share the group's frames: the same newest one, as a patch or whole
        assertEquals(plain.getString("timestamp"), doc.getString("timestamp"));
        assertEquals(plain, doc);
      }
      assertTrue(patches >= 6, "patches after the first snapshot: " + patches);
    }
  }

  @Test
  void aPatchIsSmallerThanTheSnapshotAndAReconnectStartsWithAWholeSnapshot() {
    try (TestPulse pulse = start()) {
      String url = pulse.base() + "/api/sites/demo/stream?window=5m&delta=merge-patch";
      try (SseClient delta = SseClient.open(url)) {
        SseClient.Frame first = delta.nextMessage(SECOND);
        assertEquals("snapshot", first.event());
        assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/small\"}",
            CHROME, "X-Forwarded-For", "10.9.9.9").statusCode());
        SseClient.Frame patch = delta.nextMessage(Duration.ofSeconds(3));
        assertNotNull(patch);
        assertEquals("patch", patch.event());
        assertTrue(patch.id().matches("\\d+"), "a patch's id is its snapshot's time");
        JsonObject p = new JsonObject(patch.data());
        assertTrue(p.containsKey("timestamp"));
        assertTrue(!p.containsKey("site") && !p.containsKey("window"), "unchanged members stay out");
      }
      // a browser's reconnect (with Last-Event-ID) is a new stream: the whole snapshot first
      try (SseClient again = SseClient.open(url, "Last-Event-ID", "1")) {
        SseClient.Frame f = again.nextMessage(SECOND);
        assertEquals("snapshot", f.event());
        assertTrue(f.data().contains("/small"));
      }
    }
  }

  @Test
  void anUnknownDeltaIsRefusedWithTheValuesItTakes() {
    try (TestPulse pulse = start()) {
      var response = pulse.get("/api/sites/demo/stream?delta=xml-patch");
      assertEquals(400, response.statusCode());
      assertEquals("delta must be merge-patch, json-patch or none",
          new JsonObject(response.body()).getString("error"), response.body());
    }
  }
}
