package pulse.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per site, the ids of batches whose replies came back: append.lua marks each batch it stores so
 * that a batch sent again after a lost reply is not stored twice, and the next call of the site
 * tells it to forget these marks. At most {@link #MAX_PER_SITE} per site wait (a site whose calls
 * keep failing leaves the older marks to their TTL). Thread-safe.
 */
final class AcknowledgedBatches {
  static final int MAX_PER_SITE = 64;

  private final Map<String, List<String>> bySite = new HashMap<>();

  synchronized void add(String siteId, String batchId) {
    List<String> ids = bySite.computeIfAbsent(siteId, s -> new ArrayList<>());
    if (ids.size() < MAX_PER_SITE) {
      ids.add(batchId);
    }
  }

  /** The ids to send with the site's next call; none are kept here until given back. */
  synchronized List<String> take(String siteId) {
    List<String> ids = bySite.remove(siteId);
    return ids == null ? List.of() : ids;
  }

  /** A call that failed may not have run: its ids go with a later call. */
  synchronized void giveBack(String siteId, List<String> ids) {
    for (String id : ids) {
      add(siteId, id);
    }
  }
}
