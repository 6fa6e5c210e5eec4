package pulse.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which socket peers are trusted reverse proxies, and so which client address a request stands
 * for. X-Forwarded-For is read from the right, and only while the address that handed the request
 * on is a trusted proxy: a client that is not a trusted proxy cannot name any address but its own.
 */
public final class ProxyTrust {
  /** Loopback and private ranges: where a reverse proxy in front of Pulse usually sits. */
  public static final List<String> DEFAULT_RANGES = List.of("127.0.0.0/8", "::1/128",
      "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");

  /** Trusts no peer: every request stands for its socket peer. */
  public static final ProxyTrust NONE = new ProxyTrust(List.of());

  private record Range(byte[] network, int prefixBits) {
    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int whole = prefixBits / 8;
      for (int i = 0; i < whole; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (bytes[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Range> ranges;

  private ProxyTrust(List<Range> ranges) {
    this.ranges = ranges;
  }

  /**
   * Trusts the given CIDR ranges (IPv4 or IPv6, e.g. 10.0.0.0/8, fd00::/8; a bare address means
   * that one address).
   *
   * @throws IllegalArgumentException naming the first value that is no CIDR range
   */
  public static ProxyTrust of(List<String> cidrs) {
    List<Range> ranges = new ArrayList<>();
    for (String cidr : cidrs) {
      ranges.add(range(cidr));
    }
    return new ProxyTrust(List.copyOf(ranges));
  }

  private static Range range(String cidr) {
    String text = cidr == null ? "" : cidr.trim();
    int slash = text.indexOf('/');
    InetAddress address = IpAddresses.literal(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range such as 10.0.0.0/8 or fd00::/8");
    }
    int max = address.getAddress().length * 8;
    int bits = max;
    if (slash >= 0) {
      String suffix = text.substring(slash + 1);
      if (!suffix.matches("[0-9]{1,3}") || Integer.parseInt(suffix) > max) {
        throw new IllegalArgumentException("'" + cidr + "' has no prefix length from 0 to " + max);
      }
      bits = Integer.parseInt(suffix);
    }
    return new Range(address.getAddress(), bits);
  }

  /** Whether this IP address text is one of a trusted proxy. */
  public boolean trusts(String ip) {
    if (ranges.isEmpty()) {
      return false;
    }
    InetAddress address = IpAddresses.literal(ip);
    if (address == null) {
      return false;
    }
    for (Range range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client address a request stands for. Starting at the socket peer, while the current
   * address is a trusted proxy, the next X-Forwarded-For entry from the right is taken (the
   * address that proxy says it got the request from); the walk stops at the first address that is
   * not trusted, or at an entry that is no IP address (the current one is kept then).
   *
   * @param peer the socket peer's address
   * @param forwardedFor every X-Forwarded-For header value, in order (each comma-separated)
   */
  public String clientIp(String peer, List<String> forwardedFor) {
    String current = peer == null ? "" : peer;
    if (!trusts(current) || forwardedFor == null || forwardedFor.isEmpty()) {
      return current;
    }
    List<String> entries = new ArrayList<>();
    for (String value : forwardedFor) {
      for (String entry : value.split(",")) {
        entries.add(entry.trim());
      }
    }
    for (int i = entries.size() - 1; i >= 0 && trusts(current); i--) {
      String entry = withoutPort(entries.get(i));
      if (IpAddresses.literal(entry) == null) {
        break;
      }
      current = entry;
    }
    return current;
  }

  /** "203.0.113.9:4711" and "[2001:db8::1]:4711" name their address; others stay as they are. */
  private static String withoutPort(String entry) {
    if (entry.startsWith("[") && entry.indexOf(']') > 0) {
      return entry.substring(1, entry.indexOf(']'));
    }
    int colon = entry.indexOf(':');
    if (colon > 0 && colon == entry.lastIndexOf(':') && entry.indexOf('.') > 0) {
      return entry.substring(0, colon);
    }
    return entry;
  }
}
