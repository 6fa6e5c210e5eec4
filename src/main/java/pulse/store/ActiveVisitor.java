package pulse.store;

/**
 * A visitor seen inside the window, with what their latest pageview said about them.
 *
 * @param path the path of the visitor's latest pageview (it may be older than the window when
 *     heartbeats kept the visitor active on a long page)
 * @param referrer the latest external referrer domain of the visitor's session, "" for direct
 * @param lastPageview time of the visitor's latest pageview in ms, 0 when the session has none
 * @param entryPath the first page of the visitor's session
 * @param utmSource the session's campaign source, "" when none (utmMedium, utmCampaign alike)
 * @param lastActive time of the visitor's latest pageview or heartbeat (a page open), 0 for none
 * @param leftAt time of a leave (the page hidden or closed) since lastActive, 0 when none
 * @param engagedMillis engaged time on the current page as the tracker last said, -1 unsaid
 */
public record ActiveVisitor(
    String visitorId,
    long lastSeen,
    long sessionStart,
    String path,
    String referrer,
    String country,
    String browser,
    String os,
    String device,
    long lastPageview,
    String entryPath,
    String utmSource,
    String utmMedium,
    String utmCampaign,
    long lastActive,
    long leftAt,
    long engagedMillis) {

  /** A visitor without presence, engaged time and campaign. */
  public ActiveVisitor(String visitorId, long lastSeen, long sessionStart, String path,
      String referrer, String country, String browser, String os, String device,
      long lastPageview) {
    this(visitorId, lastSeen, sessionStart, path, referrer, country, browser, os, device,
        lastPageview, path, "", "", "", 0, 0, -1);
  }

  /** Whether the visitor's page is open: shown since {@code since} and not left since. */
  public boolean presentSince(long since) {
    return leftAt == 0 && lastActive >= since;
  }
}
