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
import pulse.http.ProxyTrust;

/**
 * Reads pulse.json, applies the PULSE_* environment overrides and validates every value, so that
 * Pulse never starts half-configured: the first bad value stops start-up with its name.
 */
public final class ConfigLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Campaign tags, what analytics reports use of a query; as in the bundled pulse.json. */
  static final List<String> DEFAULT_QUERY_ALLOW_LIST = List.of("utm_source", "utm_medium",
      "utm_campaign", "utm_term", "utm_content", "ref", "source");

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
      "geoipDb",
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
      "realtime.ticketSecret",
      "sessionGapMinutes",
      "dayRetentionDays",
      "compat.ztas",
      "compat.zenovay",
      "compat.versatailor",
      "compat.datafast",
      "compat.umami",
      "compat.plausibleTracker",
      "compat.umamiTracker");

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
        throw new ConfigException(PORT + " must be a whole number from " + MIN_PORT + " to "
            + MAX_PORT + ", got '" + port + "'");
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
      com.fasterxml.jackson.databind.node.ArrayNode names =
          ((ObjectNode) tree.with("ingest")).putArray("queryAllowList");
      for (String name : allowList.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    String geoip = env.get("PULSE_GEOIP_DB");
    if (geoip != null && !geoip.isBlank()) {
      tree.put("geoipDb", geoip.trim());
    }
  }

  /** The port's name in messages, the same whether it came from the file or the environment. */
  private static final String PORT = "port (PULSE_PORT)";
  /** 0: any free port (tests use it). */
  private static final int MIN_PORT = 0;
  private static final int MAX_PORT = 65535;

  public static PulseConfig fromJson(JsonNode tree) {
    int port = intIn(tree, PORT, "port", MIN_PORT, MAX_PORT);
    String host = text(tree, "host", "0.0.0.0");
    String redisUrl = redisUrl(tree.path("redisUrl"));
    Path sitesFile = Path.of(text(tree, "sitesFile", "config/sites.json"));
    boolean trustProxy = bool(tree, "trustProxy");
    ProxyTrust proxies = proxies(tree.path("trustedProxies"));
    String adminToken = tree.path("adminToken").isTextual() ? tree.path("adminToken").asText() : null;
    if (adminToken != null && adminToken.length() < 16) {
      throw new ConfigException("adminToken (PULSE_ADMIN_TOKEN) must be at least 16 characters");
    }
    String geoip = tree.path("geoipDb").isTextual() ? tree.path("geoipDb").asText() : null;
    JsonNode windows = tree.path("windows");
    int maxWindow = intIn(windows, "windows.maxSeconds", "maxSeconds", 1, 3600);
    int defWindow = intIn(windows, "windows.defaultSeconds", "defaultSeconds", 1, maxWindow);
    JsonNode limits = tree.path("limits");
    JsonNode realtime = tree.path("realtime");
    String ticketSecret = realtime.path("ticketSecret").isTextual()
        ? realtime.path("ticketSecret").asText() : null;
    if (ticketSecret != null && ticketSecret.length() < 16) {
      throw new ConfigException(
          "realtime.ticketSecret (PULSE_TICKET_SECRET) must be at least 16 characters");
    }
    return new PulseConfig(
        port,
        host,
        redisUrl,
        sitesFile,
        trustProxy,
        adminToken,
        geoip == null || geoip.isBlank() ? null : Path.of(geoip),
        defWindow,
        maxWindow,
        intIn(limits, "limits.maxBodyBytes", "maxBodyBytes", 1024, 16 * 1024 * 1024),
        intIn(limits, "limits.maxEventsPerRequest", "maxEventsPerRequest", 1, 1000),
        intIn(limits, "limits.maxPageviewsPerSite", "maxPageviewsPerSite", 1000, 50_000_000),
        intIn(limits, "limits.maxVisitorsPerSite", "maxVisitorsPerSite", 100, 10_000_000),
        intIn(limits, "limits.bufferEvents", "bufferEvents", 1, 10_000_000),
        intIn(limits, "limits.ingestPerIpPerMinute", "ingestPerIpPerMinute", 0, 100_000_000),
        intIn(limits, "limits.ingestPerSitePerMinute", "ingestPerSitePerMinute", 0, 100_000_000),
        intIn(limits, "limits.readsPerIpPerMinute", "readsPerIpPerMinute", 0, 100_000_000),
        queryAllowList(tree.path("ingest").path("queryAllowList")),
        intIn(realtime, "realtime.tickMillis", "tickMillis", 20, 60_000),
        intIn(realtime, "realtime.fallbackMillis", "fallbackMillis", 20, 600_000),
        intIn(realtime, "realtime.keepAliveMillis", "keepAliveMillis", 20, 600_000),
        intIn(realtime, "realtime.maxStreams", "maxStreams", 1, 1_000_000),
        intIn(realtime, "realtime.maxStreamsPerIp", "maxStreamsPerIp", 1, 1_000_000),
        intIn(realtime, "realtime.stuckStreamMillis", "stuckStreamMillis", 100, 3_600_000),
        ticketSecret,
        intIn(tree, "sessionGapMinutes", 1, 24 * 60),
        intIn(tree, "dayRetentionDays", 31, 400),
        compat(tree.path("compat")),
        httpLimits(tree.path("http")),
        // checked even while trustProxy is off, so turning it on cannot meet a bad list
        trustProxy ? proxies : ProxyTrust.NONE);
  }

  private static HttpLimits httpLimits(JsonNode http) {
    int body = intIn(http, "http.bodyTimeoutMillis", "bodyTimeoutMillis", 100, 600_000);
    int request = intIn(http, "http.requestTimeoutMillis", "requestTimeoutMillis", 100, 3_600_000);
    if (request <= body) {
      // else a trickled body is cut off without its 408
      throw new ConfigException("http.requestTimeoutMillis (" + request
          + ") must be longer than http.bodyTimeoutMillis (" + body + ")");
    }
    return new HttpLimits(body, request,
        intIn(http, "http.maxConnectionsPerIp", "maxConnectionsPerIp", 1, 1_000_000));
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

  private static CompatConfig compat(JsonNode node) {
    if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
      throw new ConfigException("compat must be an object of switches, got " + node);
    }
    return new CompatConfig(on(node, "ztas"), on(node, "zenovay"), on(node, "versatailor"),
        on(node, "datafast"), on(node, "umami"), on(node, "plausibleTracker"),
        on(node, "umamiTracker"));
  }

  /** A compat switch: true unless set to false. */
  private static boolean on(JsonNode compat, String field) {
    JsonNode node = compat.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return true;
    }
    if (!node.isBoolean()) {
      throw new ConfigException("compat." + field + " must be true or false, got " + node);
    }
    return node.asBoolean();
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

  private static String redisUrl(JsonNode node) {
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

  private static int intIn(JsonNode tree, String name, int min, int max) {
    return intIn(tree, name, name, min, max);
  }

  private static int intIn(JsonNode tree, String label, String field, int min, int max) {
    JsonNode node = tree.path(field);
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new ConfigException(label + " must be a whole number from " + min + " to " + max
          + ", got " + (node.isMissingNode() ? "nothing" : node.toString()));
    }
    int value = node.asInt();
    if (value < min || value > max) {
      throw new ConfigException(label + " must be from " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  private static String text(JsonNode tree, String field, String fallback) {
    JsonNode node = tree.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new ConfigException(field + " must be a non-empty string, got " + node);
    }
    return node.asText();
  }

  private static boolean bool(JsonNode tree, String field) {
    JsonNode node = tree.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new ConfigException(field + " must be true or false, got " + node);
    }
    return node.asBoolean();
  }
}
