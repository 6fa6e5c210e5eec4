package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Which frame of a push a stream is sent: a patch only on top of the frame it applies to. */
class PushTest {
  private final Buffer full = Buffer.buffer("full");
  private final Buffer patch = Buffer.buffer("patch");

  @Test
  void aDeltaStreamHoldingTheFrameBeforeGetsThePatch() {
    assertSame(patch, new Push(5, full, 4, patch).frameFor(true, 4));
  }

  @Test
  void aDeltaStreamThatSkippedFramesOrHasNoneYetGetsTheWholeFrame() {
    Push push = new Push(5, full, 4, patch);
    assertSame(full, push.frameFor(true, 3), "skipped frame 4 (its socket was full)");
    assertSame(full, push.frameFor(true, -1), "its first frame");
  }

  @Test
  void aPlainStreamAlwaysGetsTheWholeFrame() {
    assertSame(full, new Push(5, full, 4, patch).frameFor(false, 4));
  }

  @Test
  void withoutAPatchEveryStreamGetsTheWholeFrame() {
    assertSame(full, new Push(5, full, 4, null).frameFor(true, 4));
  }
}
