package pulse.store;

/**
 * One site's figures for one UTC day. Sessions, bounces and duration belong to the day a session
 * started; pageviews and unique visitors to the day they happened.
 */
public record DayFigures(
    long visitors,
    long pageviews,
    long sessions,
    long bounces,
    long durationMillis,
    long newSessions,
    long returningSessions) {
  public static final DayFigures EMPTY = new DayFigures(0, 0, 0, 0, 0, 0, 0);
}
