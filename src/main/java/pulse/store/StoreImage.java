package pulse.store;

import java.util.List;
import java.util.Map;

/**
 * What the embedded store keeps across a restart, as read from its file and put back at start
 * ({@link MemoryEventStore#restore}); a save copies the same out of the store a site at a time
 * ({@link StoreImageSource}, {@link MemoryEventStore#image()}):
 * the daily salts, the small per-site states, and per site its day figures, hourly visitors,
 * history and newest event time. Not the realtime window (visitors, pageviews, custom events,
 * bots): it is minutes long and refills within minutes; nor leases, which last seconds.
 *
 * @param savedAt when the image was taken (ms)
 * @param states site, tab, state name → its JSON text
 */
record StoreImage(long savedAt, List<Salt> salts, Map<String, String> states,
    Map<String, Site> sites) {

  /** A day's salt and when it was made, so it is forgotten when it would have been. */
  record Salt(String day, String value, long createdMillis) {}

  record Site(Figures figures, Map<Long, byte[]> history) {}

  /** A site's figures by day and hour, and the time of its newest event (null: none). */
  record Figures(Long lastEvent, List<Day> days, List<Hour> hours) {
    static final Figures NONE = new Figures(null, List.of(), List.of());
  }

  /**
   * @param expiresAt when the day's figures go (ms); 0: never set (a session's later event
   *     counted on a day whose figures had gone)
   * @param visitors its distinct visitors; null: none counted
   */
  record Day(String day, long expiresAt, Map<String, Long> fields, HyperLogLog.Image visitors) {}

  /** @param hour yyyyMMddHH */
  record Hour(String hour, long expiresAt, HyperLogLog.Image visitors) {}
}
