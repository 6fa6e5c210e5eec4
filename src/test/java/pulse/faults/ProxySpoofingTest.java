package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;

/**
 * With trustProxy on, a client that is not one of the trusted proxies cannot choose its address:
 * X-Forwarded-For from it is ignored, so rate limits and stream caps still count it. (Tests talk
 * from 127.0.0.1, which the default list trusts; here only 10.0.0.0/8 is trusted.)
 */
@Tag("server")
class ProxySpoofingTest {
  private static TestPulse start() {
    return TestPulse.start(null, Clock.systemUTC(), c -> {
      c.put("trustProxy", true);
      c.putArray("trustedProxies").add("10.0.0.0/8");
      c.with("limits").put("ingestPerIpPerMinute", 2);
      c.with("realtime").put("maxStreamsPerIp", 1);
    });
  }

  @Test
  void anUntrustedPeerIsRateLimitedWhateverAddressItForwards() {
    try (TestPulse pulse = start()) {
      String event = "{\"site\":\"demo\",\"url\":\"http://localhost/spoof\"}";
      assertEquals(202, pulse.collect(event, CHROME, "X-Forwarded-For", "198.51.100.1")
          .statusCode());
      assertEquals(202, pulse.collect(event, CHROME, "X-Forwarded-For", "198.51.100.2")
          .statusCode());
      HttpResponse<String> third = pulse.collect(event, CHROME,
          "X-Forwarded-For", "198.51.100.3");
      assertEquals(429, third.statusCode(), third.body());
      assertTrue(json(third).path("error").asText().contains("this address"), third.body());
    }
  }

  @Test
  void anUntrustedPeerCannotOpenMoreStreamsByForwardingOtherAddresses() {
    try (TestPulse pulse = start();
        SseClient first = SseClient.open(pulse.base() + "/api/sites/demo/stream",
            "X-Forwarded-For", "198.51.100.1");
        // opened as a stream: were it admitted, its answer would never end
        SseClient second = SseClient.open(pulse.base() + "/api/sites/demo/stream",
            "X-Forwarded-For", "198.51.100.2")) {
      assertEquals(200, first.response().statusCode());
      assertEquals(429, second.response().statusCode(), "a second stream from the same peer");
    }
  }
}
