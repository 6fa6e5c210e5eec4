package pulse.api.compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestException;
import pulse.ingest.Refusal;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * One request of Matomo's Tracking HTTP API (its parameters, from the query, the form body or one
 * entry of a bulk request) as an /api/collect event object, or as nothing to store. Pure: the
 * time and the sites come in.
 *
 * <p>{@code idsite} is a site id or alias (give a site its Matomo idSite as an alias). As Matomo
 * does, an unknown site is refused before anything else, and a request without {@code rec=1} is
 * answered and not recorded. {@code ping=1} is a heartbeat; {@code e_c} and {@code e_a} (both, as Matomo) make a
 * custom event named by the category with {@code action}, {@code name} and a numeric
 * {@code value} as props; {@code link} and {@code download} are the custom events "Outlink" and
 * "Download"; goal, ecommerce and content-impression requests are answered and not stored (Pulse
 * has no goals). {@code url}, {@code urlref} and {@code action_name} are the page, referrer and
 * title; without {@code url} (a server-side event) it counts on the site's root.
 *
 * <p>Visitors: Pulse derives its own cookieless id from the address and user agent, as for every
 * browser, and reads no id a request names: anyone could send a new {@code _id} with each hit
 * and count as many visitors. A server that sends a {@code collect} token vouches for its hits,
 * so its {@code cid} (else {@code _id}) names the visitor, hashed with the day's salt like
 * GA4's client_id, and its {@code cip} is the address, as Matomo allows {@code cip} only with
 * {@code token_auth}. {@code uid} (a login) is never read. {@code ua} replaces the User-Agent
 * header, Matomo's rule: server-side trackers send their visitor's agent there.
 */
final class MatomoHits {
  // compiled once: every hit with a custom time is checked against them
  private static final Pattern SECONDS = Pattern.compile("\\d{1,12}(\\.\\d+)?");
  private static final Pattern DATE_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");

  /** Matomo's {@code tracking_requests_require_authentication_when_custom_timestamp_newer_than}. */
  static final long CDT_WITHOUT_TOKEN_SECONDS = 86_400;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a request's token_auth says about its site. */
  enum Token { NONE, COLLECT, REFUSED }

  /**
   * @param event the /api/collect event object; null to answer as tracked and store nothing
   * @param userAgent the {@code ua} parameter, null when absent
   * @param ip the {@code cip} parameter when a collect token allows it, else null
   * @param visitorKey {@code cid} or {@code _id} when a collect token allows it, else null
   */
  record Hit(ObjectNode event, String userAgent, String ip, String visitorKey) {
    static final Hit NOT_STORED = new Hit(null, null, null, null);
  }

  /** A token_auth that is not a collect token of the request's site. */
  static final class BadToken extends Exception {
    BadToken(String message) {
      super(message, null, false, false);
    }
  }

  private final Sites sites;

  MatomoHits(Sites sites) {
    this.sites = sites;
  }

  /** The site named by idsite: Matomo's 400 "Invalid idSite: '...'" when there is none. */
  Site site(Map<String, String> params) throws IngestException {
    String idsite = params.getOrDefault("idsite", "");
    Site site = idsite.isBlank() ? null : sites.find(idsite.trim());
    if (site == null) {
      throw new IngestException(Refusal.UNKNOWN_SITE,
          "Invalid idSite: '" + idsite.replaceAll("[^A-Za-z0-9_-]", "") + "'");
    }
    return site;
  }

  /** The token_auth given (this request's, else the bulk request's) checked against the site. */
  Token token(Site site, String tokenAuth) {
    if (tokenAuth == null || tokenAuth.isBlank()) {
      return Token.NONE;
    }
    ApiToken found = sites.findToken(tokenAuth.trim());
    return found != null && found.coversSite(site.id())
        && found.scopes().contains(ApiToken.COLLECT) ? Token.COLLECT : Token.REFUSED;
  }

