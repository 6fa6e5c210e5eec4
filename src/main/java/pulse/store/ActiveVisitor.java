package pulse.store;

/**
 * A visitor seen inside the window, with what their latest pageview said about them.
 *
 * @param path the path of the visitor's latest pageview (it may be older than the window when
 *     heartbeats kept the visitor active on a long page)
 * @param referrer the latest external referrer domain of the visitor's session, "" for direct
 * @param lastPageview time of the visitor's latest pageview in ms, 0 when the session has none
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
    long lastPageview) {}
