package pulse.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The tracker every visitor downloads stays small: under 2 KB gzipped, in the fast test set. */
class TrackerSizeTest {
  private static final String NAME = "script.js";

  private static byte[] tracker() throws IOException {
    try (InputStream in = TrackerSizeTest.class.getResourceAsStream("/web/" + NAME)) {
      assertTrue(in != null, "web/" + NAME + " is on the class path");
      return in.readAllBytes();
    }
  }

  /** As {@code gzip -9 -c script.js | wc -c} counts: best compression, the file name kept. */
  private static int gzipNine(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gzip.write(bytes);
    }
    return out.size() + NAME.length() + 1;
  }

  @Test
  void theTrackerIsUnderTwoKilobytesGzipped() throws IOException {
    byte[] script = tracker();
    int size = gzipNine(script);
    assertTrue(size < 2048, NAME + " is " + size + " bytes gzipped; the limit is 2048");
    assertFalse(new String(script, StandardCharsets.UTF_8).contains("document.cookie"),
        "the tracker never touches cookies");
  }
}
