package pulse.ingest;

import pulse.site.Site;
import pulse.store.Event;

/**
 * An event as the browser described it, validated and cleaned, before enrichment.
 *
 * @param host the host of the page URL, lower case
 * @param referrer the external referrer domain, "" for direct or internal traffic
 * @param engagedMillis engaged time on the page as a heartbeat or leave said, -1 when unsaid
 * @param utmSource the page URL's utm_source, "" when none (utmMedium, utmCampaign alike)
 */
public record IncomingEvent(
    Site site,
    String type,
    String host,
    String path,
    String query,
    String title,
    String referrer,
    String name,
    String props,
    Boolean returning,
    long engagedMillis,
    String utmSource,
    String utmMedium,
    String utmCampaign) {
  /** The values of /api/collect's "type" field, the names the stores keep too. */
  public static final String PAGEVIEW = Event.PAGEVIEW;
  public static final String HEARTBEAT = Event.HEARTBEAT;
  public static final String CUSTOM = Event.CUSTOM;
  public static final String LEAVE = Event.LEAVE;
}
