package pulse.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pulse.http.ProxyTrust;

/**
 * Reads each part of {@link PulseConfig} from its section of the merged config tree, checking
 * every value: the first bad one stops start-up with its path in the file (and its environment
 * variable when it has one), its allowed range and what it got.
 */
final class SectionReaders {
  /** The port's name in messages, the same whether it came from the file or the environment. */
  static final String PORT = "port (PULSE_PORT)";
  /** 0: any free port (tests use it). */
  static final int MIN_PORT = 0;
  static final int MAX_PORT = 65535;
  private static final int PER_MINUTE_MAX = 100_000_000;
  /** Campaign tags, what analytics reports use of a query; as in the bundled pulse.json. */
  static final List<String> DEFAULT_QUERY_ALLOW_LIST = List.of("utm_source", "utm_medium",
      "utm_campaign", "utm_term", "utm_content", "ref", "source");

  private SectionReaders() {}

  static ServerConfig server(JsonSection top) {
    int port = top.intIn(PORT, "port", MIN_PORT, MAX_PORT);
    String host = top.text("host", "0.0.0.0");
    boolean trustProxy = top.bool("trustProxy", false);
    ProxyTrust proxies = proxies(top.path("trustedProxies"));
    String adminToken = top.textOrNull("adminToken");
    if (adminToken != null && adminToken.length() < 16) {
      throw new ConfigException("adminToken (PULSE_ADMIN_TOKEN) must be at least 16 characters");
    }
    // the list is checked even while trustProxy is off, so turning it on cannot meet a bad list
    return new ServerConfig(port, host, adminToken, trustProxy,
        trustProxy ? proxies : ProxyTrust.NONE, publicUrl(top.path("publicUrl")));
  }

  /** An absolute http(s) address with a host and nothing after its path; null when unset. */
  static String publicUrl(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String text = node.isTextual() ? node.asText().trim() : "";
    try {
      java.net.URI uri = new java.net.URI(text);
      if ((text.startsWith("http://") || text.startsWith("https://")) && uri.getHost() != null
          && uri.getQuery() == null && uri.getFragment() == null) {
        return text.replaceAll("/+$", "");
      }
    } catch (java.net.URISyntaxException e) {
      // refused below
    }
    throw new ConfigException("publicUrl (PULSE_PUBLIC_URL) must be the http:// or https://"
        + " address Pulse is reached at, such as https://pulse.example.com, got " + node);
  }

