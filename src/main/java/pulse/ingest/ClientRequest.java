package pulse.ingest;

import io.vertx.core.http.HttpServerRequest;
import pulse.http.ProxyTrust;

/**
 * What ingest needs to know of the request that carried events, read once by the route.
 *
 * @param ip the client address (the socket peer's, or the one trusted proxies name); used for
 *     limits, the country and the visitor id, and never stored
 * @param userAgent the User-Agent header, null when absent
 * @param origin the Origin header, null when absent
 * @param countryHeader the country a trusted proxy named, null when none did
 * @param visitorKey for a server that sends its visitors' events (GA4's Measurement Protocol):
 *     the sender's id of the visitor, hashed with the day's salt in place of the address and
 *     the user agent, which are the server's; null for a browser's request
 * @param device what such a sender says of the visitor's browser, OS and device, in place of
 *     its own User-Agent (never a bot: the sender vouches for its events); null for a browser
 */
public record ClientRequest(String ip, String userAgent, String origin, String countryHeader,
    String visitorKey, UserAgents.Agent device) {

  public ClientRequest(String ip, String userAgent, String origin, String countryHeader) {
    this(ip, userAgent, origin, countryHeader, null, null);
  }

  public static ClientRequest of(HttpServerRequest request, ProxyTrust proxies) {
    return new ClientRequest(ClientInfo.ip(request, proxies), request.getHeader("User-Agent"),
        request.getHeader("Origin"), ClientInfo.countryHeader(request, proxies));
  }
}
