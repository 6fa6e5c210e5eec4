package pulse.store;

/**
 * One enriched event, ready to store: the server's time, the cookieless visitor id, and only
 * sanitized strings (no control characters), so the stores can join fields with tabs.
 *
 * @param referrer external referrer domain, "" when direct or internal
 * @param props compact JSON of a custom event's properties, "" when none
 * @param returning true/false as the tracker said, null when it did not say
 * @param engagedMillis engaged time on the page so far as a heartbeat or leave said (visible,
 *     with input in the last 30 s), -1 when the event did not say
 * @param utmSource the page URL's utm_source, "" when none (utmMedium, utmCampaign alike)
 */
public record Event(
    String id,
    String type,
    long time,
    String visitorId,
    String path,
    String query,
    String title,
    String referrer,
    String name,
    String props,
    String country,
    String browser,
    String os,
    String device,
    Boolean returning,
    long engagedMillis,
    String utmSource,
    String utmMedium,
    String utmCampaign) {

  public static final String PAGEVIEW = "pageview";
  public static final String HEARTBEAT = "heartbeat";
  public static final String CUSTOM = "event";
  /** The page was hidden or closed: the visitor is no longer present (still active). */
  public static final String LEAVE = "leave";
  /** A request dropped as a bot: counted by class ({@link #name}), never a visitor. */
  public static final String BOT = "bot";
  /**
   * The classes of bots, the names a bot event carries: search engines, AI crawlers and
   * assistants, uptime monitors, scripts and headless browsers, and any other bot.
   */
  public static final java.util.List<String> BOT_CLASSES =
      java.util.List.of("search", "ai", "monitor", "script", "other");
  /** engagedMillis of an event that did not say. */
  public static final long NO_ENGAGED = -1;

  /** An event without engaged time and campaign. */
  public Event(String id, String type, long time, String visitorId, String path, String query,
      String title, String referrer, String name, String props, String country, String browser,
      String os, String device, Boolean returning) {
    this(id, type, time, visitorId, path, query, title, referrer, name, props, country, browser,
        os, device, returning, NO_ENGAGED, "", "", "");
  }

  /** A request of a bot of one class (search, ai, monitor, script, other) at a time. */
  public static Event bot(String id, long time, String botClass) {
    return new Event(id, BOT, time, "", "", "", "", "", botClass, "", "", "", "", "", null);
  }

  public boolean isPageview() {
    return PAGEVIEW.equals(type);
  }
}
