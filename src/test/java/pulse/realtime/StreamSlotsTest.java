package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
 * Every stream gives its slot back when its connection ends, however early: a client that keeps
 * dropping its connections is not locked out by its own per-address cap.
 */
@Tag("server")
class StreamSlotsTest {
  @Test
  void connectionsDroppedRightAfterTheRequestGiveTheirSlotsBack() throws Exception {
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> c.with("realtime").put("maxStreamsPerIp", 3))) {
      StreamHub hub = pulse.pulse().services().streams();
      byte[] request = ("GET /api/sites/demo/stream?window=1h HTTP/1.1\r\nHost: x\r\n"
          + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 300; i++) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", pulse.pulse().port()));
          socket.setSoLinger(true, 0);
          OutputStream out = socket.getOutputStream();
          out.write(request);
          out.flush();
          if (i % 2 == 0) {
            // half wait for the stream to start, half drop it at once
            socket.getInputStream().read();
          }
        }
      }
      long deadline = System.currentTimeMillis() + 10_000;
      while (hub.openStreams() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, hub.openStreams(), "every dropped stream gave its slot back");
      try (SseClient sse = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=1h")) {
        assertEquals(200, sse.response().statusCode(), "the address is not locked out");
        assertNotNull(sse.nextMessage(Duration.ofSeconds(2)));
      }
    }
  }
}
