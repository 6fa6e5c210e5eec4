package pulse.realtime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The canonical realtime snapshot of one site over one window. Pulse's own API serves it as JSON;
 * every compatibility API is a mapping of it. Timestamps are epoch milliseconds inside, formatted
 * as ISO 8601 with milliseconds in JSON.
 */
@JsonPropertyOrder({"site", "window", "timestamp", "activeVisitors", "pageviews", "pages", "referrers",
    "countries", "browsers", "os", "devices", "perMinute", "recent", "today"})
public record Snapshot(
    String site,
    int window,
    @JsonIgnore long timestampMillis,
    long activeVisitors,
    /** Visitors with a pageview in the window (heartbeats alone do not count); never serialised. */
    @JsonIgnore long pageviewVisitors,
    long pageviews,
    List<PageStat> pages,
    List<ReferrerStat> referrers,
    List<CountryStat> countries,
    List<NameStat> browsers,
    List<NameStat> os,
    List<NameStat> devices,
    List<MinuteStat> perMinute,
    List<RecentPageview> recent,
    Today today,
    /**
     * The active visitors' sessions, for mappings that list sessions; never serialised. Empty
     * unless the window's sessions were asked for ({@code SnapshotService.retainSessionsFor}).
     */
    @JsonIgnore List<Session> sessions,
    /** {@link #recent} with ids, visitor ids and queries; never serialised. */
    @JsonIgnore List<PageviewDetail> recentDetails) {

  @JsonProperty("timestamp")
  public String timestamp() {
    return Times.isoMillis(timestampMillis);
  }

  /** True when both say the same about the site: every figure equal, whatever their timestamps. */
  public boolean sameFigures(Snapshot other) {
    return other != null && activeVisitors == other.activeVisitors
        && pageviewVisitors == other.pageviewVisitors
        && pageviews == other.pageviews && pages.equals(other.pages)
        && referrers.equals(other.referrers) && countries.equals(other.countries)
        && browsers.equals(other.browsers) && os.equals(other.os) && devices.equals(other.devices)
        && perMinute.equals(other.perMinute) && recent.equals(other.recent)
        && today.equals(other.today);
  }

  public record PageStat(String path, long visitors, long pageviews) {}

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
