package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.RawConnection;
import pulse.testing.TestPulse;

/**
 * On a configured port Pulse runs one HTTP server per event loop. Every server must answer the
 * same routes, the per-address connection cap must count the connections of all of them, and a
 * stopped Pulse must give the port back.
 */
@Tag("server")
class ServersPerEventLoopTest {
  private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static TestPulse start(int port, int maxConnections) {
    return TestPulse.start(null, Clock.systemUTC(), c -> {
      c.put("port", port);
      c.with("http").put("maxConnectionsPerIp", maxConnections);
    });
  }

  @Test
  void everyServerAnswersAndTheConnectionCapCountsThemAll() throws Exception {
    int port = freePort();
    List<RawConnection> held = new ArrayList<>();
    try (TestPulse pulse = start(port, 6)) {
      assertEquals(port, pulse.pulse().port());
      // six connections land on the servers in turn (more servers than one on any machine with
      // more than one processor): each answers on its own
      for (int i = 0; i < 6; i++) {
        RawConnection c = RawConnection.open(port);
        held.add(c);
        c.send(HEALTH);
        RawConnection.Response health = c.read();
        assertNotNull(health, "connection " + i + " is answered");
        assertEquals(200, health.status());
      }
      try (RawConnection excess = RawConnection.open(port)) {
        excess.send(HEALTH);
        assertNull(excess.read(), "the seventh connection is closed, whichever server took it");
      }
    } finally {
      for (RawConnection c : held) {
        c.close();
      }
    }
    // every server let go of the port: a new Pulse binds it again
    try (TestPulse again = start(port, 6); RawConnection c = RawConnection.open(port)) {
      c.send(HEALTH);
      RawConnection.Response health = c.read();
      assertNotNull(health);
      assertEquals(200, health.status());
    }
  }
}
