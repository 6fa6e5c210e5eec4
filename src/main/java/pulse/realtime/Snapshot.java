package pulse.realtime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The canonical realtime snapshot of one site over one window. Pulse's own API serves it as JSON;
 * every compatibility API is a mapping of it. Timestamps are epoch milliseconds inside, formatted
 * as ISO 8601 with milliseconds in JSON.
 */
@JsonPropertyOrder({"site", "window", "timestamp", "activeVisitors", "present", "baseline",
    "pageviews", "pages",
    "entryPages", "referrers", "countries", "browsers", "os", "devices", "campaigns", "events",
    "bots", "perMinute", "recent", "today"})
public record Snapshot(
    String site,
    int window,
    @JsonIgnore long timestampMillis,
    long activeVisitors,
    /** Visitors whose page is open: a pageview or heartbeat in the last 45 s and no leave since. */
    long present,
    /** Visitors with a pageview in the window (heartbeats alone do not count); never serialised. */
    @JsonIgnore long pageviewVisitors,
    long pageviews,
    List<PageStat> pages,
    List<EntryPageStat> entryPages,
    List<ReferrerStat> referrers,
    List<CountryStat> countries,
    List<NameStat> browsers,
    List<NameStat> os,
    List<NameStat> devices,
    Campaigns campaigns,
    List<EventStat> events,
    /** Requests dropped as bots in the window, per class, every class listed. */
    Map<String, Long> bots,
    List<MinuteStat> perMinute,
    List<RecentPageview> recent,
    Today today,
    /**
     * The active visitors' sessions, for mappings that list sessions; never serialised. Empty
     * unless the window's sessions were asked for ({@code SnapshotService.retainSessionsFor}).
     */
    @JsonIgnore List<Session> sessions,
    /** {@link #recent} with ids, visitor ids and queries; never serialised. */
    @JsonIgnore List<PageviewDetail> recentDetails,
    /**
     * The same minute in earlier weeks and the ratio of now to it; null for a filtered snapshot
     * (history is kept of whole sites).
     */
    Baseline baseline) {

  /** A snapshot without a baseline (before one is read, or filtered). */
  public Snapshot(String site, int window, long timestampMillis, long activeVisitors,
      long present, long pageviewVisitors, long pageviews, List<PageStat> pages,
      List<EntryPageStat> entryPages, List<ReferrerStat> referrers, List<CountryStat> countries,
      List<NameStat> browsers, List<NameStat> os, List<NameStat> devices, Campaigns campaigns,
      List<EventStat> events, Map<String, Long> bots, List<MinuteStat> perMinute,
      List<RecentPageview> recent, Today today, List<Session> sessions,
      List<PageviewDetail> recentDetails) {
    this(site, window, timestampMillis, activeVisitors, present, pageviewVisitors, pageviews,
        pages, entryPages, referrers, countries, browsers, os, devices, campaigns, events, bots,
        perMinute, recent, today, sessions, recentDetails, null);
  }

  /** This snapshot with a baseline, its ratio taken against this snapshot's active visitors. */
  public Snapshot withBaseline(Baseline b) {
    return new Snapshot(site, window, timestampMillis, activeVisitors, present, pageviewVisitors,
        pageviews, pages, entryPages, referrers, countries, browsers, os, devices, campaigns,
        events, bots, perMinute, recent, today, sessions, recentDetails,
        b == null ? null : b.against(activeVisitors));
  }

  /** A snapshot without presence, entry pages, campaigns, events and bots. */
  public Snapshot(String site, int window, long timestampMillis, long activeVisitors,
      long pageviewVisitors, long pageviews, List<PageStat> pages, List<ReferrerStat> referrers,
      List<CountryStat> countries, List<NameStat> browsers, List<NameStat> os,
      List<NameStat> devices, List<MinuteStat> perMinute, List<RecentPageview> recent,
      Today today, List<Session> sessions, List<PageviewDetail> recentDetails) {
    this(site, window, timestampMillis, activeVisitors, 0, pageviewVisitors, pageviews, pages,
        List.of(), referrers, countries, browsers, os, devices, Campaigns.NONE, List.of(),
        Map.of(), perMinute, recent, today, sessions, recentDetails);
  }

  @JsonProperty("timestamp")
  public String timestamp() {
    return Times.isoMillis(timestampMillis);
  }

  /** True when both say the same about the site: every figure equal, whatever their timestamps. */
  public boolean sameFigures(Snapshot other) {
    return other != null && activeVisitors == other.activeVisitors
        && pageviewVisitors == other.pageviewVisitors
        && present == other.present
        && pageviews == other.pageviews && pages.equals(other.pages)
        && entryPages.equals(other.entryPages) && campaigns.equals(other.campaigns)
        && events.equals(other.events) && bots.equals(other.bots)
        && referrers.equals(other.referrers) && countries.equals(other.countries)
        && browsers.equals(other.browsers) && os.equals(other.os) && devices.equals(other.devices)
        && perMinute.equals(other.perMinute) && recent.equals(other.recent)
        && today.equals(other.today) && java.util.Objects.equals(baseline, other.baseline);
  }

  /**
   * @param present present visitors whose current page this is
   * @param engagedSeconds median engaged seconds on this page of its visitors who reported
   *     engaged time (the lower median), 0 when none did
   */
  @JsonPropertyOrder({"path", "visitors", "pageviews", "present", "engagedSeconds"})
  public record PageStat(String path, long visitors, long pageviews, long present,
      long engagedSeconds) {
    public PageStat(String path, long visitors, long pageviews) {
      this(path, visitors, pageviews, 0, 0);
    }
  }

  /** Active visitors by the first page of their session. */
  public record EntryPageStat(String path, long visitors) {}

  /** Active visitors by their session's utm_source, utm_medium and utm_campaign. */
  public record Campaigns(List<NameStat> sources, List<NameStat> mediums,
      List<NameStat> campaigns) {
    public static final Campaigns NONE = new Campaigns(List.of(), List.of(), List.of());
  }

  /**
   * Custom events of one name in the window.
   *
   * @param props for the top events, the most frequent values of each property
   */
  @JsonPropertyOrder({"name", "count", "visitors", "props"})
  public record EventStat(String name, long count, long visitors,
      Map<String, List<PropValue>> props) {}

  public record PropValue(String value, long count) {}

  public record ReferrerStat(String domain, long visitors) {}

  public record CountryStat(String code, long visitors) {}

  public record NameStat(String name, long visitors) {}

  @JsonPropertyOrder({"minute", "visitors", "pageviews"})
  public record MinuteStat(@JsonIgnore long epochMinute, long visitors, long pageviews) {
    @JsonProperty("minute")
    public String minute() {
      return Times.isoSeconds(epochMinute * 60_000L);
    }
  }

  public record RecentPageview(
      String path,
      String title,
      String referrer,
      String country,
      String browser,
      String os,
      String device,
      @JsonIgnore long timeMillis) {
    @JsonProperty("timestamp")
    public String timestamp() {
      return Times.isoMillis(timeMillis);
    }
  }

  public record Today(long visitors, long pageviews) {}

  /**
   * The session of one active visitor, as of their latest pageview.
   *
   * @param visitorId the cookieless visitor id (a salted hash that changes daily)
   * @param country ISO code, "" when unknown
   */
  public record Session(String visitorId, long sessionStart, String country, String browser,
      String os, String device) {}

  /**
   * One of the newest pageviews with what identifies it.
   *
   * @param id the pageview's id, unique within the site
   * @param country ISO code, "" when unknown
   */
  public record PageviewDetail(String id, String visitorId, long timeMillis, String path,
      String query, String title, String referrer, String country, String browser, String os,
      String device) {}
}
