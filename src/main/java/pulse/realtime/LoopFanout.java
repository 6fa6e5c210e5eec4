package pulse.realtime;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A group's streams by the event loop their connection runs on. A push is one task per loop that
 * writes the same frames to that loop's streams, {@link #BATCH} at a time, instead of one task (a
 * thread hop and a wake-up) per stream. Streams are added and removed on the hub's context, and a
 * push starts there: it hands each loop an array of that loop's streams, made again only after a
 * stream came or went (copying 10,000 streams out of a set took a twentieth of a push). A stream
 * added during a push gets that push or the next.
 */
final class LoopFanout {
  private static final Logger LOG = Logger.getLogger(LoopFanout.class.getName());
  /** Streams written per task: a few milliseconds of socket writes. */
  static final int BATCH = 256;
  /** One loop's streams, and an array of them for pushes (null after a change). */
  private static final class LoopStreams {
    final Set<SseStream> streams = new HashSet<>();
    SseStream[] array;

    SseStream[] array() {
      if (array == null) {
        array = streams.toArray(new SseStream[0]);
      }
      return array;
    }
  }

  /** On the hub's context only. */
  private final Map<Context, LoopStreams> byLoop = new HashMap<>();
  /** The streams whose sockets are full (they note themselves), for the stuck check. */
  private final Set<SseStream> blocked = ConcurrentHashMap.newKeySet();
  private int size;
  /** Streams per delta format, indexed by ordinal. */
  private final int[] formats = new int[DeltaFormat.values().length];

  /** On the hub's context. */
  void add(SseStream stream) {
    stream.blocked = blocked;
    LoopStreams loop = byLoop.computeIfAbsent(stream.loop, l -> new LoopStreams());
    loop.streams.add(stream);
    loop.array = null;
    size++;
    formats[stream.delta.ordinal()]++;
  }

  /** On the hub's context; false when the stream was not here. */
  boolean remove(SseStream stream) {
    LoopStreams loop = byLoop.get(stream.loop);
    if (loop == null || !loop.streams.remove(stream)) {
      return false;
    }
    loop.array = null;
    blocked.remove(stream);
    if (loop.streams.isEmpty()) {
      byLoop.remove(stream.loop);
    }
    size--;
    formats[stream.delta.ordinal()]--;
    return true;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** How many streams want patches of that format (none: no such patch is computed). */
  int wanting(DeltaFormat format) {
    return formats[format.ordinal()];
  }

  /** Every stream gets the push, each loop's streams in one task on that loop. */
  void push(Push push) {
    onEachLoop(s -> s.send(push));
  }

  /** A comment or an alert to every stream with room for it, one task per loop. */
  void sendIfRoom(Buffer buffer) {
    onEachLoop(s -> s.sendIfRoom(buffer));
  }

  /** On the hub's context: each loop gets a task writing to the streams it has now. */
  private void onEachLoop(Consumer<SseStream> action) {
    byLoop.forEach((loop, streams) -> {
      SseStream[] all = streams.array();
      loop.runOnContext(v -> writeBatch(loop, all, 0, action));
    });
  }

  /**
   * Writes to {@link #BATCH} streams, then queues the rest behind whatever else waits for the
   * loop: thousands of writes in one task would hold back the loop's requests and, when the
   * hub's context shares the thread, the next snapshot.
   */
  private static void writeBatch(Context loop, SseStream[] all, int from,
      Consumer<SseStream> action) {
    int to = Math.min(all.length, from + BATCH);
    for (int i = from; i < to; i++) {
      try {
        action.accept(all[i]);
      } catch (RuntimeException e) {
        // a response ended under us (shutdown, a reset): the loop's other streams still get it
        LOG.fine(() -> "a stream write failed: " + e);
      }
    }
    if (to < all.length) {
      loop.runOnContext(v -> writeBatch(loop, all, to, action));
    }
  }

  /**
   * The streams whose sockets were full at their last write, on the hub's context (the stuck
   * check, which may remove the stream it is given): a scan of all streams every tick took a
   * third of Pulse's CPU at 10,000 streams.
   */
  void forEachBlocked(Consumer<SseStream> action) {
    blocked.forEach(action);
  }

  /** A copy of every stream (for shutdown). */
  List<SseStream> all() {
    List<SseStream> all = new ArrayList<>(size);
    byLoop.values().forEach(loop -> all.addAll(loop.streams));
    return all;
  }
}
