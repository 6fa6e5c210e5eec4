package pulse.realtime;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;

/**
 * The text of the Server-Sent Event frames a stream sends: its opening {@code retry:} line,
 * snapshot messages ({@code id:}, {@code event:}, {@code data:}), keep-alive comments and the
 * final {@code event: close}. Pure functions of their arguments, so one frame can be built once
 * and the same buffer written to every stream of a group.
 */
public final class SseFrames {
  /** The first frame of every stream: a browser that loses it reconnects after 3 s. */
  public static final Buffer RETRY = Buffer.buffer("retry: 3000\n\n");
  /** A comment: keeps proxies from closing a quiet stream, and browsers ignore it. */
  public static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

  private SseFrames() {
  }

  /**
   * A snapshot message; its id is the snapshot's time. The whole view sends the snapshot's JSON as
   * it is; the counter view only the active and present visitors and the time.
   */
  public static Buffer snapshot(Snapshot snapshot, Buffer json, boolean counter) {
    return message(snapshot.timestampMillis(), "snapshot", snapshotData(snapshot, json, counter));
  }

  /** The data of a snapshot message: the snapshot's JSON, or the counter view's few figures. */
  public static Buffer snapshotData(Snapshot snapshot, Buffer json, boolean counter) {
    return counter
        ? Buffer.buffer(new JsonObject().put("activeVisitors", snapshot.activeVisitors())
            .put("present", snapshot.present()).put("timestamp", snapshot.timestamp()).encode())
        : json;
  }

  /**
   * A delta stream's message after its first snapshot: the patch that turns the document the
   * stream last got into this snapshot's, a JSON Merge Patch (RFC 7386) object or a JSON Patch
   * (RFC 6902) array, as the stream asked; its id is the snapshot's time.
   */
  public static Buffer patch(long id, Buffer patchJson) {
    return message(id, "patch", patchJson);
  }

  /**
   * The same bytes off the Java heap, for a frame written to many sockets: a heap buffer is
   * copied into a direct one on every socket write, a direct one is written as it is. The
   * memory is a JDK direct buffer, so the garbage collector frees it with the last reference.
   */
  public static Buffer shared(Buffer frame) {
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length());
    direct.put(frame.getBytes()).flip();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(direct));
  }

  /**
   * The last good figures once more, marked {@code "stale": true}, while the store cannot be read.
   * Their timestamp stays that of the last good snapshot; the id is the time of sending.
   */
  public static Buffer stale(Snapshot last, Buffer lastJson, boolean counter, long id) {
    return message(id, "snapshot", staleData(last, lastJson, counter));
  }

  /** The data of a stale message: the last good figures with {@code "stale": true}. */
  public static Buffer staleData(Snapshot last, Buffer lastJson, boolean counter) {
    return counter
        ? Buffer.buffer(new JsonObject().put("stale", true)
            .put("activeVisitors", last.activeVisitors()).put("present", last.present())
            .put("timestamp", last.timestamp())
            .encode())
        : Buffer.buffer("{\"stale\":true,").appendBuffer(lastJson, 1, lastJson.length() - 1);
  }

  /** The last message of a stream, saying why it ends; browsers then reconnect elsewhere. */
  public static Buffer close(String reason) {
    return message(-1, "close", Buffer.buffer(new JsonObject().put("reason", reason).encode()));
  }

  /**
   * One message. Every line of the data gets its own {@code data:} field (a reader joins them
   * with newlines again), so a line break inside the data can neither end the frame nor start a
   * field of its own. A negative id sends no {@code id:} line.
   */
  public static Buffer message(long id, String event, Buffer data) {
    if (event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("an event name is one line: " + event);
    }
    Buffer frame = Buffer.buffer(data.length() + 64);
    if (id >= 0) {
      frame.appendString("id: ").appendString(Long.toString(id)).appendString("\n");
    }
    frame.appendString("event: ").appendString(event).appendString("\n");
    appendData(frame, data);
    return frame.appendString("\n");
  }

  /** Appends {@code data: <line>\n} per line; CR LF, CR and LF each end a line, as in SSE. */
  private static void appendData(Buffer frame, Buffer data) {
    int start = 0;
    int length = data.length();
    for (int i = 0; i < length; i++) {
      byte b = data.getByte(i);
      if (b == '\n' || b == '\r') {
        frame.appendString("data: ").appendBuffer(data, start, i - start).appendString("\n");
        if (b == '\r' && i + 1 < length && data.getByte(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    frame.appendString("data: ").appendBuffer(data, start, length - start).appendString("\n");
  }
}
