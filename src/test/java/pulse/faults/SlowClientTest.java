package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.RawConnection;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;

/**
 * Slow-loris and connection floods: bodies that trickle in get a 408 and a closed connection on
 * every POST route, headers that trickle in get the connection closed, and one address cannot
 * hold more than its maximum of connections.
 */
@Tag("server")
class SlowClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY = "{\"site\":\"demo\",\"url\":\"http://localhost/\"}".repeat(5);

  private static TestPulse start(int bodyTimeoutMillis, int requestTimeoutMillis,
      int maxConnections) {
    return start(bodyTimeoutMillis, requestTimeoutMillis, maxConnections, c -> { });
  }

  private static TestPulse start(int bodyTimeoutMillis, int requestTimeoutMillis,
      int maxConnections, Consumer<ObjectNode> more) {
    return TestPulse.start(null, Clock.systemUTC(), c -> {
      c.with("http").put("bodyTimeoutMillis", bodyTimeoutMillis)
          .put("requestTimeoutMillis", requestTimeoutMillis)
          .put("maxConnectionsPerIp", maxConnections);
      more.accept(c);
    });
  }

  private static int port(TestPulse pulse) {
    return pulse.pulse().port();
  }

  @Test
  void aTrickledBodyGetsA408JsonErrorAndTheConnectionClosedOnEveryTrackerRoute()
      throws Exception {
    try (TestPulse pulse = start(500, 60_000, 64)) {
      for (String path : List.of("/api/event", "/api/send", "/api/collect")) {
        try (RawConnection slow = RawConnection.open(port(pulse))) {
          slow.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n");
          // a byte every 100 ms: never idle, and the whole body would take 20 s
          slow.trickle(BODY, 100);
          RawConnection.Response response = slow.read();
          assertNotNull(response, path + ": closed without an answer");
          assertEquals(408, response.status(), path + ": " + response.body());
          assertEquals("application/json", response.headers().get("content-type"), path);
          assertTrue(JSON.readTree(response.body()).path("error").asText()
              .contains("did not arrive within 500 ms"), path + ": " + response.body());
          assertEquals("close", response.headers().get("connection"), path);
          assertTrue(slow.closedByServer(), path + ": the connection stays open after its 408");
        }
      }
      assertEquals(200, pulse.get("/health").statusCode());
    }
  }

  @Test
  void trickledHeadersGetTheConnectionClosed() throws Exception {
    try (TestPulse pulse = start(500, 1_000, 64)) {
      try (RawConnection slow = RawConnection.open(port(pulse))) {
        // headers that never end, a byte every 100 ms: never idle, never a whole request
        slow.trickle("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "X-Slow: a\r\n".repeat(200), 100);
        assertNull(slow.read(), "no request arrived, so nothing is answered");
        assertTrue(slow.closedByServer());
      }
    }
  }

  @Test
  void keepAliveRequestsAndLongStreamsOutliveTheRequestDeadline() throws Exception {
    try (TestPulse pulse = start(500, 1_000, 64,
        c -> c.with("realtime").put("keepAliveMillis", 200))) {
      try (RawConnection client = RawConnection.open(port(pulse));
          SseClient stream = SseClient.open(pulse.base() + "/api/sites/demo/stream")) {
        for (int i = 0; i < 3; i++) {
          client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          RawConnection.Response health = client.read();
          assertNotNull(health, "request " + i + " on one connection");
          assertEquals(200, health.status());
          Thread.sleep(400);
        }
        Thread.sleep(1_500);
        stream.drain();
        assertEquals(200, stream.response().statusCode());
        assertNotNull(stream.next(Duration.ofSeconds(5)),
            "a stream is an answer in progress: no deadline cuts it");
      }
    }
  }

  @Test
  void requestsVertxCannotParseGetAJsonErrorAndAClosedConnection() throws Exception {
    try (TestPulse pulse = start(10_000, 30_000, 64)) {
      String[][] cases = {
          {"GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414",
              "request line"},
          {"GET /health HTTP/1.1\r\nHost: x\r\n" + "X-H: y\r\n".repeat(3000) + "\r\n", "431",
              "request headers are larger than 16384 bytes"}};
      for (String[] c : cases) {
        try (RawConnection raw = RawConnection.open(port(pulse))) {
          raw.send(c[0]);
          RawConnection.Response response = raw.read();
          assertNotNull(response, c[1]);
          assertEquals(Integer.parseInt(c[1]), response.status());
          assertEquals("application/json", response.headers().get("content-type"), c[1]);
          assertTrue(JSON.readTree(response.body()).path("error").asText().contains(c[2]),
              response.body());
          assertTrue(raw.closedByServer(), c[1]);
        }
      }
    }
  }

  @Test
  void oneAddressHoldsAtMostItsMaximumOfConnections() throws Exception {
    List<RawConnection> held = new ArrayList<>();
    try (TestPulse pulse = start(10_000, 30_000, 3)) {
      for (int i = 0; i < 3; i++) {
        RawConnection c = RawConnection.open(port(pulse));
        held.add(c);
        c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        RawConnection.Response health = c.read();
        assertNotNull(health, "connection " + i + " is within the maximum");
        assertEquals(200, health.status());
      }
      try (RawConnection excess = RawConnection.open(port(pulse))) {
        excess.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertNull(excess.read(), "the fourth connection is closed unanswered");
      }
      held.remove(0).close();
      // the server learns of the close a moment later: a new connection is answered once it has
      RawConnection.Response answer = null;
      for (int attempt = 0; attempt < 100 && answer == null; attempt++) {
        try (RawConnection again = RawConnection.open(port(pulse))) {
          again.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          answer = again.read();
        }
        if (answer == null) {
          Thread.sleep(50);
        }
      }
      assertNotNull(answer, "a closed connection gives its slot back");
      assertEquals(200, answer.status());
    } finally {
      for (RawConnection c : held) {
        c.close();
      }
    }
  }
}
