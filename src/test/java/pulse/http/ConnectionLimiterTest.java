package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
  @Test
  void anAddressHoldsAtMostItsMaximumAndGetsSlotsBackOnRelease() {
    ConnectionLimiter limiter = new ConnectionLimiter(2, ProxyTrust.NONE);
    String first = limiter.admit("203.0.113.9");
    assertNotNull(first);
    assertNotNull(limiter.admit("203.0.113.9"));
    assertNull(limiter.admit("203.0.113.9"));
    assertNotNull(limiter.admit("203.0.113.10"), "another address has its own count");
    limiter.release(first);
    assertNotNull(limiter.admit("203.0.113.9"));
    assertEquals(2, limiter.open("203.0.113.9"));
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64() {
    ConnectionLimiter limiter = new ConnectionLimiter(2, ProxyTrust.NONE);
    assertNotNull(limiter.admit("2001:db8:1:2::1"));
    assertNotNull(limiter.admit("2001:db8:1:2::2"));
    assertNull(limiter.admit("2001:db8:1:2:ffff::3"));
    assertNotNull(limiter.admit("2001:db8:1:3::1"));
  }

  @Test
  void trustedProxiesAreNotCounted() {
    ConnectionLimiter limiter = new ConnectionLimiter(1,
        ProxyTrust.of(List.of("10.0.0.0/8")));
    for (int i = 0; i < 5; i++) {
      limiter.release(assertAdmitted(limiter.admit("10.0.0.1")));
      assertAdmitted(limiter.admit("10.0.0.1"));
    }
    assertEquals(0, limiter.open("10.0.0.1"));
    assertNotNull(limiter.admit("203.0.113.9"));
    assertNull(limiter.admit("203.0.113.9"));
  }

  private static String assertAdmitted(String key) {
    assertNotNull(key);
    return key;
  }
}
