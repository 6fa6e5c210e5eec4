package pulse.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pulse.site.Site;
import pulse.site.Sites;
import pulse.store.Event;

/**
 * Validates the fields of one event object. Each refusal names the field; URLs over 2,048
 * characters are refused, longer titles, names and properties are cut.
 */
public final class EventParser {
  public static final int MAX_URL = 2048;
  public static final int MAX_TITLE = 512;
  public static final int MAX_NAME = 120;
  public static final int MAX_PROPS = 30;
  public static final int MAX_PROP_VALUE = 256;
  /** Longer than any campaign name a person writes; longer ones are cut. */
  public static final int MAX_UTM = 200;
  /** A day: engaged time beyond it is cut. */
  public static final long MAX_ENGAGED_MILLIS = 86_400_000L;
  private static final Set<String> TYPES =
      Set.of(Event.PAGEVIEW, Event.HEARTBEAT, Event.CUSTOM, Event.LEAVE);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Page URLs and referrers seen lately: parsed once, however many events carry them. */
  private static final int URL_CACHE_SIZE = 20_000;

  private final Sites sites;
  private final QueryAllowList queryAllowList;
  private final BoundedLruCache<String, PageUrl> pageUrls = new BoundedLruCache<>(URL_CACHE_SIZE);
  /** referrer as sent -> its host in lower case, "" when it has none */
  private final BoundedLruCache<String, String> referrerHosts =
      new BoundedLruCache<>(URL_CACHE_SIZE);

  public EventParser(Sites sites, QueryAllowList queryAllowList) {
    this.sites = sites;
    this.queryAllowList = queryAllowList;
  }

  /**
   * @param where how the message names this event: "" for a single object, "events[3]." in an array
   */
  public IncomingEvent parse(JsonNode node, String where) throws IngestException {
    if (!node.isObject()) {
      throw bad(where.isEmpty() ? "body must be a JSON object or an array of objects"
          : where.substring(0, where.length() - 1) + " must be a JSON object");
    }
    String siteId = text(node, where, "site", 64, true);
    Site site = sites.find(siteId);
    if (site == null) {
      throw new IngestException(Refusal.UNKNOWN_SITE, "unknown site '" + clean(siteId, 64) + "'");
    }
    String type = text(node, where, "type", 16, false);
    if (type == null) {
      type = Event.PAGEVIEW;
    } else if (!TYPES.contains(type)) {
      throw bad(where + "type must be one of pageview, heartbeat, event, leave");
    }
    String url = text(node, where, "url", Integer.MAX_VALUE, true);
    if (url.length() > MAX_URL) {
      throw bad(where + "url is longer than " + MAX_URL + " characters");
    }
    PageUrl page = pageUrl(url);
    if (page == PageUrl.NOT_HTTP) {
      throw bad(where + "url must be an absolute http or https URL");
    }
    String host = page.host();
    if (!site.allowsHost(host)) {
      throw new IngestException(Refusal.FORBIDDEN_ORIGIN, where + "url host '" + host
          + "' is not a domain of site '" + site.id() + "'");
    }

    String referrerText = text(node, where, "referrer", Integer.MAX_VALUE, false);
    String referrer = referrerDomain(referrerText, site);
    String title = clean(text(node, where, "title", Integer.MAX_VALUE, false), MAX_TITLE);

    String name = "";
    String props = "";
    if (Event.CUSTOM.equals(type)) {
      name = clean(text(node, where, "name", Integer.MAX_VALUE, true), MAX_NAME);
      if (name.isBlank()) {
        throw bad(where + "name must not be empty for an event");
      }
      props = props(node.get("props"), where);
    }
    text(node, where, "screen", Integer.MAX_VALUE, false);
    text(node, where, "lang", Integer.MAX_VALUE, false);
    JsonNode returningNode = node.get("returning");
    Boolean returning = null;
    if (returningNode != null && !returningNode.isNull()) {
      if (!returningNode.isBoolean()) {
        throw bad(where + "returning must be true or false");
      }
      returning = returningNode.asBoolean();
    }
    long engaged = engaged(node, where);
    Campaign campaign = page.campaign();
    return new IncomingEvent(site, type, host, page.path(), page.query(), title, referrer, name,
        props, returning, engaged, campaign.source(), campaign.medium(), campaign.name());
  }

