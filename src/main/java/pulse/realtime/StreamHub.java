package pulse.realtime;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The open Server-Sent Event streams, grouped by site, window and view. Each group's frame is
 * built once per change and the same buffer is written to every stream of the group, so the cost
 * of a push does not grow with the number of readers. All state changes run on the hub's own
 * context (the realtime verticle's), so no locks are needed.
 */
public final class StreamHub {
  private static final Logger LOG = Logger.getLogger(StreamHub.class.getName());
  public static final Buffer RETRY = Buffer.buffer("retry: 3000\n\n");
  private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

  /** What a stream shows: a site's snapshot over a window, whole or as a counter. */
  public record Key(String siteId, int windowSeconds, boolean counter) {}

  /** The settings a hub runs with. */
  public record Settings(long tickMillis, long fallbackMillis, long keepAliveMillis,
      int maxStreams, int maxStreamsPerIp, long stuckMillis) {}

  private final SnapshotService snapshots;
  private final Clock clock;
  private final Settings settings;
  private Context context;
  private final Map<Key, Group> groups = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
  /**
   * When each site's newest change note arrived, for a tick: a stream opened after a note must get
   * a snapshot computed after it, even when no group of the site was open to take the note.
   */
  private final Map<String, Long> lastNote = new ConcurrentHashMap<>();
  private long timerId = -1;
  private long lastKeepAlive;
  private boolean closing;

  public StreamHub(SnapshotService snapshots, Clock clock, Settings settings) {
    this.snapshots = snapshots;
    this.clock = clock;
    this.settings = settings;
  }

  /** Binds the hub to the context its timer and state live on (the realtime verticle's). */
  void bind(Context context) {
    this.context = context;
  }

  public enum Admission { OK, INSTANCE_FULL, IP_FULL }

  /** Reserves a slot for a new stream; the caller must then {@link #open} it or {@link #release} it. */
  public Admission admit(String ip) {
    if (closing || open.incrementAndGet() > settings.maxStreams()) {
      open.decrementAndGet();
      return Admission.INSTANCE_FULL;
    }
    AtomicInteger count = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
    if (count.incrementAndGet() > settings.maxStreamsPerIp()) {
      count.decrementAndGet();
      open.decrementAndGet();
      return Admission.IP_FULL;
    }
    return Admission.OK;
  }

  public void release(String ip) {
    open.decrementAndGet();
    AtomicInteger count = perIp.get(ip);
    if (count != null && count.decrementAndGet() <= 0) {
      perIp.remove(ip, count);
    }
  }

  public int openStreams() {
    return open.get();
  }

  /** Starts a stream whose headers are written: sends the current snapshot at once, then pushes. */
  public void open(Key key, HttpServerResponse response, String ip) {
    Stream stream = new Stream(response, ip);
    response.closeHandler(v -> context.runOnContext(x -> remove(key, stream)));
    response.drainHandler(v -> context.runOnContext(x -> stream.drained()));
    context.runOnContext(v -> {
      if (response.closed()) {
        remove(key, stream);
        return;
      }
      Group group = groups.computeIfAbsent(key, Group::new);
      group.streams.add(stream);
      startTimer();
      // this tick's snapshot, unless a change note came after it began
      long notBefore = Math.max(clock.millis() - settings.tickMillis() + 1,
          lastNote.getOrDefault(key.siteId(), 0L));
      snapshots.since(key.siteId(), key.windowSeconds(), notBefore).onComplete(ar -> onHub(() -> {
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
      // older notes no longer matter: a tick-old snapshot is computed after them anyway
      lastNote.values().removeIf(t -> now - t >= settings.tickMillis());
      lastNote.put(siteId, now);
      for (Group group : groups.values()) {
        if (group.key.siteId().equals(siteId)) {
          if (!group.dirty) {
            group.dirty = true;
            group.dirtySince = now;
          }
          if (group.mayCompute(now)) {
            group.refresh(now);
          } else {
            group.refreshWhenCredited();
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
      long since = now - group.lastComputed;
      if ((group.dirty && group.mayCompute(now)) || since >= settings.fallbackMillis()) {
        group.refresh(now);
      }
      group.closeStuck(now);
    }
    if (now - lastKeepAlive >= settings.keepAliveMillis()) {
      lastKeepAlive = now;
      for (Group group : groups.values()) {
        for (Stream s : group.streams) {
          s.writeIfRoom(KEEP_ALIVE);
        }
      }
    }
  }

  /** Sends every stream a final message and closes it, so browsers reconnect elsewhere. */
  public void closeAll() {
    closing = true;
    Buffer bye = Buffer.buffer("event: close\ndata: " + new JsonObject().put("reason", "shutdown")
        .encode() + "\n\n");
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
    Snapshot last;
    Buffer lastJson;
    Buffer lastFrame;
    Buffer staleFrame;
    long lastComputed;
    /**
     * Computations a group may make, refilled at one per tick and held to two: on average one per
     * tick however busy the site, but a change arriving a little less than a tick after the last
     * one (a site with an event every second, and some jitter) is still pushed at once, instead
     * of the pushes locking onto a tick boundary that lags every change.
     */
    double credit = 2;
    long creditAt;
    boolean dirty;
    /** When the oldest change note not yet shown arrived: the next snapshot must be newer. */
    long dirtySince;
    boolean computing;
    /** A one-shot timer for the end of the current tick, or -1. */
    long tickEndTimer = -1;

    Group(Key key) {
      this.key = key;
    }

    void refill(long now) {
      if (creditAt == 0) {
        creditAt = now;
      }
      credit = Math.min(2, credit + (double) Math.max(0, now - creditAt) / settings.tickMillis());
      creditAt = now;
    }

    boolean mayCompute(long now) {
      refill(now);
      return credit >= 1;
    }

    /**
     * A change that finds no credit left is pushed the moment there is (the periodic timer alone
     * would add up to a quarter tick of delay).
     */
    void refreshWhenCredited() {
      if (tickEndTimer >= 0) {
        return;
      }
      refill(clock.millis());
      long wait = Math.max(1, (long) Math.ceil((1 - credit) * settings.tickMillis()));
      tickEndTimer = context.owner().setTimer(wait, t -> {
        tickEndTimer = -1;
        long now = clock.millis();
        if (dirty && groups.get(key) == this && mayCompute(now)) {
          refresh(now);
        }
      });
    }

    void refresh(long now) {
      if (computing) {
        return;
      }
      computing = true;
      // after a change note the snapshot must be computed after it; otherwise this tick's will do
      long notBefore = dirty ? dirtySince : now - settings.tickMillis() + 1;
      dirty = false;
      lastComputed = now;
      refill(now);
      credit = Math.max(0, credit - 1);
      snapshots.since(key.siteId(), key.windowSeconds(), notBefore)
          .onComplete(ar -> onHub(() -> {
        computing = false;
        if (dirty) {
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
      Buffer data = key.counter()
          ? Buffer.buffer(new JsonObject().put("stale", true)
              .put("activeVisitors", last.activeVisitors()).put("timestamp", last.timestamp())
              .encode())
          : Buffer.buffer("{\"stale\":true,").appendBuffer(lastJson, 1, lastJson.length() - 1);
      staleFrame = Buffer.buffer()
          .appendString("id: ").appendString(Long.toString(clock.millis()))
          .appendString("\nevent: snapshot\ndata: ").appendBuffer(data).appendString("\n\n");
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
        lastFrame = frame(snapshot, json);
      }
      last = snapshot;
      lastJson = json;
      return changed;
    }

    /** The frame for a stream that just opened: the group's newest. */
    Buffer frameFor(Snapshot snapshot, Buffer json) {
      return lastFrame != null ? lastFrame : frame(snapshot, json);
    }

    Buffer frame(Snapshot snapshot, Buffer json) {
      Buffer data = key.counter()
          ? Buffer.buffer(new JsonObject().put("activeVisitors", snapshot.activeVisitors())
              .put("timestamp", snapshot.timestamp()).encode())
          : json;
      return Buffer.buffer(data.length() + 64)
          .appendString("id: ").appendString(Long.toString(snapshot.timestampMillis()))
          .appendString("\nevent: snapshot\ndata: ").appendBuffer(data).appendString("\n\n");
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
