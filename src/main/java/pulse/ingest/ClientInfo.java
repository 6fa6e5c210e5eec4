package pulse.ingest;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.Locale;
import java.util.function.UnaryOperator;
import pulse.http.IpAddresses;
import pulse.http.ProxyTrust;

/**
 * Where a request came from: the client IP and, when a trusted proxy hands the request on, the
 * country it names. Which proxies are trusted, and how the address is picked, is {@link ProxyTrust}.
 */
public final class ClientInfo {
  private ClientInfo() {}

  /** The client IP text: the socket peer's, or the one trusted proxies name in X-Forwarded-For. */
  public static String ip(HttpServerRequest request, ProxyTrust proxies) {
    return proxies.clientIp(peer(request), request.headers().getAll("X-Forwarded-For"));
  }

  /** CF-IPCountry or X-Country-Code, upper case, when the socket peer is a trusted proxy. */
  public static String countryHeader(HttpServerRequest request, ProxyTrust proxies) {
    return countryHeader(proxies, peer(request), request::getHeader);
  }

  /**
   * As {@link #countryHeader(HttpServerRequest, ProxyTrust)}, from the peer address and a header
   * lookup: null unless the peer is trusted and a header holds a valid country code.
   */
  static String countryHeader(ProxyTrust proxies, String peer, UnaryOperator<String> header) {
    if (!proxies.trusts(peer)) {
      return null;
    }
    for (String name : new String[] {"CF-IPCountry", "X-Country-Code"}) {
      String value = header.apply(name);
      if (value != null) {
        String code = value.trim().toUpperCase(Locale.ROOT);
        if (Countries.isValid(code)) {
          return code;
        }
      }
    }
    return null;
  }

  /** Parses an IP literal without any DNS lookup; null when the text is not an IP address. */
  public static InetAddress literal(String ip) {
    return IpAddresses.literal(ip);
  }

  private static String peer(HttpServerRequest request) {
    return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
  }
}
