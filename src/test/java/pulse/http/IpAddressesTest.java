package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class IpAddressesTest {
  @Test
  void anIpv4AddressIsItsOwnLimitKey() {
    assertEquals("203.0.113.9", IpAddresses.limitKey("203.0.113.9"));
    assertEquals("203.0.113.9", IpAddresses.limitKey("::ffff:203.0.113.9"),
        "an IPv4-mapped IPv6 address counts as its IPv4 address");
  }

  @Test
  void anIpv6AddressCountsByItsSlash64() {
    String key = IpAddresses.limitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    assertEquals("2001:db8:1:2:0:0:0:0/64", key);
    assertEquals(key, IpAddresses.limitKey("2001:db8:1:2::1"), "same /64, same key");
    assertEquals(key, IpAddresses.limitKey("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff"));
    assertEquals("2001:db8:1:3:0:0:0:0/64", IpAddresses.limitKey("2001:db8:1:3::1"),
        "the next /64 is another client");
    assertEquals("0:0:0:0:0:0:0:0/64", IpAddresses.limitKey("::1"));
  }

  @Test
  void textThatIsNoAddressCountsAsItself() {
    assertEquals("", IpAddresses.limitKey(""));
    assertEquals("", IpAddresses.limitKey(null));
    assertEquals("example.com", IpAddresses.limitKey("example.com"));
    assertEquals("300.1.1.1", IpAddresses.limitKey("300.1.1.1"));
  }

  @Test
  void literalsAreParsedWithoutLookingAnythingUp() {
    assertEquals("10.1.2.3", IpAddresses.literal("10.1.2.3").getHostAddress());
    assertNull(IpAddresses.literal("300.1.1.1"));
    assertNull(IpAddresses.literal("localhost"));
    assertNull(IpAddresses.literal("1:2"));
    assertNull(IpAddresses.literal("fe80::1%eth0"));
  }
}