  /** The URL's parts, parsed once per URL string while it is among the latest seen. */
  private PageUrl pageUrl(String url) {
    PageUrl page = pageUrls.get(url);
    if (page == null) {
      URI uri = httpUri(url);
      page = uri == null ? PageUrl.NOT_HTTP : PageUrl.of(uri, queryAllowList);
      pageUrls.put(url, page);
    }
    return page;
  }

  /** Engaged milliseconds on the page: a whole number from 0, cut at a day; -1 when absent. */
  private static long engaged(JsonNode node, String where) throws IngestException {
    JsonNode value = node.get("engaged");
    if (value == null || value.isNull()) {
      return Event.NO_ENGAGED;
    }
    if (!value.isNumber() || value.asDouble() < 0 || Double.isNaN(value.asDouble())) {
      throw bad(where + "engaged must be a number of milliseconds from 0");
    }
    return Math.min((long) value.asDouble(), MAX_ENGAGED_MILLIS);
  }

  /** The absolute http(s) URI with a host, or null. */
  public static URI httpUri(String url) {
    try {
      URI uri = new URI(url.trim());
      String scheme = uri.getScheme();
      if (scheme == null || uri.getHost() == null) {
        return null;
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      return scheme.equals("http") || scheme.equals("https") ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** The referrer's domain without "www.", or "" when absent, unparseable or the site itself. */
  String referrerDomain(String referrer, Site site) {
    if (referrer == null || referrer.isBlank() || referrer.length() > MAX_URL) {
      return "";
    }
    String host = referrerHosts.get(referrer);
    if (host == null) {
      host = hostOf(referrer);
      referrerHosts.put(referrer, host);
    }
    if (host.isEmpty() || site.allowsHost(host)) {
      return "";
    }
    return host.startsWith("www.") ? host.substring(4) : host;
  }

  /** A URL's host in lower case, or "" when it has none or does not parse. */
  private static String hostOf(String url) {
    try {
      String host = new URI(url.trim()).getHost();
      return host == null ? "" : host.toLowerCase(Locale.ROOT);
    } catch (URISyntaxException e) {
      return "";
    }
  }

  private static String props(JsonNode node, String where) throws IngestException {
    if (node == null || node.isNull()) {
      return "";
    }
    if (!node.isObject()) {
      throw bad(where + "props must be an object of names to strings, numbers or booleans");
    }
    if (node.size() > MAX_PROPS) {
      throw bad(where + "props may hold at most " + MAX_PROPS + " entries");
    }
    ObjectNode out = JSON.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String key = clean(e.getKey(), MAX_NAME);
      if (v.isTextual()) {
        out.put(key, clean(v.asText(), MAX_PROP_VALUE));
      } else if (v.isNumber() || v.isBoolean() || v.isNull()) {
        out.set(key, v);
      } else {
        throw bad(where + "props." + key + " must be a string, number or boolean");
      }
    }
    try {
      return out.isEmpty() ? "" : JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw bad(where + "props cannot be stored");
    }
  }

  private static String text(JsonNode node, String where, String field, int max, boolean required)
      throws IngestException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw bad(where + field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw bad(where + field + " must be a string");
    }
    String s = value.asText();
    if (s.length() > max) {
      throw bad(where + field + " is longer than " + max + " characters");
    }
    if (required && s.isBlank()) {
      throw bad(where + field + " is required");
    }
    return s;
  }

  /** Drops control characters (they would break logs and the stores' tab-separated records). */
  static String clean(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        if (sb == null) {
          sb = new StringBuilder(s.length());
          sb.append(s, 0, i);
        }
      } else if (sb != null) {
        sb.append(c);
      }
    }
    String out = sb == null ? s : sb.toString();
    return cut(out.strip(), max);
  }

  private static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    // never split a surrogate pair
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  private static IngestException bad(String message) {
    return new IngestException(Refusal.INVALID, message);
  }
}
