package pulse.store;

/**
 * One minute of a site's history.
 *
 * @param minute epoch minute (ms / 60,000) the point describes
 * @param activeVisitors visitors active in the 5 minutes up to the end of that minute (the highest
 *     count seen during the minute)
 * @param present visitors with their page open (the highest count seen during the minute)
 * @param pageviews pageviews that happened in the minute
 * @param events custom events that happened in the minute
 */
public record MinutePoint(long minute, long activeVisitors, long present, long pageviews,
    long events) {
  public long timeMillis() {
    return minute * 60_000L;
  }

  /** The larger of each figure, for a point standing for several minutes (peaks kept). */
  public MinutePoint max(MinutePoint other) {
    return new MinutePoint(Math.min(minute, other.minute),
        Math.max(activeVisitors, other.activeVisitors), Math.max(present, other.present),
        Math.max(pageviews, other.pageviews), Math.max(events, other.events));
  }
}