  /**
   * @param bulkToken the bulk request's token_auth, null for a single request
   * @param nowMillis the arrival time
   * @param windowSeconds the longest window Pulse holds: a hit dated before it is not stored
   */
  Hit translate(Map<String, String> params, String bulkToken, long nowMillis, int windowSeconds)
      throws IngestException, BadToken {
    Site site = site(params);
    Token token = token(site, params.getOrDefault("token_auth", bulkToken));
    if (token == Token.REFUSED) {
      throw new BadToken("token_auth is not a token of site '" + site.id()
          + "' with the scope " + ApiToken.COLLECT);
    }
    if (!"1".equals(params.get("rec"))) {
      // Matomo excludes a request without rec=1 and still counts it as logged
      return Hit.NOT_STORED;
    }
    Long dated = customTime(params.get("cdt"), nowMillis);
    if (dated != null) {
      long ageSeconds = (nowMillis - dated) / 1000;
      if (ageSeconds >= CDT_WITHOUT_TOKEN_SECONDS && token != Token.COLLECT) {
        throw new IngestException(Refusal.INVALID,
            "Custom timestamp is " + ageSeconds + " seconds old, requires &token_auth...");
      }
      // Pulse stamps events on arrival and holds only the realtime window
      if (ageSeconds > windowSeconds) {
        return Hit.NOT_STORED;
      }
    }
    if (params.containsKey("idgoal") || params.containsKey("ec_id")
        || (params.containsKey("c_n") && !params.containsKey("c_i"))) {
      return Hit.NOT_STORED;
    }
    ObjectNode out = JSON.createObjectNode().put("site", site.id());
    String url = params.get("url");
    out.put("url", url == null || url.isBlank() ? "https://" + site.firstDomain() + "/" : url);
    putIfGiven(out, "referrer", params.get("urlref"));
    putIfGiven(out, "title", params.get("action_name"));
    if ("1".equals(params.get("ping"))) {
      out.put("type", IncomingEvent.HEARTBEAT);
    } else if (!params.getOrDefault("e_c", "").isEmpty()
        && !params.getOrDefault("e_a", "").isEmpty()) {
      // as Matomo: an event needs both, a request with one of them is a pageview
      event(out, params);
    } else if (params.containsKey("link") || params.containsKey("download")) {
      boolean link = params.containsKey("link");
      out.put("type", IncomingEvent.CUSTOM).put("name", link ? "Outlink" : "Download");
      out.putObject("props").put("url", params.get(link ? "link" : "download"));
    } else if (params.containsKey("c_n")) {
      out.put("type", IncomingEvent.CUSTOM).put("name", "Content interaction");
      ObjectNode props = out.putObject("props").put("content", params.get("c_n"));
      props.put("interaction", params.get("c_i"));
    } else {
      out.put("type", IncomingEvent.PAGEVIEW);
    }
    boolean vouched = token == Token.COLLECT;
    String key = vouched ? given(params.get("cid"), params.get("_id")) : null;
    return new Hit(out, given(params.get("ua"), null),
        vouched ? given(params.get("cip"), null) : null, key);
  }

  /** The first of the two that is given (not blank), trimmed; null when neither is. */
  private static String given(String first, String second) {
    for (String s : new String[] {first, second}) {
      if (s != null && !s.isBlank()) {
        return s.trim();
      }
    }
    return null;
  }

  private static void event(ObjectNode out, Map<String, String> params) {
    String category = params.get("e_c");
    String action = params.get("e_a");
    out.put("type", IncomingEvent.CUSTOM).put("name", category);
    ObjectNode props = out.putObject("props").put("action", action);
    putIfGiven(props, "name", params.get("e_n"));
    String value = params.get("e_v");
    if (value != null && !value.isBlank()) {
      try {
        double v = Double.parseDouble(value.trim());
        if (Double.isFinite(v)) {
          props.put("value", v);
        }
      } catch (NumberFormatException e) {
        // Matomo drops a value that is not a number, and so does Pulse
      }
    }
  }

  /**
   * The cdt parameter in epoch ms: Unix seconds or a date and time (UTC); null when absent,
   * unreadable or in the future, which Matomo ignores as well.
   */
  static Long customTime(String cdt, long nowMillis) {
    if (cdt == null || cdt.isBlank()) {
      return null;
    }
    String s = cdt.trim();
    Long millis = null;
    try {
      if (SECONDS.matcher(s).matches()) {
        millis = (long) (Double.parseDouble(s) * 1000);
      } else if (DATE_TIME.matcher(s).matches()) {
        millis = LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
      } else {
        millis = Instant.parse(s).toEpochMilli();
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
    return millis > nowMillis ? null : millis;
  }

  private static void putIfGiven(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }
}