  static String redisUrl(JsonSection top) {
    JsonNode node = top.path("redisUrl");
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new ConfigException("redisUrl (PULSE_REDIS_URL) must be a redis:// URL, got "
          + (node.isTextual() ? "an empty string" : node.toString()));
    }
    for (String part : node.asText().split(",")) {
      String url = part.trim();
      if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
        throw new ConfigException(
            "redisUrl (PULSE_REDIS_URL) must be redis://host:port (comma-separated for a cluster), got '"
                + RedisUrls.withoutPassword(url) + "'");
      }
    }
    return node.asText().trim();
  }

  static Path sitesFile(JsonSection top) {
    return Path.of(top.text("sitesFile", "config/sites.json"));
  }

  /** Null (no countries) when unset or blank. */
  static Path geoipDb(JsonSection top) {
    String geoip = top.textOrNull("geoipDb");
    return geoip == null || geoip.isBlank() ? null : Path.of(geoip);
  }

  /** Null (the embedded store saves nothing) when null or empty. */
  static Path dataDir(JsonSection top) {
    JsonNode node = top.path("dataDir");
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new ConfigException("dataDir (PULSE_DATA_DIR) must be a directory, or \"\" to save"
          + " nothing, got " + node);
    }
    return node.asText().isBlank() ? null : Path.of(node.asText().trim());
  }

  static WindowConfig windows(JsonSection windows) {
    int max = windows.intIn("maxSeconds", 1, 3600);
    return new WindowConfig(windows.intIn("defaultSeconds", 1, max), max);
  }

  static LimitsConfig limits(JsonSection limits) {
    return new LimitsConfig(
        limits.intIn("maxBodyBytes", 1024, 16 * 1024 * 1024),
        limits.intIn("maxEventsPerRequest", 1, 1000),
        limits.intIn("maxPageviewsPerSite", 1000, 50_000_000),
        limits.intIn("maxVisitorsPerSite", 100, 10_000_000),
        limits.intIn("bufferEvents", 1, 10_000_000),
        limits.intIn("ingestPerIpPerMinute", 0, PER_MINUTE_MAX),
        limits.intIn("ingestPerSitePerMinute", 0, PER_MINUTE_MAX),
        limits.intIn("readsPerIpPerMinute", 0, PER_MINUTE_MAX));
  }

  static IngestConfig ingest(JsonSection ingest) {
    return new IngestConfig(queryAllowList(ingest.path("queryAllowList")));
  }

  static HttpLimits http(JsonSection http) {
    int body = http.intIn("bodyTimeoutMillis", 100, 600_000);
    int request = http.intIn("requestTimeoutMillis", 100, 3_600_000);
    if (request <= body) {
      // else a trickled body is cut off without its 408
      throw new ConfigException("http.requestTimeoutMillis (" + request
          + ") must be longer than http.bodyTimeoutMillis (" + body + ")");
    }
    return new HttpLimits(body, request, http.intIn("maxConnectionsPerIp", 1, 1_000_000));
  }

  static RealtimeConfig realtime(JsonSection realtime) {
    String ticketSecret = realtime.textOrNull("ticketSecret");
    if (ticketSecret != null && ticketSecret.length() < 16) {
      throw new ConfigException(
          "realtime.ticketSecret (PULSE_TICKET_SECRET) must be at least 16 characters");
    }
    return new RealtimeConfig(
        realtime.intIn("tickMillis", 20, 60_000),
        realtime.intIn("fallbackMillis", 20, 600_000),
        realtime.intIn("keepAliveMillis", 20, 600_000),
        realtime.intIn("maxStreams", 1, 1_000_000),
        realtime.intIn("maxStreamsPerIp", 1, 1_000_000),
        realtime.intIn("stuckStreamMillis", 100, 3_600_000),
        realtime.intIn("maxFiltersPerSite", 1, 1000),
        ticketSecret);
  }

  static SessionConfig sessions(JsonSection top) {
    return new SessionConfig(top.intIn("sessionGapMinutes", 1, 24 * 60),
        top.intIn("dayRetentionDays", 31, 400));
  }

  /** Each switch is on unless set to false. */
  static CompatConfig compat(JsonSection compat) {
    JsonNode node = compat.node();
    if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
      throw new ConfigException("compat must be an object of switches, got " + node);
    }
    return new CompatConfig(compat.bool("ztas", true), compat.bool("zenovay", true),
        compat.bool("versatailor", true), compat.bool("datafast", true),
        compat.bool("umami", true), compat.bool("plausibleTracker", true),
        compat.bool("umamiTracker", true), compat.bool("plausibleStats", true),
        compat.bool("fathom", true), compat.bool("matomo", true),
        compat.bool("matomoTracker", true), compat.bool("ga4", true),
        compat.bool("ga4Collect", true));
  }

  private static ProxyTrust proxies(JsonNode node) {
    String name = "trustedProxies (PULSE_TRUSTED_PROXIES)";
    if (!node.isArray() || node.isEmpty()) {
      throw new ConfigException(name + " must be a list of CIDR ranges such as 10.0.0.0/8, got "
          + (node.isMissingNode() ? "nothing" : node.toString()));
    }
    List<String> cidrs = new ArrayList<>();
    for (JsonNode cidr : node) {
      if (!cidr.isTextual()) {
        throw new ConfigException(name + " must hold CIDR ranges as strings, got " + cidr);
      }
      cidrs.add(cidr.asText());
    }
    try {
      return ProxyTrust.of(cidrs);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
  }

  /** Names of query parameters: letters, digits, '_', '-' or '.', at most 64 each. */
  private static List<String> queryAllowList(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return DEFAULT_QUERY_ALLOW_LIST;
    }
    String problem = "ingest.queryAllowList (PULSE_QUERY_ALLOWLIST) must be a list of parameter "
        + "names ([A-Za-z0-9_.-]{1,64}), got ";
    if (!node.isArray()) {
      throw new ConfigException(problem + node);
    }
    List<String> names = new ArrayList<>();
    for (JsonNode name : node) {
      if (!name.isTextual() || !name.asText().matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new ConfigException(problem + name);
      }
      names.add(name.asText());
    }
    return List.copyOf(names);
  }
}
