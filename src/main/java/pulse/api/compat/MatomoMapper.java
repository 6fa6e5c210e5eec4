package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pulse.realtime.Snapshot;

/**
 * Matomo's Live API answers as pure mappings of the canonical snapshot.
 *
 * <p>Numbers are JSON numbers: Matomo reads its counters with PDO and emulated prepares, which on
 * PHP 8.1 and later give native integers (older PHP gave strings such as "17"); clients written
 * in JavaScript read either. Times are UTC, the time zone Pulse keeps.
 */
final class MatomoMapper {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private MatomoMapper() {}

  /**
   * Live.getCounters: {@code [{"visits", "actions", "visitors", "visitsConverted"}]}. A Pulse
   * visitor has one session at a time, so visits equal visitors; actions are the pageviews and
   * custom events of the window (the events of its top 20 names, which is all of them on nearly
   * every site); Pulse has no goals, so no visit converted.
   */
  static JsonArray counters(Snapshot s) {
    long events = 0;
    for (Snapshot.EventStat e : s.events()) {
      events += e.count();
    }
    return new JsonArray().add(new JsonObject()
        .put("visits", s.activeVisitors())
        .put("actions", s.pageviews() + events)
        .put("visitors", s.activeVisitors())
        .put("visitsConverted", 0));
  }

  /**
   * Live.getLastVisitsDetails: the window's sessions, the most recent last action first, with
   * the fields Matomo's visitor log and live widget show; each visit's actions are its pageviews
   * among the snapshot's recent ones, oldest first.
   *
   * @param idSite the idSite asked for, echoed as Matomo does (a number when it is one)
   * @param siteHost the host page URLs are shown on (Pulse keeps paths, not hosts)
   * @param minTimestamp only visits whose last action is after it (Unix seconds); 0 for all
   * @param offset visits skipped; limit the most listed, -1 for all
   */
  static JsonArray lastVisits(Snapshot s, String idSite, String siteHost, long minTimestamp,
      int offset, int limit) {
    Map<String, List<Snapshot.PageviewDetail>> pagesByVisitor = new HashMap<>();
    for (Snapshot.PageviewDetail p : s.recentDetails()) {
      pagesByVisitor.computeIfAbsent(p.visitorId(), v -> new ArrayList<>()).add(p);
    }
    List<Visit> visits = new ArrayList<>();
    for (Snapshot.Session session : s.sessions()) {
      List<Snapshot.PageviewDetail> pages = new ArrayList<>(
          pagesByVisitor.getOrDefault(session.visitorId(), List.of()));
      pages.removeIf(p -> p.timeMillis() < session.sessionStart());
      pages.sort(Comparator.comparingLong(Snapshot.PageviewDetail::timeMillis));
      long last = pages.isEmpty() ? session.sessionStart()
          : pages.get(pages.size() - 1).timeMillis();
      if (last / 1000 > minTimestamp) {
        visits.add(new Visit(session, pages, last));
      }
    }
    visits.sort(Comparator.comparingLong(Visit::lastMillis).reversed()
        .thenComparing(v -> v.session().visitorId()));
    JsonArray out = new JsonArray();
    Object site = idSite.matches("\\d{1,9}") ? (Object) Integer.parseInt(idSite) : idSite;
    for (int i = Math.max(0, offset); i < visits.size() && (limit < 0 || out.size() < limit);
        i++) {
      out.add(visit(s.site(), site, siteHost, visits.get(i)));
    }
    return out;
  }

  private record Visit(Snapshot.Session session, List<Snapshot.PageviewDetail> pages,
      long lastMillis) {}

  private static JsonObject visit(String siteId, Object idSite, String host, Visit v) {
    Snapshot.Session session = v.session();
    String key = siteId + "\0" + session.visitorId() + "\0" + session.sessionStart();
    String referrer = v.pages().isEmpty() ? "" : v.pages().get(0).referrer();
    JsonArray actions = new JsonArray();
    int position = 0;
    for (Snapshot.PageviewDetail p : v.pages()) {
      String url = "https://" + host + p.path()
          + (p.query() == null || p.query().isEmpty() ? "" : "?" + p.query());
      actions.add(new JsonObject()
          .put("type", "action")
          .put("url", url)
          .put("pageTitle", p.title())
          .put("pageviewPosition", ++position)
          .put("title", p.title())
          .put("subtitle", url)
          .put("timestamp", p.timeMillis() / 1000));
    }
    long first = session.sessionStart() / 1000;
    long last = v.lastMillis() / 1000;
    String country = session.country() == null ? "" : session.country();
    return new JsonObject()
        .put("idSite", idSite)
        // Matomo's ids are numbers and 16 hex digits; these are derived from Pulse's daily
        // visitor id and the session start, so they say nothing about an address
        .put("idVisit", Long.parseLong(hash("visit", key).substring(0, 7), 16))
        .put("visitorId", hash("visitor", siteId + "\0" + session.visitorId()).substring(0, 16))
        .put("actionDetails", actions)
        .put("serverDate", DATE.format(Instant.ofEpochSecond(last)))
        .put("lastActionTimestamp", last)
        .put("lastActionDateTime", DATE_TIME.format(Instant.ofEpochSecond(last)))
        .put("serverTimestamp", last)
        .put("firstActionTimestamp", first)
        .put("visitDuration", last - first)
        .put("actions", actions.size())
        .put("referrerType", referrer.isEmpty() ? "direct" : "website")
        .put("referrerTypeName", referrer.isEmpty() ? "Direct Entry" : "Websites")
        .put("referrerName", referrer)
        .put("country", country.isEmpty() ? "Unknown"
            : new Locale("", country).getDisplayCountry(Locale.ENGLISH))
        .put("countryCode", country.isEmpty() ? "xx" : country.toLowerCase(Locale.ROOT))
        .put("browser", session.browser())
        .put("browserName", session.browser())
        .put("operatingSystem", session.os())
        .put("operatingSystemName", session.os())
        .put("deviceType", deviceType(session.device()));
  }

  /** Matomo's device type names for Pulse's three classes. */
  static String deviceType(String device) {
    return switch (device == null ? "" : device) {
      case "mobile" -> "Smartphone";
      case "tablet" -> "Tablet";
      default -> "Desktop";
    };
  }

  private static String hash(String kind, String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((kind + "\0" + text).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
