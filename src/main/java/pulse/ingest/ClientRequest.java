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
 */
public record ClientRequest(String ip, String userAgent, String origin, String countryHeader) {

  public static ClientRequest of(HttpServerRequest request, ProxyTrust proxies) {
    return new ClientRequest(ClientInfo.ip(request, proxies), request.getHeader("User-Agent"),
        request.getHeader("Origin"), ClientInfo.countryHeader(request, proxies));
  }
}
