package pulse.ingest;

import pulse.site.Site;

/**
 * An event as the browser described it, validated and cleaned, before enrichment.
 *
 * @param host the host of the page URL, lower case
 * @param referrer the external referrer domain, "" for direct or internal traffic
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
    Boolean returning) {}
