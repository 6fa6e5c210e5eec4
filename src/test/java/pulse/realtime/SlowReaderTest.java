package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * A reader that stops reading: it skips frames instead of queueing them, is closed once stuck
 * for the configured time, and the other readers of the site go on getting every push.
 */
@Tag("server")
class SlowReaderTest {
  @Test
  void aStuckConnectionIsClosedAndOtherReadersKeepGettingPushes() throws Exception {
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> {
          c.with("realtime").put("tickMillis", 20).put("stuckStreamMillis", 1500);
          c.with("limits").put("ingestPerIpPerMinute", 0);
        })) {
      StreamHub hub = pulse.pulse().services().streams();
      try (Socket stuck = new Socket();
          SseClient healthy = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=1h")) {
        stuck.setReceiveBufferSize(2048);
        stuck.connect(new InetSocketAddress("127.0.0.1", pulse.pulse().port()));
        OutputStream out = stuck.getOutputStream();
        out.write(("GET /api/sites/demo/stream?window=1h HTTP/1.1\r\nHost: x\r\n"
            + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertNotNull(healthy.nextMessage(Duration.ofSeconds(2)));
        long deadline = System.currentTimeMillis() + 2_000;
        while (hub.openStreams() < 2 && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
        }
        assertEquals(2, hub.openStreams());

        // big, fast-changing snapshots: the stuck socket's buffers fill within seconds
        String title = "t".repeat(500);
        int n = 0;
        deadline = System.currentTimeMillis() + 30_000;
        while (hub.openStreams() > 1 && System.currentTimeMillis() < deadline) {
          StringBuilder batch = new StringBuilder("[");
          for (int i = 0; i < 20; i++, n++) {
            batch.append(i == 0 ? "" : ",").append("{\"site\":\"demo\",\"url\":\"http://localhost/slow/")
                .append(n).append("\",\"title\":\"").append(title).append("\"}");
          }
          pulse.collect(batch.append("]").toString(), TestPulse.CHROME);
          healthy.drain();
          Thread.sleep(20);
        }
        assertEquals(1, hub.openStreams(), "the stuck reader is closed; the healthy one stays");

        // the healthy reader still gets what happens next
        healthy.drain();
        pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/after-the-stuck-one\"}",
            TestPulse.CHROME);
        boolean seen = false;
        deadline = System.currentTimeMillis() + 3_000;
        while (!seen && System.currentTimeMillis() < deadline) {
          SseClient.Frame f = healthy.nextMessage(Duration.ofMillis(200));
          seen = f != null && f.data().contains("/after-the-stuck-one");
        }
        assertTrue(seen, "the healthy reader keeps getting pushes");
      }
    }
  }
}
