package pulse.realtime;

import io.vertx.core.buffer.Buffer;

/**
 * One new frame of a stream group, as every stream of the group is sent it: the whole document,
 * and for delta streams the JSON Merge Patch from the frame before. Both are encoded once, off
 * the heap ({@link SseFrames#shared}), and written as they are to every stream.
 *
 * @param seq the group's number of this frame (rising)
 * @param full the whole frame, for plain streams and for a delta stream's first frame
 * @param patchFrom the {@code seq} of the frame the patch applies to
 * @param patch the patch frame, or {@code null} when there is none (delta streams get {@code full})
 */
record Push(long seq, Buffer full, long patchFrom, Buffer patch) {
  /** The frame for a stream that holds frame {@code held} (-1: none yet). */
  Buffer frameFor(boolean delta, long held) {
    return delta && patch != null && patchFrom == held ? patch : full;
  }
}
