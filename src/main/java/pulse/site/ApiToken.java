package pulse.site;

import java.util.List;
import java.util.Set;

/**
 * A read token as the sites file holds it: only the SHA-256 of the token text, never the text.
 *
 * @param sites site ids the token reads, or "*" for every site
 */
public record ApiToken(byte[] sha256, Set<String> sites, Set<String> scopes) {
  public static final String REALTIME_READ = "realtime:read";
  public static final String ANALYTICS_READ = "analytics:read";
  /** Sending events where a protocol carries a key (GA4's api_secret, Matomo's token_auth). */
  public static final String COLLECT = "collect";
  /** Lists a site's alert rules and their state (GET /api/sites/{site}/alerts). */
  public static final String ALERTS_READ = "alerts:read";
  /** Every scope a token may hold; the sites file refuses any other. */
  public static final List<String> SCOPES =
      List.of(REALTIME_READ, ANALYTICS_READ, COLLECT, ALERTS_READ);

  public boolean coversSite(String siteId) {
    return sites.contains("*") || sites.contains(siteId);
  }

  /** Bound to exactly this one site (not a wildcard, not several sites). */
  public boolean boundOnlyTo(String siteId) {
    return sites.size() == 1 && sites.contains(siteId);
  }
}
