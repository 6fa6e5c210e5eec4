package pulse.realtime;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The open Server-Sent Event streams, grouped by site, window, view and filter. Each group's frame is
 * built once per change and the same buffer is written to every stream of the group, so the cost
 * of a push does not grow with the number of readers. All state changes run on the hub's own
 * context (the realtime verticle's), so no locks are needed.
 *
 * <p>The hub coordinates; its parts decide: {@link StreamAdmission} how many streams may be open,
 * {@link RefreshBudget} (one per group) and {@link RecentChangeNotes} when a group computes a new
 * snapshot and how new it must be, {@link SseFrames} the text of every frame.
 */
public final class StreamHub {
  private static final Logger LOG = Logger.getLogger(StreamHub.class.getName());
  /** The first frame of every stream (kept here for the routes). */
  public static final Buffer RETRY = SseFrames.RETRY;

  /**
   * What a stream shows: a site's snapshot over a window, whole or as a counter, of the visitors
   * a filter matches. Streams with the same key share one computation and one encoded frame.
   */
  public record Key(String siteId, int windowSeconds, boolean counter, SnapshotFilter filter) {
    /** An unfiltered stream. */
    public Key(String siteId, int windowSeconds, boolean counter) {
      this(siteId, windowSeconds, counter, SnapshotFilter.NONE);
    }
  }

  /** The settings a hub runs with. */
  public record Settings(long tickMillis, long fallbackMillis, long keepAliveMillis,
      int maxStreams, int maxStreamsPerIp, long stuckMillis) {}

  private final SnapshotService snapshots;
  private final Clock clock;
  private final Settings settings;
  private Context context;
  private final Map<Key, Group> groups = new ConcurrentHashMap<>();
  private final StreamAdmission admission;
  private final RecentChangeNotes recentNotes;
  private long timerId = -1;
  private long lastKeepAlive;

  public StreamHub(SnapshotService snapshots, Clock clock, Settings settings) {
    this.snapshots = snapshots;
    this.clock = clock;
    this.settings = settings;
    this.admission = new StreamAdmission(settings.maxStreams(), settings.maxStreamsPerIp());
    this.recentNotes = new RecentChangeNotes(settings.tickMillis());
  }

  /** Binds the hub to the context its timer and state live on (the realtime verticle's). */
  void bind(Context context) {
    this.context = context;
  }

  /**
   * Reserves a slot for a new stream; the caller must then {@link #open} it or {@link #release} it.
   *
   * @param ip the client's address as the per-address cap counts it
   */
  public StreamAdmission.Decision admit(String ip) {
    return admission.admit(ip);
  }

  public void release(String ip) {
    admission.release(ip);
  }

  public int openStreams() {
    return admission.open();
  }

  /** Starts a stream whose headers are written: sends the current snapshot at once, then pushes. */
  public void open(Key key, HttpServerResponse response, String ip) {
    Stream stream = new Stream(response, ip);
    response.closeHandler(v -> context.runOnContext(x -> remove(key, stream)));
    response.drainHandler(v -> context.runOnContext(x -> stream.drained()));
    context.runOnContext(v -> {
      if (response.closed()) {
        // dropped before it joined a group: no close handler will release its slot
        release(ip);
        return;
      }
      Group group = groups.computeIfAbsent(key, Group::new);
      group.streams.add(stream);
      startTimer();
      // this tick's snapshot, unless a change note came after it began
      long notBefore = recentNotes.notBefore(key.siteId(), clock.millis());
      snapshots.since(key.siteId(), key.windowSeconds(), key.filter(), notBefore)
          .onComplete(ar -> onHub(() -> {
        if (ar.succeeded()) {
          group.offer(ar.result().snapshot(), ar.result().json());
          stream.write(group.frameFor(ar.result().snapshot(), ar.result().json()));
        } else if (group.staleFrame != null) {
          stream.write(group.staleFrame);
        }
      }));
    });
  }

  private void remove(Key key, Stream stream) {
    Group group = groups.get(key);
    if (group != null && group.streams.remove(stream)) {
      release(stream.ip);
      if (group.streams.isEmpty()) {
        groups.remove(key);
      }
    }
  }

  /** A change note: the site has new events; its groups refresh within a tick. */
  public void changed(String siteId) {
    if (context == null) {
      return;
    }
    context.runOnContext(v -> {
      long now = clock.millis();
      recentNotes.noted(siteId, now);
      for (Group group : groups.values()) {
        if (group.key.siteId().equals(siteId)) {
          group.budget.noteChange(now);
          if (group.budget.mayCompute(now)) {
            group.refresh(now);
          } else {
            group.refreshWhenCredited();
          }
        }
      }
    });
  }

  /**
   * Sends one named message (an alert) to every open stream of the site, whatever its window,
   * view or filter: {@code event: <name>} with the JSON as data. Not replayed to streams opened
   * later.
   */
  public void broadcast(String siteId, String eventName, Buffer json) {
    if (context == null) {
      return;
    }
    Buffer frame = SseFrames.message(-1, eventName, json);
    context.runOnContext(v -> {
      for (Group group : groups.values()) {
        if (group.key.siteId().equals(siteId)) {
          for (Stream s : group.streams) {
            s.writeIfRoom(frame);
          }
        }
      }
    });
  }

  /** Runs on the hub's context: snapshot futures may complete on another event loop. */
  private void onHub(Runnable action) {
    if (io.vertx.core.Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void startTimer() {
    if (timerId < 0) {
      long period = Math.max(25, settings.tickMillis() / 4);
      timerId = context.owner().setPeriodic(period, id -> tick());
    }
  }

  private void tick() {
    if (groups.isEmpty()) {
      context.owner().cancelTimer(timerId);
      timerId = -1;
      return;
    }
    long now = clock.millis();
    for (Group group : groups.values()) {
      if (group.budget.dueAt(now)) {
        group.refresh(now);
      }
      group.closeStuck(now);
    }
    if (now - lastKeepAlive >= settings.keepAliveMillis()) {
      lastKeepAlive = now;
      for (Group group : groups.values()) {
        for (Stream s : group.streams) {
          s.writeIfRoom(SseFrames.KEEP_ALIVE);
        }
      }
    }
  }

  /** Sends every stream a final message and closes it, so browsers reconnect elsewhere. */
  public void closeAll() {
    admission.close();
    Buffer bye = SseFrames.close("shutdown");
    for (Group group : new ArrayList<>(groups.values())) {
      for (Stream s : new ArrayList<>(group.streams)) {
        s.response.write(bye);
        s.response.end();
      }
    }
    groups.clear();
  }

  private final class Group {
    final Key key;
    final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    final RefreshBudget budget = new RefreshBudget(settings.tickMillis(), settings.fallbackMillis());
    Snapshot last;
    Buffer lastJson;
    Buffer lastFrame;
    Buffer staleFrame;
    /** A one-shot timer for when the budget next holds a computation, or -1. */
    long tickEndTimer = -1;

    Group(Key key) {
      this.key = key;
    }

    /**
     * A change that finds no credit left is pushed the moment there is (the periodic timer alone
     * would add up to a quarter tick of delay).
     */
    void refreshWhenCredited() {
      if (tickEndTimer >= 0) {
        return;
      }
      long wait = budget.millisUntilCredit(clock.millis());
      tickEndTimer = context.owner().setTimer(wait, t -> {
        tickEndTimer = -1;
        long now = clock.millis();
        if (budget.changePending() && groups.get(key) == this && budget.mayCompute(now)) {
          refresh(now);
        }
      });
    }

    void refresh(long now) {
      if (budget.computing()) {
        return;
      }
      long notBefore = budget.begin(now);
      snapshots.since(key.siteId(), key.windowSeconds(), key.filter(), notBefore)
          .onComplete(ar -> onHub(() -> {
        if (budget.end()) {
          // a change arrived while this one was computed
          refreshWhenCredited();
        }
        if (ar.failed()) {
          LOG.fine(() -> "snapshot of " + key + " failed: " + ar.cause().getMessage());
          markStale();
          return;
        }
        staleFrame = null;
        Snapshot snapshot = ar.result().snapshot();
        if (offer(snapshot, ar.result().json())) {
          for (Stream s : streams) {
            s.write(lastFrame);
          }
        }
      }));
    }

    /**
     * The store cannot be read: streams stay open and get the last good figures once, marked
     * {@code "stale": true} (their timestamp is the time of the last good snapshot). The next
     * good snapshot is pushed whatever it says.
     */
    void markStale() {
      if (staleFrame != null || last == null) {
        return;
      }
      staleFrame = SseFrames.stale(last, lastJson, key.counter(), clock.millis());
      for (Stream s : streams) {
        s.write(staleFrame);
      }
      last = null;
      lastFrame = null;
    }

    /** Takes a snapshot; true when it differs from the last one pushed (a new frame is ready). */
    boolean offer(Snapshot snapshot, Buffer json) {
      if (last != null && snapshot.timestampMillis() <= last.timestampMillis()) {
        return false;
      }
      boolean changed = last == null || (key.counter()
          ? last.activeVisitors() != snapshot.activeVisitors()
          : !last.sameFigures(snapshot));
      if (changed || lastFrame == null) {
        lastFrame = SseFrames.snapshot(snapshot, json, key.counter());
      }
      last = snapshot;
      lastJson = json;
      return changed;
    }

    /** The frame for a stream that just opened: the group's newest. */
    Buffer frameFor(Snapshot snapshot, Buffer json) {
      return lastFrame != null ? lastFrame : SseFrames.snapshot(snapshot, json, key.counter());
    }

    void closeStuck(long now) {
      for (Stream s : streams) {
        if (s.fullSince > 0 && now - s.fullSince > settings.stuckMillis()) {
          s.response.reset();
          remove(key, s);
        }
      }
    }
  }

  /** One open connection: a stuck one skips frames and later gets the newest. */
  private final class Stream {
    final HttpServerResponse response;
    final String ip;
    Buffer pending;
    long fullSince;

    Stream(HttpServerResponse response, String ip) {
      this.response = response;
      this.ip = ip;
    }

    void write(Buffer frame) {
      if (response.writeQueueFull()) {
        pending = frame;
        if (fullSince == 0) {
          fullSince = clock.millis();
        }
        return;
      }
      pending = null;
      fullSince = 0;
      response.write(frame);
    }

    void writeIfRoom(Buffer buffer) {
      if (!response.writeQueueFull()) {
        response.write(buffer);
      }
    }

    void drained() {
      fullSince = 0;
      if (pending != null) {
        Buffer frame = pending;
        pending = null;
        write(frame);
      }
    }
  }

  public List<Key> keys() {
    return List.copyOf(groups.keySet());
  }
}
