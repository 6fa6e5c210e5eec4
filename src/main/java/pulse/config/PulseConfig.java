package pulse.config;

import java.nio.file.Path;

/**
 * Everything Pulse is configured with, read once at start-up by {@link ConfigLoader}; its parts
 * mirror the sections of pulse.json.
 *
 * @param server where Pulse listens and whom it believes (top-level port, host, adminToken,
 *     trustProxy, trustedProxies)
 * @param redisUrl null for the embedded store; one or more comma-separated redis:// URLs otherwise
 *     (several URLs mean a Redis Cluster) (PULSE_REDIS_URL)
 * @param sitesFile the file of sites and their tokens (PULSE_SITES)
 * @param geoipDb the IP-to-country .mmdb file (PULSE_GEOIP_DB); null: no countries
 * @param dataDir where the embedded store saves its day figures and history (PULSE_DATA_DIR);
 *     null: nothing is saved (used only without Redis)
 * @param windows the sliding windows figures are counted over ("windows")
 * @param limits what one request, site or client address may cost ("limits")
 * @param ingest how incoming events are cleaned ("ingest")
 * @param http the slow-client limits of the HTTP server ("http")
 * @param realtime how live figures reach dashboards ("realtime")
 * @param sessions the session gap and how long daily figures are kept (top-level
 *     sessionGapMinutes, dayRetentionDays)
 * @param compat which compatibility APIs and tracker endpoints are served ("compat")
 */
public record PulseConfig(
    ServerConfig server,
    String redisUrl,
    Path sitesFile,
    Path geoipDb,
    Path dataDir,
    WindowConfig windows,
    LimitsConfig limits,
    IngestConfig ingest,
    HttpLimits http,
    RealtimeConfig realtime,
    SessionConfig sessions,
    CompatConfig compat) {

  public boolean usesRedis() {
    return redisUrl != null;
  }
}
