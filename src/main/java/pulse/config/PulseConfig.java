package pulse.config;

import java.nio.file.Path;
import java.util.List;
import pulse.http.ProxyTrust;

/**
 * Everything Pulse is configured with, read once at start-up by {@link ConfigLoader}.
 *
 * @param ticketSecret the HMAC secret of stream tickets, the same on every instance; null: a
 *     random one per start (fine for a single instance)
 * @param redisUrl null for the embedded store; one or more comma-separated redis:// URLs otherwise
 *     (several URLs mean a Redis Cluster)
 * @param ingestPerIpPerMinute ingest requests one client address may send per minute; 0: no limit
 * @param ingestPerSitePerMinute ingest requests one site may receive per minute; 0: no limit
 * @param readsPerIpPerMinute reads of figures (snapshots, compatible APIs, badges, stream opens)
 *     one client address may make per minute; 0: no limit
 * @param queryAllowList the page-URL query parameters kept at ingest; every other one is dropped
 * @param compat which compatibility APIs and tracker endpoints are served
 * @param http the slow-client limits of the HTTP server
 * @param proxies the peers whose X-Forwarded-For and country headers are believed; none unless
 *     trustProxy
 */
public record PulseConfig(
    int port,
    String host,
    String redisUrl,
    Path sitesFile,
    boolean trustProxy,
    String adminToken,
    Path geoipDb,
    int defaultWindowSeconds,
    int maxWindowSeconds,
    int maxBodyBytes,
    int maxEventsPerRequest,
    int maxPageviewsPerSite,
    int maxVisitorsPerSite,
    int bufferEvents,
    int ingestPerIpPerMinute,
    int ingestPerSitePerMinute,
    int readsPerIpPerMinute,
    List<String> queryAllowList,
    long tickMillis,
    long fallbackMillis,
    long keepAliveMillis,
    int maxStreams,
    int maxStreamsPerIp,
    long stuckStreamMillis,
    String ticketSecret,
    int sessionGapMinutes,
    int dayRetentionDays,
    CompatConfig compat,
    HttpLimits http,
    ProxyTrust proxies) {

  public boolean usesRedis() {
    return redisUrl != null;
  }

  public long sessionGapMillis() {
    return sessionGapMinutes * 60_000L;
  }
}
