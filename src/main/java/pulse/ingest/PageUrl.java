package pulse.ingest;

import java.net.URI;
import java.util.Locale;

/**
 * What an event keeps of its page URL: the host (lower case), the raw path ("/" when empty), the
 * query's allowed parameters and the campaign read from the whole query. {@link EventParser}
 * keeps the latest thousands of these by URL string, because a site's pages repeat and parsing a
 * URL is the largest part of reading an event.
 */
record PageUrl(String host, String path, String query, Campaign campaign) {
  /** Held in the cache for a URL that is not an absolute http(s) URL. */
  static final PageUrl NOT_HTTP = new PageUrl("", "", "", Campaign.NONE);

  static PageUrl of(URI uri, QueryAllowList allowList) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    Campaign campaign = Campaign.of(uri.getRawQuery());
    return new PageUrl(uri.getHost().toLowerCase(Locale.ROOT), path,
        // only allowed parameters go further: nothing else of the query is ever stored
        allowList.filter(uri.getRawQuery()),
        new Campaign(EventParser.clean(campaign.source(), EventParser.MAX_UTM),
            EventParser.clean(campaign.medium(), EventParser.MAX_UTM),
            EventParser.clean(campaign.name(), EventParser.MAX_UTM)));
  }
}
