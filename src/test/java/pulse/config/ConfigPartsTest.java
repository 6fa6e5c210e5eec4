package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.http.ProxyTrust;

/** Each value of pulse.json lands in the part of {@link PulseConfig} that mirrors its section. */
class ConfigPartsTest {

  @Test
  void theShippedConfigFileFillsEveryPart() {
    PulseConfig config = ConfigLoader.load(Map.of("PULSE_CONFIG", "config/pulse.json"));
    ServerConfig server = config.server();
    assertEquals(8080, server.port());
    assertEquals("0.0.0.0", server.host());
    assertNull(server.adminToken());
    assertFalse(server.trustProxy());
    assertSame(ProxyTrust.NONE, server.proxies(), "no proxy is believed without trustProxy");
    assertNull(config.redisUrl());
    assertFalse(config.usesRedis());
    assertEquals(Path.of("config/sites.json"), config.sitesFile());
    assertEquals(Path.of("data/geoip/country.mmdb"), config.geoipDb());
    assertEquals(new WindowConfig(300, 3600), config.windows());
    assertEquals(new LimitsConfig(65536, 100, 1_000_000, 200_000, 100_000, 1200, 0, 1200),
        config.limits());
    assertEquals(new IngestConfig(List.of("utm_source", "utm_medium", "utm_campaign", "utm_term",
        "utm_content", "ref", "source")), config.ingest());
    assertEquals(new HttpLimits(10_000, 30_000, 64), config.http());
    assertEquals(new RealtimeConfig(1000, 5000, 15_000, 20_000, 100, 60_000, 16, null),
        config.realtime());
    assertEquals(new SessionConfig(30, 40), config.sessions());
    assertEquals(30 * 60_000L, config.sessions().sessionGapMillis());
    assertEquals(CompatConfig.ALL, config.compat());
  }

  /** Every value different, so that two settings swapped between components would show. */
  @Test
  void eachSettingLandsInItsOwnComponent() {
    ObjectNode tree = ConfigLoader.defaults();
    tree.put("port", 8081).put("host", "127.0.0.2").put("adminToken", "admin-token-0123456")
        .put("trustProxy", true).put("redisUrl", "redis://127.0.0.1:6390")
        .put("sitesFile", "other/sites.json").put("geoipDb", "other/country.mmdb")
        .put("sessionGapMinutes", 31).put("dayRetentionDays", 41);
    tree.putArray("trustedProxies").add("203.0.113.0/24");
    tree.putObject("windows").put("defaultSeconds", 301).put("maxSeconds", 3599);
    tree.putObject("limits").put("maxBodyBytes", 65537).put("maxEventsPerRequest", 101)
        .put("maxPageviewsPerSite", 1_000_001).put("maxVisitorsPerSite", 200_001)
        .put("bufferEvents", 100_001).put("ingestPerIpPerMinute", 1201)
        .put("ingestPerSitePerMinute", 7).put("readsPerIpPerMinute", 1202);
    tree.putObject("ingest").putArray("queryAllowList").add("gclid");
    tree.putObject("http").put("bodyTimeoutMillis", 10_001).put("requestTimeoutMillis", 30_001)
        .put("maxConnectionsPerIp", 65);
    tree.putObject("realtime").put("tickMillis", 1001).put("fallbackMillis", 5001)
        .put("keepAliveMillis", 15_001).put("maxStreams", 20_001).put("maxStreamsPerIp", 99)
        .put("stuckStreamMillis", 60_001).put("maxFiltersPerSite", 17)
        .put("ticketSecret", "ticket-secret-0123456");
    tree.putObject("compat").put("ztas", false).put("zenovay", true).put("versatailor", false)
        .put("datafast", true).put("umami", false).put("plausibleTracker", true)
        .put("umamiTracker", false);

    PulseConfig config = ConfigLoader.fromJson(tree);
    ServerConfig server = config.server();
    assertEquals(8081, server.port());
    assertEquals("127.0.0.2", server.host());
    assertEquals("admin-token-0123456", server.adminToken());
    assertTrue(server.trustProxy());
    assertTrue(server.proxies().trusts("203.0.113.9"));
    assertFalse(server.proxies().trusts("127.0.0.1"), "the list replaces the default one");
    assertEquals("redis://127.0.0.1:6390", config.redisUrl());
    assertTrue(config.usesRedis());
    assertEquals(Path.of("other/sites.json"), config.sitesFile());
    assertEquals(Path.of("other/country.mmdb"), config.geoipDb());
    assertEquals(new WindowConfig(301, 3599), config.windows());
    assertEquals(new LimitsConfig(65537, 101, 1_000_001, 200_001, 100_001, 1201, 7, 1202),
        config.limits());
    assertEquals(new IngestConfig(List.of("gclid")), config.ingest());
    assertEquals(new HttpLimits(10_001, 30_001, 65), config.http());
    assertEquals(new RealtimeConfig(1001, 5001, 15_001, 20_001, 99, 60_001, 17,
        "ticket-secret-0123456"), config.realtime());
    assertEquals(new SessionConfig(31, 41), config.sessions());
    assertEquals(31 * 60_000L, config.sessions().sessionGapMillis());
    assertEquals(new CompatConfig(false, true, false, true, false, true, false), config.compat());
  }
}
