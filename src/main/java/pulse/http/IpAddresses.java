package pulse.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** IP address literals (parsed without any DNS lookup) and the key per-address limits count by. */
public final class IpAddresses {
  // compiled once: every request's address goes through these (String.matches compiled them per
  // call, 11% of Pulse's CPU under many small sites' single events)
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpAddresses() {}

  /** Parses an IP literal without any DNS lookup; null when the text is not an IP address. */
  public static InetAddress literal(String ip) {
    try {
      if (ip != null && IPV4.matcher(ip).matches()) {
        // built from its bytes: InetAddress.getByName would ask DNS about "300.1.1.1"
        String[] parts = ip.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            return null;
          }
          bytes[i] = (byte) octet;
        }
        return InetAddress.getByAddress(bytes);
      }
      if (ip != null && ip.indexOf(':') >= 0 && IPV6_CHARS.matcher(ip).matches()) {
        // in brackets the JDK parses it as an IPv6 literal or refuses it, and never asks DNS
        return InetAddress.getByName("[" + ip + "]");
      }
      return null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * What rate limits, stream caps and the connection cap count an address by: an IPv4 address
   * whole, an IPv6 address by its /64 prefix (one subscriber usually holds a whole /64, so
   * counting single IPv6 addresses would let one client take 2^64 of them). IPv4-mapped IPv6
   * addresses count as their IPv4 address; text that is no IP address counts as itself.
   */
  public static String limitKey(String ip) {
    InetAddress address = literal(ip);
    if (address == null) {
      return ip == null ? "" : ip;
    }
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }
}
