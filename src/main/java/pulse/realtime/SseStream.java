package pulse.realtime;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.Set;

/**
 * One open stream. Everything it writes runs on its connection's event loop ({@link #loop}), so
 * a write is a plain socket write, not a task handed to another thread, and its fields need no
 * locks. A stream whose socket is full skips frames and later gets the newest whole; a delta
 * stream gets a patch (in its format) only when it holds the frame the patch applies to, else the
 * whole frame.
 */
final class SseStream {
  final HttpServerResponse response;
  final String ip;
  final Context loop;
  /** What it is sent after its first whole frame. */
  final DeltaFormat delta;
  private final Clock clock;
  /** The seq of the last frame written (-1: none yet); on the loop only. */
  private long held = -1;
  private Push pending;
  /** When the socket was first found full, or 0; read by the hub's stuck check. */
  volatile long fullSince;
  /**
   * Where a stream whose socket is full notes itself, so that the stuck check reads those only
   * (its group's {@link LoopFanout}); set when it joins, before its first write.
   */
  volatile Set<SseStream> blocked;

  SseStream(HttpServerResponse response, String ip, Context loop, DeltaFormat delta,
      Clock clock) {
    this.response = response;
    this.ip = ip;
    this.loop = loop;
    this.delta = delta;
    this.clock = clock;
  }

  /** On the loop: sends the frame unless this stream already has it (or a newer one). */
  void send(Push push) {
    if (push.seq() <= held) {
      return;
    }
    if (response.writeQueueFull()) {
      pending = push;
      if (fullSince == 0) {
        fullSince = clock.millis();
        Set<SseStream> set = blocked;
        if (set != null) {
          set.add(this);
        }
      }
      return;
    }
    pending = null;
    flowing();
    Buffer frame = push.frameFor(delta, held);
    held = push.seq();
    response.write(frame);
  }

  private void flowing() {
    if (fullSince != 0) {
      fullSince = 0;
      Set<SseStream> set = blocked;
      if (set != null) {
        set.remove(this);
      }
    }
  }

  /** From any thread: {@link #send} on the stream's loop. */
  void sendOnLoop(Push push) {
    loop.runOnContext(v -> send(push));
  }

  /** On the loop: a comment or an alert, dropped when the socket is full. */
  void sendIfRoom(Buffer buffer) {
    if (!response.writeQueueFull()) {
      response.write(buffer);
    }
  }

  /** On the loop: the socket has room again; the newest skipped frame goes out. */
  void drained() {
    flowing();
    if (pending != null) {
      Push push = pending;
      pending = null;
      send(push);
    }
  }
}
