package pulse.realtime;

import io.vertx.core.buffer.Buffer;

/**
 * One new frame of a stream group, as every stream of the group is sent it: the whole document,
 * and for delta streams the patch from the frame before in the format each asked for (JSON Merge
 * Patch, JSON Patch). Each is encoded once, off the heap ({@link SseFrames#shared}), and written
 * as it is to every stream.
 *
 * @param seq the group's number of this frame (rising)
 * @param full the whole frame, for plain streams and for a delta stream's first frame
 * @param patchFrom the {@code seq} of the frame the patches apply to
 * @param mergePatch the merge patch frame, or {@code null} when there is none (its streams get
 *     {@code full})
 * @param jsonPatch the JSON Patch frame, or {@code null} when there is none
 */
record Push(long seq, Buffer full, long patchFrom, Buffer mergePatch, Buffer jsonPatch) {
  /** The frame for a stream of that format that holds frame {@code held} (-1: none yet). */
  Buffer frameFor(DeltaFormat delta, long held) {
    Buffer patch = switch (delta) {
      case MERGE_PATCH -> mergePatch;
      case JSON_PATCH -> jsonPatch;
      case NONE -> null;
    };
    return patch != null && patchFrom == held ? patch : full;
  }
}
