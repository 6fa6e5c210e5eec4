package pulse.realtime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import pulse.store.EventStore;
import pulse.store.MinutePoint;

/**
 * A site's concurrency over time, as the history API and the dashboard's chart read it: the
 * recorded minutes of a range, the minute in progress as it stands, bucketed by a step where each
 * bucket keeps the highest figure of its minutes (a peak is not averaged away).
 */
public final class HistoryService {
  /** The windows the recorder measures active visitors over. */
  public static final int ACTIVE_WINDOW_SECONDS = 300;

  private final EventStore store;
  private final SnapshotService snapshots;
  private final BaselineReader baselines;
  private final Clock clock;

  public HistoryService(EventStore store, SnapshotService snapshots, BaselineReader baselines,
      Clock clock) {
    this.store = store;
    this.snapshots = snapshots;
    this.baselines = baselines;
    this.clock = clock;
  }

  /** One point of a series: a bucket's start and the highest figures of its minutes. */
  @JsonPropertyOrder({"t", "activeVisitors", "present", "pageviews", "events"})
  public record Point(@JsonIgnore long minute, long activeVisitors, long present, long pageviews,
      long events) {
    @JsonProperty("t")
    public String t() {
      return Times.isoMillis(minute * 60_000L);
    }

    static Point of(MinutePoint p, long bucketMinute) {
      return new Point(bucketMinute, p.activeVisitors(), p.present(), p.pageviews(), p.events());
    }
  }

  /** The highest active visitors of the range and its minute. */
  @JsonPropertyOrder({"t", "activeVisitors"})
  public record Peak(@JsonIgnore long minute, long activeVisitors) {
    @JsonProperty("t")
    public String t() {
      return Times.isoMillis(minute * 60_000L);
    }
  }

  /**
   * @param lastWeek the same range one week earlier, its times moved a week forward so that both
   *     share one time axis; null unless asked for
   */
  @JsonPropertyOrder({"site", "range", "step", "series", "peak", "lastWeek"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Series(String site, String range, String step, List<Point> series, Peak peak,
      List<Point> lastWeek) {}

  /** The recorded points of [fromMinute, toMinute], oldest first. */
  public Future<List<MinutePoint>> points(String siteId, long fromMinute, long toMinute) {
    return store.history(siteId, fromMinute, toMinute);
  }

  /** The baseline of an epoch minute (without a ratio). */
  public Future<Baseline> baseline(String siteId, long minute) {
    return baselines.at(siteId, minute);
  }

  /**
   * The last {@code rangeMinutes} minutes up to and with the minute in progress, in buckets of
   * {@code stepMinutes} aligned to the epoch (UTC hours and days start a bucket).
   */
  public Future<Series> series(String siteId, String range, int rangeMinutes, String step,
      int stepMinutes, boolean withLastWeek) {
    long now = clock.millis();
    long current = Math.floorDiv(now, 60_000L);
    long from = current - rangeMinutes + 1;
    Future<List<MinutePoint>> recorded = store.history(siteId, from, current - 1);
    Future<MinutePoint> inProgress = snapshots.current(siteId, ACTIVE_WINDOW_SECONDS)
        .compose(c -> store.minuteSoFar(siteId, current, c.snapshot().activeVisitors(),
            c.snapshot().present()));
    Future<List<MinutePoint>> before = withLastWeek
        ? store.history(siteId, from - BaselineReader.WEEK_MINUTES,
            current - BaselineReader.WEEK_MINUTES)
        : Future.succeededFuture(null);
    return Future.all(recorded, inProgress, before).map(all -> {
      List<MinutePoint> minutes = new ArrayList<>(recorded.result());
      minutes.add(inProgress.result());
      List<Point> series = buckets(minutes, stepMinutes, 0);
      List<Point> lastWeek = before.result() == null ? null
          : buckets(before.result(), stepMinutes, BaselineReader.WEEK_MINUTES);
      return new Series(siteId, range, step, series, peak(minutes), lastWeek);
    });
  }

  /** Points in buckets of {@code step} minutes, each the highest of its minutes; moved by shift. */
  static List<Point> buckets(List<MinutePoint> minutes, int step, long shiftMinutes) {
    List<Point> out = new ArrayList<>();
    MinutePoint bucket = null;
    long bucketStart = Long.MIN_VALUE;
    for (MinutePoint p : minutes) {
      long start = Math.floorDiv(p.minute(), (long) step) * step;
      if (bucket != null && start == bucketStart) {
        bucket = bucket.max(p);
        continue;
      }
      if (bucket != null) {
        out.add(Point.of(bucket, bucketStart + shiftMinutes));
      }
      bucket = p;
      bucketStart = start;
    }
    if (bucket != null) {
      out.add(Point.of(bucket, bucketStart + shiftMinutes));
    }
    return out;
  }

  /** The first minute with the most active visitors, or null without points. */
  static Peak peak(List<MinutePoint> minutes) {
    MinutePoint best = null;
    for (MinutePoint p : minutes) {
      if (best == null || p.activeVisitors() > best.activeVisitors()) {
        best = p;
      }
    }
    return best == null ? null : new Peak(best.minute(), best.activeVisitors());
  }
}
