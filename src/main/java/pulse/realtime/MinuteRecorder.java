package pulse.realtime;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import pulse.store.EventStore;
import pulse.store.MinutePoint;

/**
 * Writes every site's history, a point a minute: shortly after a minute ends, its active and
 * present visitors (the highest of the snapshots computed during the minute and one taken
 * then) go to the store, which adds the minute's pageviews and events. Every instance does this
 * for every site, and each tells its listeners the point the store holds; but a site's minute
 * with visitors costs a fresh snapshot, so only the instance that takes the lease
 * {@code minute:<minute>} of the site measures it, and the others read the point back once it is
 * written (or, if it is not written within {@link #READ_BACK_DELAYS_MILLIS}, because the holder
 * stopped, measure it themselves: the store keeps the first point written for a minute either
 * way). A quiet site's minute (zeros, no snapshot) is written by every instance, as cheap as
 * reading it back.
 */
public final class MinuteRecorder {
  private static final Logger LOG = Logger.getLogger(MinuteRecorder.class.getName());
  /** How long after a minute ends it is recorded: events of its last second reach the store. */
  public static final long DELAY_MILLIS = 2_000;
  /** Sites recorded at once. */
  private static final int PARALLEL = 8;
  /** How long the lease of a site's minute is held: past any instance's recording of it. */
  static final long LEASE_MILLIS = 120_000;
  /**
   * When an instance without a site's lease reads the point back, after its own sites are done:
   * the waits before each try (7.5 s in all).
   */
  static final long[] READ_BACK_DELAYS_MILLIS = {500, 1_000, 2_000, 4_000};

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

  /**
   * Records one ended minute of every site; completes when all are done, the points other
   * instances measured read back too (failures logged).
   */
  public Future<Void> record(long minute) {
    List<String> measuredElsewhere = Collections.synchronizedList(new ArrayList<>());
    return inLanes(new ArrayList<>(siteIds.get()), siteId ->
        told(siteId, minute, recordOrLease(siteId, minute).map(r -> {
          if (r == null) {
            measuredElsewhere.add(siteId);
          }
          return r;
        })))
        .transform(done -> readBack(new ArrayList<>(measuredElsewhere), minute, 0));
  }

  /**
   * Runs {@code each} for every site, {@value #PARALLEL} at a time (failures logged by
   * {@code each}, never stopping the rest): a minute of 10,000 sites is not 10,000 store calls at
   * once.
   */
  private static Future<Void> inLanes(List<String> ids, Function<String, Future<Void>> each) {
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < PARALLEL; lane++) {
      lanes.add(lane(ids, lane, each));
    }
    return Future.join(lanes).mapEmpty();
  }

  private static Future<Void> lane(List<String> ids, int index,
      Function<String, Future<Void>> each) {
    if (index >= ids.size()) {
      return Future.succeededFuture();
    }
    return each.apply(ids.get(index)).otherwiseEmpty()
        .compose(v -> lane(ids, index + PARALLEL, each));
  }

  /** The site's point as recorded, or null when another instance holds its lease. */
  private Future<EventStore.Recorded> recordOrLease(String siteId, long minute) {
    return store.lastEventTime(siteId).compose(last -> {
      // no event within a window of any moment of the minute: nobody was active or present
      // in it, and no snapshot need say so (a site nobody visits costs one small read)
      if (last == null
          || last < minute * 60_000L - HistoryService.ACTIVE_WINDOW_SECONDS * 1000L) {
        return store.recordMinute(siteId, minute, 0, 0);
      }
      return store.lease(siteId, "minute:" + minute, LEASE_MILLIS)
          .compose(mine -> mine ? measured(siteId, minute) : Future.succeededFuture(null));
    });
  }

  /**
   * The points of sites another instance measures, read from the store after each wait; those
   * still missing after the last are measured here (their holder stopped, or is that slow).
   */
  private Future<Void> readBack(List<String> siteIds, long minute, int attempt) {
    if (siteIds.isEmpty()) {
      return Future.succeededFuture();
    }
    if (attempt >= READ_BACK_DELAYS_MILLIS.length || vertx == null) {
      return inLanes(siteIds, siteId -> told(siteId, minute, measured(siteId, minute)));
    }
    return after(READ_BACK_DELAYS_MILLIS[attempt]).compose(v -> {
      List<String> missing = Collections.synchronizedList(new ArrayList<>());
      return inLanes(siteIds, siteId -> told(siteId, minute,
          store.history(siteId, minute, minute).map(points -> {
            if (points.isEmpty()) {
              missing.add(siteId);
              return null;
            }
            return new EventStore.Recorded(false, points.get(0));
          })))
          .transform(done -> readBack(new ArrayList<>(missing), minute, attempt + 1));
    });
  }

  private Future<Void> after(long millis) {
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(millis, t -> waited.complete());
    return waited.future();
  }

  /** Tells the listeners the point recorded (none when null: not known yet), logs a failure. */
  private Future<Void> told(String siteId, long minute, Future<EventStore.Recorded> recorded) {
    return recorded
        .onSuccess(r -> {
          if (r == null) {
            return;
          }
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
  private Future<EventStore.Recorded> measured(String siteId, long minute) {
    long endOfMinute = (minute + 1) * 60_000L;
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
