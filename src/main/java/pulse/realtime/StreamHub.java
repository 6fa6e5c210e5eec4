package pulse.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The open Server-Sent Event streams, grouped by site, window, view and filter. Each group's frame is
 * built once per change (and, while delta streams are open, its patch from the frame before in
 * each format they asked for: JSON Merge Patch, JSON Patch), off the heap, and the same buffers are written to every stream of the group, so the
 * encoding cost of a push does not grow with the number of readers. The writing is one task per
 * event loop ({@link LoopFanout}). All state changes run on the hub's own context (the realtime
 * verticle's), so no locks are needed.
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

  /** Starts a plain stream (whole snapshots only); see {@link #open(Key, HttpServerResponse, String, DeltaFormat)}. */
  public void open(Key key, HttpServerResponse response, String ip) {
    open(key, response, ip, DeltaFormat.NONE);
  }

  /**
   * Starts a stream whose headers are written: sends the current snapshot at once, then pushes.
   * Called on the connection's event loop, which then writes all of the stream's frames.
   *
   * @param delta after the first snapshot, send {@code event: patch} messages in this format
   *     (none: whole snapshots only)
   */
  public void open(Key key, HttpServerResponse response, String ip, DeltaFormat delta) {
    Context loop = Vertx.currentContext() != null ? Vertx.currentContext() : context;
    SseStream stream = new SseStream(response, ip, loop, delta, clock);
    response.closeHandler(v -> context.runOnContext(x -> remove(key, stream)));
    response.drainHandler(v -> stream.drained());
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
          if (group.offer(ar.result().snapshot(), ar.result().json())) {
            group.pushCurrent();
          }
          stream.sendOnLoop(group.current);
        } else if (group.stale) {
          stream.sendOnLoop(group.current);
        }
      }));
    });
  }

  private void remove(Key key, SseStream stream) {
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
          group.streams.sendIfRoom(frame);
        }
      }
    });
  }

  /** Runs on the hub's context: snapshot futures may complete on another event loop. */
  private void onHub(Runnable action) {
    if (Vertx.currentContext() == context) {
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
    // a keep-alive only for a group that has had no push for that long: at 10,000 streams a
    // comment to all of them is a burst of socket writes that a push arriving then waits behind
    for (Group group : groups.values()) {
      if (now - group.pushedAt >= settings.keepAliveMillis()) {
        group.pushedAt = now;
        group.streams.sendIfRoom(SseFrames.KEEP_ALIVE);
      }
    }
  }

  /** Sends every stream a final message and closes it, so browsers reconnect elsewhere. */
  public void closeAll() {
    admission.close();
    Buffer bye = SseFrames.close("shutdown");
    for (Group group : new ArrayList<>(groups.values())) {
      for (SseStream s : group.streams.all()) {
        s.response.write(bye);
        s.response.end();
      }
    }
    groups.clear();
  }

  private final class Group {
    final Key key;
    final LoopFanout streams = new LoopFanout();
    final RefreshBudget budget = new RefreshBudget(settings.tickMillis(), settings.fallbackMillis());
    /** The snapshot the newest frame shows (null before the first and while stale). */
    Snapshot last;
    Buffer lastJson;
    /** The newest frame, sent to every stream that opens; null before the first snapshot. */
    Push current;
    /**
     * Its data (the document delta streams hold), and that parsed while delta streams of each
     * format are open (Vert.x's tree for merge patches, Jackson's for zjsonpatch's JSON Patch).
     */
    Buffer currentData;
    JsonObject currentDoc;
    JsonNode currentTree;
    boolean stale;
    long seq;
    /** A one-shot timer for when the budget next holds a computation, or -1. */
    long tickEndTimer = -1;
    /**
     * When every stream of the group last had a frame or a keep-alive written (or skipped, its
     * socket being full); a stream that joins later gets a frame as it joins.
     */
    long pushedAt;

    Group(Key key) {
      this.key = key;
      this.pushedAt = clock.millis();
    }

    /** The newest frame to every stream of the group. */
    void pushCurrent() {
      pushedAt = clock.millis();
      streams.push(current);
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
        if (offer(ar.result().snapshot(), ar.result().json())) {
          pushCurrent();
        }
      }));
    }

    /**
     * The store cannot be read: streams stay open and get the last good figures once, marked
     * {@code "stale": true} (their timestamp is the time of the last good snapshot). The next
     * good snapshot is pushed whatever it says.
     */
    void markStale() {
      if (stale || last == null) {
        return;
      }
      stale = true;
      long now = clock.millis();
      next(now, SseFrames.staleData(last, lastJson, key.counter()));
      pushCurrent();
      last = null;
    }

    /** Takes a snapshot; true when it differs from the last one pushed (a new frame is ready). */
    boolean offer(Snapshot snapshot, Buffer json) {
      if (last != null && snapshot.timestampMillis() <= last.timestampMillis()) {
        return false;
      }
      boolean changed = last == null || (key.counter()
          ? last.activeVisitors() != snapshot.activeVisitors()
          : !last.sameFigures(snapshot));
      if (changed || current == null) {
        stale = false;
        next(snapshot.timestampMillis(), SseFrames.snapshotData(snapshot, json, key.counter()));
      }
      last = snapshot;
      lastJson = json;
      return changed;
    }

    /**
     * Makes the group's next frame: the whole document, and while delta streams are open the
     * patch from the frame before in each format they want (none when there is no frame before,
     * Merge Patch cannot say the change, or a JSON Patch would be no shorter than the document:
     * those streams then get the whole frame).
     */
    private void next(long id, Buffer data) {
      Buffer patch = null;
      if (streams.wanting(DeltaFormat.MERGE_PATCH) > 0) {
        JsonObject doc = parse(data);
        JsonObject before = currentDoc != null || currentData == null ? currentDoc
            : parse(currentData);
        JsonObject diff = doc == null || before == null ? null : MergePatch.diff(before, doc);
        if (diff != null) {
          patch = SseFrames.shared(SseFrames.patch(id, diff.toBuffer()));
        }
        currentDoc = doc;
      } else {
        currentDoc = null;
      }
      Buffer jsonPatch = null;
      if (streams.wanting(DeltaFormat.JSON_PATCH) > 0) {
        JsonNode tree = JsonPatchDiff.parse(data);
        JsonNode before = currentTree != null || currentData == null ? currentTree
            : JsonPatchDiff.parse(currentData);
        Buffer ops = tree == null || before == null ? null : jsonPatch(before, tree);
        if (ops != null && ops.length() < data.length()) {
          jsonPatch = SseFrames.shared(SseFrames.patch(id, ops));
        }
        currentTree = tree;
      } else {
        currentTree = null;
      }
      long from = seq++;
      current = new Push(seq, SseFrames.shared(SseFrames.message(id, "snapshot", data)), from,
          patch, jsonPatch);
      currentData = data;
    }

    /**
     * The JSON Patch between two documents, or null if the differ fails: its streams then get
     * the whole frame rather than every stream of the group missing the push.
     */
    private Buffer jsonPatch(JsonNode before, JsonNode after) {
      try {
        return JsonPatchDiff.encode(JsonPatchDiff.diff(before, after));
      } catch (RuntimeException e) {
        LOG.warning(() -> "JSON Patch of " + key + " failed, whole frame sent: " + e);
        return null;
      }
    }

    void closeStuck(long now) {
      streams.forEachBlocked(s -> {
        long since = s.fullSince;
        if (since > 0 && now - since > settings.stuckMillis()) {
          s.response.reset();
          remove(key, s);
        }
      });
    }
  }

  private static JsonObject parse(Buffer json) {
    try {
      return new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  public List<Key> keys() {
    return List.copyOf(groups.keySet());
  }
}
