package pulse.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Logger;
import pulse.store.EventStore;
import pulse.store.MinutePoint;

/**
 * Writes every site's history, a point a minute: shortly after a minute ends, its active and
 * present visitors (the highest of the snapshots computed during the minute and one taken
 * then) go to the store, which adds the minute's pageviews and events. Every instance does this;
 * the store keeps the first point written for a minute, so with several instances the minute is
 * still recorded once, and each instance tells its listeners the point the store holds.
 */
public final class MinuteRecorder {
  private static final Logger LOG = Logger.getLogger(MinuteRecorder.class.getName());
  /** How long after a minute ends it is recorded: events of its last second reach the store. */
  public static final long DELAY_MILLIS = 2_000;
  /** Sites recorded at once. */
  private static final int PARALLEL = 8;

  /** Told of each recorded minute of each site, on every instance (the alert evaluator). */
  public interface Listener {
    void minuteRecorded(String siteId, MinutePoint point);
  }

  private final EventStore store;
  private final SnapshotService snapshots;
  private final Supplier<List<String>> siteIds;
  private final Clock clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  /** site → the highest counts seen in snapshots of the minute in progress. */
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private volatile long lastRecorded = -1;
  private Vertx vertx;
  private long timerId = -1;
  private boolean running;

  /** The highest counts of a minute, and of the one before (still being recorded). */
  private record Seen(long minute, long active, long present, Seen before) {
    Seen of(long m) {
      if (minute == m) {
        return this;
      }
      return before != null && before.minute == m ? before : null;
    }
  }

  public MinuteRecorder(EventStore store, SnapshotService snapshots, Supplier<List<String>> siteIds,
      Clock clock) {
    this.store = store;
    this.snapshots = snapshots;
    this.siteIds = siteIds;
    this.clock = clock;
    snapshots.observeComputed(this::observe);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Checks each second whether a minute ended, so a clock moved by a test is followed too. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    lastRecorded = Math.floorDiv(clock.millis() - DELAY_MILLIS, 60_000L) - 1;
    timerId = vertx.setPeriodic(1_000, id -> due());
  }

  public void stop() {
    if (vertx != null && timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  /** The snapshots of the 5-minute window seen during a minute keep its highest counts. */
  void observe(Snapshot s) {
    if (s.window() != HistoryService.ACTIVE_WINDOW_SECONDS) {
      return;
    }
    long minute = Math.floorDiv(s.timestampMillis(), 60_000L);
    seen.merge(s.site(), new Seen(minute, s.activeVisitors(), s.present(), null), (old, now) -> {
      if (now.minute() > old.minute()) {
        return new Seen(minute, now.active(), now.present(),
            new Seen(old.minute(), old.active(), old.present(), null));
      }
      if (now.minute() < old.minute()) {
        return old;
      }
      return new Seen(minute, Math.max(old.active(), now.active()),
          Math.max(old.present(), now.present()), old.before());
    });
  }

  private void due() {
    long ended = Math.floorDiv(clock.millis() - DELAY_MILLIS, 60_000L) - 1;
    if (running || ended <= lastRecorded) {
      return;
    }
    running = true;
    // a minute Pulse was not there for (a pause, a moved clock) is not invented afterwards
    record(ended).onComplete(done -> {
      lastRecorded = ended;
      running = false;
    });
  }

  /** Records one ended minute of every site; completes when all are done (failures logged). */
  public Future<Void> record(long minute) {
    List<String> ids = new ArrayList<>(siteIds.get());
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < PARALLEL; lane++) {
      lanes.add(recordLane(ids, lane, minute));
    }
    return Future.join(lanes).mapEmpty();
  }

  private Future<Void> recordLane(List<String> ids, int index, long minute) {
    if (index >= ids.size()) {
      return Future.succeededFuture();
    }
    return recordSite(ids.get(index), minute)
        .otherwiseEmpty()
        .compose(v -> recordLane(ids, index + PARALLEL, minute));
  }

  Future<Void> recordSite(String siteId, long minute) {
    long endOfMinute = (minute + 1) * 60_000L;
    return store.lastEventTime(siteId)
        .compose(last -> {
          // no event within a window of any moment of the minute: nobody was active or present
          // in it, and no snapshot need say so (a site nobody visits costs one small read)
          if (last == null
              || last < minute * 60_000L - HistoryService.ACTIVE_WINDOW_SECONDS * 1000L) {
            return store.recordMinute(siteId, minute, 0, 0);
          }
          return measured(siteId, minute, endOfMinute);
        })
        .onSuccess(r -> {
          for (Listener l : listeners) {
            try {
              l.minuteRecorded(siteId, r.point());
            } catch (RuntimeException e) {
              LOG.warning("minute listener failed for site " + siteId + ": " + e);
            }
          }
        })
        .onFailure(err -> LOG.warning("history: minute " + minute + " of site " + siteId
            + " not recorded: " + err.getMessage()))
        .mapEmpty();
  }

  /**
   * The minute's point from a snapshot: one from the minute's last seconds will do (a site with
   * readers has one), so only an active site nobody reads costs a computation a minute.
   */
  private Future<EventStore.Recorded> measured(String siteId, long minute, long endOfMinute) {
    return snapshots.since(siteId, HistoryService.ACTIVE_WINDOW_SECONDS, endOfMinute - 5_000)
        .compose(c -> {
          Seen all = seen.get(siteId);
          Seen during = all == null ? null : all.of(minute);
          long active = c.snapshot().activeVisitors();
          long present = c.snapshot().present();
          if (during != null) {
            active = Math.max(active, during.active());
            present = Math.max(present, during.present());
          }
          return store.recordMinute(siteId, minute, active, present);
        });
  }
}
