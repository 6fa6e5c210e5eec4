package pulse.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pulse.config.ConfigException;
import pulse.config.Suggestions;

/** The sites file: which sites exist, the ids they answer to, and the hashed tokens that read them. */
public final class Sites {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The keys of the file, of a site and of a token; any other is refused as a typo. */
  static final List<String> FILE_KEYS = List.of("sites", "tokens");
  static final List<String> SITE_KEYS = List.of("id", "domains", "public", "aliases",
      "umamiRealtime", "alerts");
  /** The shapes of Umami's GET /api/realtime a site may choose: the first is the default. */
  public static final List<String> UMAMI_REALTIME = List.of("classic", "v3");
  /** A token's "note" is for people reading the file (what a link is for); Pulse ignores it. */
  static final List<String> TOKEN_KEYS = List.of("sha256", "sites", "scopes", "note");

  private final Map<String, Site> byId = new LinkedHashMap<>();
  private final Map<String, Site> byIdOrAlias = new LinkedHashMap<>();
  private final List<ApiToken> tokens;
  /** Canonical ids of the sites whose "umamiRealtime" is "v3". */
  private final Set<String> umamiV3 = new java.util.HashSet<>();

  public Sites(Collection<Site> sites, List<ApiToken> tokens) {
    for (Site site : sites) {
      byId.put(site.id(), site);
      claim(site.id(), site);
      for (String alias : site.aliases()) {
        claim(alias, site);
      }
    }
    this.tokens = List.copyOf(tokens);
  }

  private void claim(String name, Site site) {
    Site other = byIdOrAlias.putIfAbsent(name, site);
    if (other != null && other != site) {
      throw new ConfigException("sites: id or alias '" + name + "' is used by both '"
          + other.id() + "' and '" + site.id() + "'");
    }
  }

  /**
   * The site with this id or alias, or null. Never throws, whatever the input. Every key was
   * checked against {@link Site#ID} when the sites were read, so any other text simply misses
   * (no pattern match per lookup: ingest looks up every event's site).
   */
  public Site find(String idOrAlias) {
    return idOrAlias == null ? null : byIdOrAlias.get(idOrAlias);
  }

  /** True when the site chose Umami's current realtime shape ("umamiRealtime": "v3"). */
  public boolean umamiRealtimeV3(String siteId) {
    return umamiV3.contains(siteId);
  }

  public Site byCanonicalId(String id) {
    return byId.get(id);
  }

  public Collection<Site> all() {
    return byId.values();
  }

  /** The first site that tracks this host, for trackers that name a domain instead of a site id. */
  public Site findByHost(String host) {
    for (Site site : byId.values()) {
      if (site.allowsHost(host)) {
        return site;
      }
    }
    return null;
  }

  /**
   * The token whose hash matches the presented text, or null. Every stored hash is compared, each in
   * constant time, so the time taken says nothing about which token nearly matched.
   */
  public ApiToken findToken(String presented) {
    if (presented == null || presented.isEmpty() || presented.length() > 512) {
      return null;
    }
    byte[] digest = sha256(presented);
    ApiToken found = null;
    for (ApiToken token : tokens) {
      if (MessageDigest.isEqual(digest, token.sha256()) && found == null) {
        found = token;
      }
    }
    return found;
  }

