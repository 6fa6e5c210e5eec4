package pulse.store;

/**
 * One enriched event, ready to store: the server's time, the cookieless visitor id, and only
 * sanitized strings (no control characters), so the stores can join fields with tabs.
 *
 * @param referrer external referrer domain, "" when direct or internal
 * @param props compact JSON of a custom event's properties, "" when none
 * @param returning true/false as the tracker said, null when it did not say
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
    Boolean returning) {

  public static final String PAGEVIEW = "pageview";
  public static final String HEARTBEAT = "heartbeat";
  public static final String CUSTOM = "event";

  public boolean isPageview() {
    return PAGEVIEW.equals(type);
  }
}
