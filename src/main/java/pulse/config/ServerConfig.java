package pulse.config;

import pulse.http.ProxyTrust;

/**
 * Where Pulse listens and whom it believes (the top-level keys of pulse.json: port, host,
 * adminToken, trustProxy, trustedProxies).
 *
 * @param port the TCP port the HTTP server listens on (PULSE_PORT); 0: any free port (tests use
 *     it)
 * @param host the address the HTTP server binds to: 0.0.0.0 or :: for every interface
 * @param adminToken the bearer token that guards /metrics, at least 16 characters
 *     (PULSE_ADMIN_TOKEN); null: /metrics is open
 * @param trustProxy whether Pulse runs behind a reverse proxy whose X-Forwarded-For and country
 *     headers it may believe (PULSE_TRUST_PROXY)
 * @param proxies the peers whose X-Forwarded-For and country headers are believed, from
 *     trustedProxies (PULSE_TRUSTED_PROXIES); {@link ProxyTrust#NONE} unless trustProxy
 * @param publicUrl the http(s) address people reach Pulse at, without a trailing slash
 *     (PULSE_PUBLIC_URL): alerts link to dashboards under it; null: links are paths
 */
public record ServerConfig(int port, String host, String adminToken, boolean trustProxy,
    ProxyTrust proxies, String publicUrl) {
  /** Without a public address. */
  public ServerConfig(int port, String host, String adminToken, boolean trustProxy,
      ProxyTrust proxies) {
    this(port, host, adminToken, trustProxy, proxies, null);
  }
}
