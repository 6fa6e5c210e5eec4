package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Which frame of a push a stream is sent: a patch in the stream's format, only on top of the frame
 * it applies to.
 */
class PushTest {
  private final Buffer full = Buffer.buffer("full");
  private final Buffer patch = Buffer.buffer("patch");
  private final Buffer jsonPatch = Buffer.buffer("json-patch");

  @Test
  void aDeltaStreamHoldingTheFrameBeforeGetsThePatch() {
    assertSame(patch, new Push(5, full, 4, patch, null).frameFor(DeltaFormat.MERGE_PATCH, 4));
  }

  @Test
  void eachDeltaStreamGetsThePatchInItsOwnFormat() {
    Push push = new Push(5, full, 4, patch, jsonPatch);
    assertSame(patch, push.frameFor(DeltaFormat.MERGE_PATCH, 4));
    assertSame(jsonPatch, push.frameFor(DeltaFormat.JSON_PATCH, 4));
    assertSame(full, new Push(5, full, 4, patch, null).frameFor(DeltaFormat.JSON_PATCH, 4),
        "no JSON Patch was made: the whole frame");
  }

  @Test
  void aDeltaStreamThatSkippedFramesOrHasNoneYetGetsTheWholeFrame() {
    Push push = new Push(5, full, 4, patch, jsonPatch);
    assertSame(full, push.frameFor(DeltaFormat.MERGE_PATCH, 3), "skipped frame 4 (its socket was full)");
    assertSame(full, push.frameFor(DeltaFormat.MERGE_PATCH, -1), "its first frame");
    assertSame(full, push.frameFor(DeltaFormat.JSON_PATCH, 3), "skipped frame 4 (its socket was full)");
    assertSame(full, push.frameFor(DeltaFormat.JSON_PATCH, -1), "its first frame");
  }

  @Test
  void aPlainStreamAlwaysGetsTheWholeFrame() {
    assertSame(full, new Push(5, full, 4, patch, jsonPatch).frameFor(DeltaFormat.NONE, 4));
  }

  @Test
  void withoutAPatchEveryStreamGetsTheWholeFrame() {
    assertSame(full, new Push(5, full, 4, null, null).frameFor(DeltaFormat.MERGE_PATCH, 4));
  }
}
