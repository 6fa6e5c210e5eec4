package pulse.realtime;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import pulse.store.DayFigures;
import pulse.store.DayPart;
import pulse.store.EventStore;
import pulse.store.WindowQuery;

/**
 * A site's figures by UTC day, in the terms the read APIs ask for them: today so far, yesterday up
 * to the same time of day, unique visitors of the last days, the time of the newest event. The one
 * place that reads the store's day figures, so the APIs need no store types and cannot disagree
 * on what "today" or "the last 7 days" mean.
 *
 * <p>Methods taking {@code atMillis} answer as of that instant (a snapshot's time, so that its
 * figures and these belong together); the others as of the clock.
 */
public final class DayFiguresService {
  static final long DAY = 86_400_000L;
  static final long HOUR = 3_600_000L;

  /**
   * One UTC day's figures. Sessions, bounces and duration belong to the day a session started
   * ({@code newSessions} and {@code returningSessions} are those known to be either); pageviews
   * and unique visitors to the day they happened.
   */
  public record Day(long visitors, long pageviews, long sessions, long bounces,
      long durationMillis, long newSessions, long returningSessions) {}

  /**
   * Yesterday's unique visitors and pageviews up to the same time of day; fractional because the
   * current hour counts in proportion to the minutes gone.
   */
  public record SoFar(double visitors, double pageviews) {}

  /**
   * The site's newest event kept: its time in ms, or null when none is kept; {@code lastDay}
   * when it happened less than 24 hours ago.
   */
  public record LastEvent(Long timeMillis, boolean lastDay) {}

  private final EventStore store;
  private final Clock clock;

  public DayFiguresService(EventStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public Future<Day> today(String siteId) {
    return today(siteId, clock.millis());
  }

  /** The figures of the UTC day of {@code atMillis}, so far. */
  public Future<Day> today(String siteId, long atMillis) {
    return store.day(siteId, WindowQuery.day(atMillis)).map(DayFiguresService::day);
  }

  public Future<SoFar> yesterdaySoFar(String siteId) {
    return yesterdaySoFar(siteId, clock.millis());
  }

  /**
   * Yesterday up to the time of day of {@code atMillis}, from hourly figures: the whole hours
   * before this one, plus this hour's share of yesterday's same hour in proportion to the minutes
   * gone (exact on the hour).
   */
  public Future<SoFar> yesterdaySoFar(String siteId, long atMillis) {
    String yesterday = WindowQuery.day(atMillis - DAY);
    int hour = WindowQuery.hourOfDay(atMillis);
    double fraction = Math.floorMod(atMillis, HOUR) / (double) HOUR;
    Future<DayPart> before = store.dayHours(siteId, yesterday, hour);
    Future<DayPart> through = store.dayHours(siteId, yesterday, hour + 1);
    return Future.all(before, through).map(done -> new SoFar(
        between(before.result().visitors(), through.result().visitors(), fraction),
        between(before.result().pageviews(), through.result().pageviews(), fraction)));
  }

  public Future<Long> uniqueVisitors(String siteId, int days) {
    return uniqueVisitors(siteId, days, clock.millis());
  }

  /** Distinct visitors of the last {@code days} UTC days, the day of {@code atMillis} included. */
  public Future<Long> uniqueVisitors(String siteId, int days, long atMillis) {
    return store.uniqueVisitors(siteId, lastDays(atMillis, days));
  }

  /** The newest event kept, and whether it happened in the 24 hours before the clock's now. */
  public Future<LastEvent> lastEvent(String siteId) {
    long now = clock.millis();
    return store.lastEventTime(siteId)
        .map(last -> new LastEvent(last, last != null && now - last < DAY));
  }

  static List<String> lastDays(long atMillis, int days) {
    List<String> out = new ArrayList<>(days);
    for (int i = 0; i < days; i++) {
      out.add(WindowQuery.day(atMillis - i * DAY));
    }
    return out;
  }

  private static double between(long before, long through, double fraction) {
    return before + (through - before) * fraction;
  }

  private static Day day(DayFigures d) {
    return new Day(d.visitors(), d.pageviews(), d.sessions(), d.bounces(), d.durationMillis(),
        d.newSessions(), d.returningSessions());
  }
}
