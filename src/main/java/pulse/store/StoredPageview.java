package pulse.store;

/** A pageview as the stores keep it in the window. */
public record StoredPageview(
    String id,
    String visitorId,
    long time,
    String path,
    String query,
    String title,
    String referrer,
    String country,
    String browser,
    String os,
    String device) {}
