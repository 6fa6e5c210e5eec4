package pulse.ingest;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Where a request came from: the client IP and, behind a trusted proxy, its country header. */
public final class ClientInfo {
  private ClientInfo() {}

  /** The client IP text: X-Forwarded-For's first entry behind a trusted proxy, else the socket's. */
  public static String ip(HttpServerRequest request, boolean trustProxy) {
    if (trustProxy) {
      String forwarded = request.getHeader("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        String first = forwarded.split(",", 2)[0].trim();
        if (!first.isEmpty() && first.length() <= 45) {
          return first;
        }
      }
    }
    return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
  }

  /** CF-IPCountry or X-Country-Code, upper case, when the proxy is trusted and says a valid code. */
  public static String countryHeader(HttpServerRequest request, boolean trustProxy) {
    if (!trustProxy) {
      return null;
    }
    for (String name : new String[] {"CF-IPCountry", "X-Country-Code"}) {
      String value = request.getHeader(name);
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
    boolean v4 = ip != null && ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = ip != null && ip.indexOf(':') >= 0 && ip.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
