package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyTrustTest {
  private static final ProxyTrust PRIVATE = ProxyTrust.of(List.of("127.0.0.0/8", "::1/128",
      "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"));

  @Test
  void cidrRangesMatchTheirAddressesOnly() {
    assertTrue(PRIVATE.trusts("10.255.0.1"));
    assertTrue(PRIVATE.trusts("172.16.0.1"));
    assertTrue(PRIVATE.trusts("172.31.255.255"));
    assertFalse(PRIVATE.trusts("172.32.0.1"), "/12 ends at 172.31");
    assertFalse(PRIVATE.trusts("172.15.255.255"));
    assertTrue(PRIVATE.trusts("127.0.0.1"));
    assertTrue(PRIVATE.trusts("::1"));
    assertTrue(PRIVATE.trusts("0:0:0:0:0:0:0:1"));
    assertFalse(PRIVATE.trusts("::2"));
    assertTrue(PRIVATE.trusts("fd12:3456::1"), "fc00::/7 holds fd00::/8");
    assertFalse(PRIVATE.trusts("fe80::1"));
    assertTrue(PRIVATE.trusts("::ffff:10.0.0.1"), "an IPv4-mapped address is its IPv4 address");
    assertFalse(PRIVATE.trusts("203.0.113.9"));
    assertFalse(PRIVATE.trusts("2001:db8::1"));
    assertFalse(PRIVATE.trusts("not an address"));
    assertFalse(PRIVATE.trusts(""));
    ProxyTrust one = ProxyTrust.of(List.of("198.51.100.7", "2001:db8::/32", "0.0.0.0/0"));
    assertTrue(one.trusts("198.51.100.7"));
    assertTrue(one.trusts("2001:db8:ffff::1"));
    assertTrue(one.trusts("8.8.8.8"), "0.0.0.0/0 is every IPv4 address");
    assertFalse(one.trusts("2001:db9::1"));
    assertFalse(ProxyTrust.NONE.trusts("127.0.0.1"));
  }

  @Test
  void anInvalidRangeIsRefusedNamingIt() {
    for (String bad : new String[] {"10.0.0.0/33", "::/129", "10.0.0/8", "example.com/8", "",
        "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "300.0.0.0/8"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ProxyTrust.of(List.of("127.0.0.1/32", bad)), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertEquals("203.0.113.9", PRIVATE.clientIp("203.0.113.9", List.of("1.2.3.4")));
    assertEquals("203.0.113.9", PRIVATE.clientIp("203.0.113.9", List.of("10.0.0.1")));
    assertEquals("10.0.0.1", ProxyTrust.NONE.clientIp("10.0.0.1", List.of("1.2.3.4")));
  }

  @Test
  void behindTrustedProxiesTheRightmostUntrustedAddressIsTheClient() {
    assertEquals("198.51.100.4", PRIVATE.clientIp("10.0.0.1", List.of("198.51.100.4")));
    // the client put 1.2.3.4 in front; the proxy appended the address it really saw
    assertEquals("198.51.100.4",
        PRIVATE.clientIp("10.0.0.1", List.of("1.2.3.4, 198.51.100.4")));
    // two proxies: the outer one (192.168.1.1) is trusted too, so the walk goes on past it
    assertEquals("198.51.100.4",
        PRIVATE.clientIp("10.0.0.1", List.of("1.2.3.4, 198.51.100.4, 192.168.1.1")));
    // several header lines are one list, in order
    assertEquals("198.51.100.4",
        PRIVATE.clientIp("10.0.0.1", List.of("1.2.3.4", "198.51.100.4", "192.168.1.1")));
    assertEquals("2001:db8::7", PRIVATE.clientIp("::1", List.of("2001:db8::7")));
    assertEquals("198.51.100.4", PRIVATE.clientIp("10.0.0.1", List.of("198.51.100.4:5123")));
    assertEquals("2001:db8::7", PRIVATE.clientIp("10.0.0.1", List.of("[2001:db8::7]:443")));
  }

  @Test
  void theWalkStopsAtGarbageAndWhenEveryHopIsTrusted() {
    assertEquals("10.0.0.1", PRIVATE.clientIp("10.0.0.1", List.of()));
    assertEquals("10.0.0.1", PRIVATE.clientIp("10.0.0.1", List.of("unknown")));
    assertEquals("192.168.1.1",
        PRIVATE.clientIp("10.0.0.1", List.of("1.2.3.4, evil, 192.168.1.1")));
    assertEquals("10.0.0.9", PRIVATE.clientIp("10.0.0.1", List.of("10.0.0.9")),
        "only trusted hops: the leftmost is the client");
  }
}