  /** True when some token is bound to this one site alone (per-website tokens). */
  public boolean hasOwnToken(String siteId) {
    for (ApiToken token : tokens) {
      if (token.boundOnlyTo(siteId)) {
        return true;
      }
    }
    return false;
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Sites load(Path file) {
    if (!Files.isRegularFile(file)) {
      if (file.equals(Path.of("config/sites.json"))) {
        try (InputStream in = Sites.class.getResourceAsStream("/config/sites.json")) {
          return parse(JSON.readTree(in), "bundled config/sites.json");
        } catch (IOException e) {
          throw new ConfigException("cannot read the bundled sites file: " + e.getMessage(), e);
        }
      }
      throw new ConfigException("sites file (PULSE_SITES) " + file + " does not exist");
    }
    try {
      return parse(JSON.readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read sites file " + file + ": " + e.getMessage(), e);
    }
  }

  public static Sites parse(String json) {
    try {
      return parse(JSON.readTree(json), "sites JSON");
    } catch (IOException e) {
      throw new ConfigException("sites JSON is not valid JSON: " + e.getMessage(), e);
    }
  }

  static Sites parse(JsonNode root, String source) {
    if (root == null || !root.path("sites").isArray()) {
      throw new ConfigException(source + ": needs a \"sites\" array");
    }
    checkKeys(root, "", FILE_KEYS, source);
    List<Site> sites = new ArrayList<>();
    Set<String> umamiV3 = new LinkedHashSet<>();
    Map<String, String> claimedBy = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode node : root.path("sites")) {
      String where = source + ": sites[" + i + "]";
      checkKeys(node, "sites[" + i + "].", SITE_KEYS, source);
      String id = node.path("id").asText(null);
      if (!Site.validId(id)) {
        throw new ConfigException(where + ".id must match [A-Za-z0-9_-]{1,64}, got " + node.path("id"));
      }
      List<String> domains = new ArrayList<>();
      for (JsonNode d : node.path("domains")) {
        String domain = d.asText("").trim().toLowerCase(Locale.ROOT);
        if (domain.isEmpty() || domain.contains("/") || domain.contains(" ")) {
          throw new ConfigException(where + ".domains holds an invalid domain " + d);
        }
        domains.add(domain);
      }
      if (domains.isEmpty()) {
        throw new ConfigException(where + " ('" + id + "') needs at least one domain");
      }
      List<String> aliases = new ArrayList<>();
      for (JsonNode a : node.path("aliases")) {
        if (!Site.validId(a.asText(null))) {
          throw new ConfigException(where + ".aliases holds an invalid id " + a);
        }
        aliases.add(a.asText());
      }
      JsonNode pub = node.path("public");
      if (!pub.isMissingNode() && !pub.isBoolean()) {
        throw new ConfigException(where + ".public must be true or false");
      }
      JsonNode umami = node.path("umamiRealtime");
      if (!umami.isMissingNode() && !UMAMI_REALTIME.contains(umami.asText(""))) {
        throw new ConfigException(where + ".umamiRealtime must be one of "
            + String.join(", ", UMAMI_REALTIME) + ", got " + umami
            + Suggestions.didYouMean(umami.asText(""), UMAMI_REALTIME));
      }
      if (umami.asText("").equals("v3")) {
        umamiV3.add(id);
      }
      String entry = "sites[" + i++ + "] ('" + id + "')";
      claim(claimedBy, id, entry, source);
      for (String alias : aliases) {
        claim(claimedBy, alias, entry, source);
      }
      List<AlertRule> alerts = AlertRules.parse(node.path("alerts"), entry, source);
      sites.add(new Site(id, List.copyOf(domains), pub.asBoolean(false), List.copyOf(aliases),
          alerts));
    }
    List<ApiToken> tokens = new ArrayList<>();
    i = 0;
    for (JsonNode node : root.path("tokens")) {
      String where = source + ": tokens[" + i + "]";
      checkKeys(node, "tokens[" + i++ + "].", TOKEN_KEYS, source);
      String hex = node.path("sha256").asText("");
      byte[] hash;
      try {
        hash = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        hash = new byte[0];
      }
      if (hash.length != 32) {
        throw new ConfigException(where + ".sha256 must be 64 hex digits (the SHA-256 of the token)");
      }
      JsonNode note = node.path("note");
      if (!note.isMissingNode() && !note.isTextual()) {
        throw new ConfigException(where + ".note must be a string");
      }
      Set<String> tokenSites = new LinkedHashSet<>();
      for (JsonNode s : node.path("sites")) {
        tokenSites.add(s.asText());
      }
      if (tokenSites.isEmpty()) {
        throw new ConfigException(where + ".sites must name at least one site id or \"*\"");
      }
      Set<String> scopes = new LinkedHashSet<>();
      for (JsonNode s : node.path("scopes")) {
        if (!ApiToken.SCOPES.contains(s.asText())) {
          throw new ConfigException(where + ".scopes: unknown scope " + s
              + Suggestions.didYouMean(s.asText(), ApiToken.SCOPES) + "; known: "
              + String.join(", ", ApiToken.SCOPES));
        }
        scopes.add(s.asText());
      }
      if (scopes.isEmpty()) {
        scopes.add(ApiToken.REALTIME_READ);
      }
      tokens.add(new ApiToken(hash, Set.copyOf(tokenSites), Set.copyOf(scopes)));
    }
    Sites result = new Sites(sites, tokens);
    result.umamiV3.addAll(umamiV3);
    for (ApiToken token : tokens) {
      for (String s : token.sites()) {
        if (!s.equals("*") && result.byCanonicalId(s) == null) {
          throw new ConfigException(source + ": a token names unknown site '" + s + "'");
        }
      }
    }
    return result;
  }

  /** Refuses a key of this object that the sites file does not know, with the nearest known. */
  private static void checkKeys(JsonNode node, String path, List<String> known, String source) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new ConfigException(source + ": " + path + name + ": unknown field"
            + Suggestions.didYouMean(name, known));
      }
    }
  }

  /** One id or alias names one site: a second claim names the file and both entries. */
  private static void claim(Map<String, String> claimedBy, String name, String entry,
      String source) {
    String other = claimedBy.putIfAbsent(name, entry);
    if (other != null && !other.equals(entry)) {
      throw new ConfigException(source + ": '" + name + "' is the id or an alias of both "
          + other + " and " + entry + "; an id or alias names one site");
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
