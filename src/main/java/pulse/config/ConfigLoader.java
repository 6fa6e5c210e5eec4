package pulse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads pulse.json, applies the PULSE_* environment overrides and has {@link SectionReaders}
 * validate every value, so that Pulse never starts half-configured: the first bad value stops
 * start-up with its name.
 */
public final class ConfigLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Every setting a config file may hold, by its path; any other key stops start-up as a typo.
   * A new setting adds its one line here.
   */
  static final List<String> KEYS = List.of(
      "port",
      "host",
      "redisUrl",
      "sitesFile",
      "trustProxy",
      "trustedProxies",
      "adminToken",
      "publicUrl",
      "geoipDb",
      "dataDir",
      "windows.defaultSeconds",
      "windows.maxSeconds",
      "limits.maxBodyBytes",
      "limits.maxEventsPerRequest",
      "limits.maxPageviewsPerSite",
      "limits.maxVisitorsPerSite",
      "limits.bufferEvents",
      "limits.ingestPerIpPerMinute",
      "limits.ingestPerSitePerMinute",
      "limits.readsPerIpPerMinute",
      "ingest.queryAllowList",
      "http.bodyTimeoutMillis",
      "http.requestTimeoutMillis",
      "http.maxConnectionsPerIp",
      "realtime.tickMillis",
      "realtime.fallbackMillis",
      "realtime.keepAliveMillis",
      "realtime.maxStreams",
      "realtime.maxStreamsPerIp",
      "realtime.stuckStreamMillis",
      "realtime.maxFiltersPerSite",
      "realtime.ticketSecret",
      "sessionGapMinutes",
      "dayRetentionDays",
      "compat.ztas",
      "compat.zenovay",
      "compat.versatailor",
      "compat.datafast",
      "compat.umami",
      "compat.plausibleTracker",
      "compat.umamiTracker",
      "compat.plausibleStats",
      "compat.fathom",
      "compat.matomo",
      "compat.matomoTracker",
      "compat.ga4",
      "compat.ga4Collect");

  private ConfigLoader() {}

  /** Defaults from the bundled pulse.json, then the file named by PULSE_CONFIG, then the environment. */
  public static PulseConfig load(Map<String, String> env) {
    ObjectNode tree = defaults();
    String configPath = env.get("PULSE_CONFIG");
    Path file = configPath != null ? Path.of(configPath) : Path.of("config/pulse.json");
    if (configPath != null || Files.isRegularFile(file)) {
      merge(tree, readFile(file));
    }
    applyEnv(tree, env);
    return fromJson(tree);
  }

  /** The bundled defaults (a copy of config/pulse.json packed into the jar). */
  public static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/pulse.json")) {
      if (in == null) {
        throw new ConfigException("config/pulse.json is missing from the classpath");
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new ConfigException("cannot read the bundled defaults: " + e.getMessage(), e);
    }
  }

  private static JsonNode readFile(Path file) {
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new ConfigException("config file " + file + " must hold a JSON object");
      }
      checkKeys(node, "", file.toString());
      return node;
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a key that is not a setting, naming the file and the key's path, with the nearest
   * setting of the same object when there is one ({@code limits.maxBodyByte: unknown field (did
   * you mean "maxBodyBytes"?)}).
   */
  static void checkKeys(JsonNode node, String parent, String source) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      String path = parent + name;
      JsonNode value = node.get(name);
      if (KEYS.contains(path)) {
        continue;
      }
      List<String> siblings = children(parent);
      if (!siblings.contains(name)) {
        throw new ConfigException(source + ": " + path + ": unknown field"
            + Suggestions.didYouMean(name, siblings));
      }
      if (value.isObject()) {
        checkKeys(value, path + ".", source);
      }
    }
  }

  /** The names one level below a path prefix ("" for the top, "limits." for limits). */
  private static List<String> children(String parent) {
    List<String> names = new ArrayList<>();
    for (String key : KEYS) {
      if (key.startsWith(parent)) {
        String rest = key.substring(parent.length());
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** Deep merge: objects merge key by key, anything else replaces. */
  public static void merge(ObjectNode target, JsonNode source) {
    source.fields().forEachRemaining(entry -> {
      JsonNode existing = target.get(entry.getKey());
      if (existing instanceof ObjectNode obj && entry.getValue().isObject()) {
        merge(obj, entry.getValue());
      } else {
        target.set(entry.getKey(), entry.getValue());
      }
    });
  }

  private static void applyEnv(ObjectNode tree, Map<String, String> env) {
    String port = env.get("PULSE_PORT");
    if (port != null) {
      try {
        tree.put("port", Integer.parseInt(port.trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(SectionReaders.PORT + " must be a whole number from "
            + SectionReaders.MIN_PORT + " to " + SectionReaders.MAX_PORT + ", got '" + port + "'");
      }
    }
    String redis = env.get("PULSE_REDIS_URL");
    if (redis != null && !redis.isBlank()) {
      tree.put("redisUrl", redis.trim());
    }
    String sites = env.get("PULSE_SITES");
    if (sites != null && !sites.isBlank()) {
      tree.put("sitesFile", sites.trim());
    }
    String trust = env.get("PULSE_TRUST_PROXY");
    if (trust != null) {
      String t = trust.trim().toLowerCase();
      if (!t.equals("true") && !t.equals("false")) {
        throw new ConfigException("PULSE_TRUST_PROXY must be true or false, got '" + trust + "'");
      }
      tree.put("trustProxy", Boolean.parseBoolean(t));
    }
    String proxies = env.get("PULSE_TRUSTED_PROXIES");
    if (proxies != null && !proxies.isBlank()) {
      ArrayNode list = tree.putArray("trustedProxies");
      for (String cidr : proxies.split(",")) {
        list.add(cidr.trim());
      }
    }
    String perIp = env.get("PULSE_MAX_CONNECTIONS_PER_IP");
    if (perIp != null) {
      try {
        ((ObjectNode) tree.with("http")).put("maxConnectionsPerIp", Integer.parseInt(perIp.trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "PULSE_MAX_CONNECTIONS_PER_IP must be a whole number, got '" + perIp + "'");
      }
    }
    String admin = env.get("PULSE_ADMIN_TOKEN");
    if (admin != null && !admin.isBlank()) {
      tree.put("adminToken", admin);
    }
    String ticketSecret = env.get("PULSE_TICKET_SECRET");
    if (ticketSecret != null && !ticketSecret.isBlank()) {
      ((ObjectNode) tree.with("realtime")).put("ticketSecret", ticketSecret);
    }
    String allowList = env.get("PULSE_QUERY_ALLOWLIST");
    if (allowList != null) {
      // comma-separated; empty keeps no query parameter at all
      ArrayNode names = ((ObjectNode) tree.with("ingest")).putArray("queryAllowList");
      for (String name : allowList.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    String publicUrl = env.get("PULSE_PUBLIC_URL");
    if (publicUrl != null && !publicUrl.isBlank()) {
      tree.put("publicUrl", publicUrl.trim());
    }
    String geoip = env.get("PULSE_GEOIP_DB");
    if (geoip != null && !geoip.isBlank()) {
      tree.put("geoipDb", geoip.trim());
    }
    String dataDir = env.get("PULSE_DATA_DIR");
    if (dataDir != null) {
      // set but empty turns saving off, as "dataDir": "" does
      tree.put("dataDir", dataDir.trim());
    }
  }

  /**
   * The configuration in a merged tree (defaults, file and environment), read part by part; of
   * several bad values, the first one read is named.
   */
  public static PulseConfig fromJson(JsonNode tree) {
    JsonSection top = JsonSection.top(tree);
    ServerConfig server = SectionReaders.server(top);
    String redisUrl = SectionReaders.redisUrl(top);
    Path sitesFile = SectionReaders.sitesFile(top);
    Path geoipDb = SectionReaders.geoipDb(top);
    Path dataDir = SectionReaders.dataDir(top);
    WindowConfig windows = SectionReaders.windows(top.section("windows"));
    LimitsConfig limits = SectionReaders.limits(top.section("limits"));
    IngestConfig ingest = SectionReaders.ingest(top.section("ingest"));
    RealtimeConfig realtime = SectionReaders.realtime(top.section("realtime"));
    SessionConfig sessions = SectionReaders.sessions(top);
    CompatConfig compat = SectionReaders.compat(top.section("compat"));
    HttpLimits http = SectionReaders.http(top.section("http"));
    return new PulseConfig(server, redisUrl, sitesFile, geoipDb, dataDir, windows, limits, ingest, http,
        realtime, sessions, compat);
  }
}
