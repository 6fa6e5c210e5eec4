package pulse.api;

import io.vertx.ext.web.RoutingContext;
import pulse.http.HttpErrors;
import pulse.realtime.SnapshotFilter;
import pulse.realtime.SnapshotService;

/**
 * The {@code filter} parameters of a snapshot or stream request: parsed, and admitted under the
 * site's cap on distinct filters. Shared by the REST snapshot and the stream so that both answer
 * a bad or refused filter alike.
 */
final class FilterParam {
  private FilterParam() {}

  /**
   * The request's filter ({@link SnapshotFilter#NONE} without one); on a bad filter answers 400,
   * past the site's cap 429 with Retry-After, and returns null.
   */
  static SnapshotFilter fromRequest(RoutingContext ctx, SnapshotService snapshots,
      String siteId) {
    SnapshotFilter filter;
    try {
      filter = SnapshotFilter.parse(ctx.queryParam("filter"));
    } catch (SnapshotFilter.Invalid e) {
      HttpErrors.send(ctx, 400, e.getMessage());
      return null;
    }
    long retryAfter = snapshots.admitFilter(siteId, filter);
    if (retryAfter > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
      HttpErrors.send(ctx, 429, "site '" + siteId + "' has had its maximum of "
          + snapshots.maxFiltersPerSite() + " distinct filters read within a minute; the filter '"
          + filter + "' may be read once one of them goes a minute unread");
      return null;
    }
    return filter;
  }
}
