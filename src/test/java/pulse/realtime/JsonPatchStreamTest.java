package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The opt-in JSON Patch stream ({@code delta=json-patch}) over real HTTP: a whole snapshot first,
 * then JSON Patch arrays that, applied in order, give what the plain stream of the same site
 * shows; a new pageview is an add to {@code recent}, not the list again; and a reader that fell
 * behind (its frames skipped) gets a whole snapshot before any further patch.
 */
@Tag("server")
class JsonPatchStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static TestPulse start() {
    return TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> {
      c.with("realtime").put("tickMillis", 20);
      c.with("limits").put("ingestPerIpPerMinute", 0);
    });
  }

  private static JsonNode tree(String json) {
    return JsonPatchDiff.parse(Buffer.buffer(json));
  }

  /** The document after one message: a snapshot replaces it, a patch is applied to it. */
  private static JsonNode applied(JsonNode doc, String event, String data) {
    if (event.equals("snapshot")) {
      return tree(data);
    }
    assertEquals("patch", event);
    JsonNode patch = tree(data);
    assertTrue(patch.isArray(), "a JSON Patch is an array of operations: " + data);
    return JsonPatchDiff.apply(patch, doc);
  }

  @Test
  void patchesAppliedToTheFirstSnapshotEqualThePlainStreamsLatestFrame() {
    try (TestPulse pulse = start();
        SseClient full = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=5m");
        SseClient delta = SseClient.open(pulse.base()
            + "/api/sites/demo/stream?window=5m&delta=json-patch")) {
      SseClient.Frame first = delta.nextMessage(WAIT);
      assertNotNull(first);
      assertEquals("snapshot", first.event(), "a delta stream starts with the whole snapshot");
      JsonNode doc = tree(first.data());
      JsonNode plain = tree(full.nextMessage(WAIT).data());

      int patches = 0;
      String marker = "/json-patch-" + System.nanoTime() + "/";
      for (int i = 0; i < 6; i++) {
        // new pages, referrers and countries each time: top lists and recent change
        assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost" + marker
            + i + "\",\"referrer\":\"https://ref" + i + ".example/\"}", CHROME,
            "X-Forwarded-For", "10.8." + i + ".1").statusCode());
        String last = marker + i;
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!doc.toString().contains(last) && System.nanoTime() < deadline) {
          SseClient.Frame f = delta.nextMessage(Duration.ofMillis(200));
          if (f != null) {
            patches += f.event().equals("patch") ? 1 : 0;
            doc = applied(doc, f.event(), f.data());
          }
        }
        assertTrue(doc.toString().contains(last), "the delta stream shows " + last);
        deadline = System.nanoTime() + 3_000_000_000L;
        while (!plain.toString().contains(last) && System.nanoTime() < deadline) {
          SseClient.Frame f = full.nextMessage(Duration.ofMillis(200));
          if (f != null) {
            assertEquals("snapshot", f.event(), "a plain stream gets whole snapshots only");
            plain = tree(f.data());
          }
        }
        // both streams share the group's frames: the same newest one, as a patch or whole
        assertEquals(plain.path("timestamp"), doc.path("timestamp"));
        assertEquals(plain, doc);
      }
      assertTrue(patches >= 6, "patches after the first snapshot: " + patches);
    }
  }

  @Test
  void aNewPageviewIsAnAddToRecentAndAReconnectStartsWithAWholeSnapshot() {
    try (TestPulse pulse = start()) {
      // a site with some traffic, whatever ran before: its whole snapshot lists pages and recent
      String fill = "/json-patch-fill-" + System.nanoTime() + "/";
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 12; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"site\":\"demo\",\"url\":\"http://localhost")
            .append(fill).append(i).append("\",\"referrer\":\"https://fill").append(i)
            .append(".example/\"}");
      }
      assertEquals(202, pulse.collect(batch.append("]").toString(), CHROME,
          "X-Forwarded-For", "10.8.9.8").statusCode());
      String url = pulse.base() + "/api/sites/demo/stream?window=5m&delta=json-patch";
      try (SseClient delta = SseClient.open(url)) {
        SseClient.Frame first = delta.nextMessage(WAIT);
        assertEquals("snapshot", first.event());
        JsonNode doc = tree(first.data());
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!doc.toString().contains(fill + 11) && System.nanoTime() < deadline) {
          SseClient.Frame f = delta.nextMessage(Duration.ofMillis(200));
          if (f != null) {
            doc = applied(doc, f.event(), f.data());
          }
        }
        assertTrue(doc.toString().contains(fill + 11), "the stream shows the site's traffic");
        int whole = doc.toString().length();
        assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/small\"}",
            CHROME, "X-Forwarded-For", "10.8.9.9").statusCode());
        // the pageview comes in a patch: an add at the front of recent, not recent again. (It
        // may come a tick after the visitor moves to /small: a snapshot lists a visitor with the
        // newest state read, but counts pageviews up to its own time only.)
        SseClient.Frame adding = null;
        long until = System.nanoTime() + 3_000_000_000L;
        while (adding == null && System.nanoTime() < until) {
          SseClient.Frame patch = delta.nextMessage(Duration.ofMillis(200));
          if (patch == null) {
            continue;
          }
          assertEquals("patch", patch.event());
          assertTrue(patch.id().matches("\\d+"), "a patch's id is its snapshot's time");
          JsonNode ops = tree(patch.data());
          for (JsonNode op : ops) {
            assertTrue(!op.path("path").asText().equals("/recent"),
                "recent is not sent whole: " + op);
            if (op.path("op").asText().equals("add")
                && op.path("path").asText().equals("/recent/0")
                && op.path("value").path("path").asText().equals("/small")) {
              adding = patch;
            }
          }
          doc = applied(doc, patch.event(), patch.data());
        }
        assertNotNull(adding, "the new pageview is added at the front of recent: "
            + doc.path("recent").path(0));
        assertTrue(adding.data().length() < whole,
            "smaller than the whole snapshot: " + adding.data().length());
      }
      // a browser's reconnect (with Last-Event-ID) is a new stream: the whole snapshot first
      try (SseClient again = SseClient.open(url, "Last-Event-ID", "1")) {
        SseClient.Frame f = again.nextMessage(WAIT);
        assertEquals("snapshot", f.event());
        assertTrue(f.data().contains("/small"));
      }
    }
  }

  @Test
  void aReaderThatFellBehindGetsAWholeSnapshotBeforeAnyFurtherPatch() throws Exception {
    try (TestPulse pulse = start();
        SseClient plain = SseClient.open(pulse.base() + "/api/sites/demo/stream?window=1h");
        Socket socket = new Socket()) {
      // a small receive window: a reader that stops reading fills its socket within seconds
      socket.setReceiveBufferSize(2048);
      socket.connect(new InetSocketAddress("127.0.0.1", pulse.pulse().port()));
      socket.getOutputStream().write(("GET /api/sites/demo/stream?window=1h&delta=json-patch"
          + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      RawEvents events = new RawEvents(socket);
      String[] message = events.next(WAIT.toMillis());
      assertNotNull(message, "the first message");
      assertEquals("snapshot", message[0]);
      JsonNode doc = tree(message[1]);

      // long paths and titles: each push's patch adds 20 pageviews of about 2 KB to recent
      String title = "t".repeat(500);
      String tail = "/" + "p".repeat(1400);
      int n = 0;
      int wholeAgain = 0;
      int patches = 0;
      long deadline = System.currentTimeMillis() + 60_000;
      while (wholeAgain == 0 && System.currentTimeMillis() < deadline) {
        // not reading: big pageviews, pushed every tick, until the socket is full
        for (int round = 0; round < 150; round++) {
          StringBuilder batch = new StringBuilder("[");
          for (int i = 0; i < 20; i++, n++) {
            batch.append(i == 0 ? "" : ",").append("{\"site\":\"demo\",\"url\":\"http://localhost/behind/")
                .append(n).append(tail).append("\",\"title\":\"").append(title).append("\"}");
          }
          pulse.collect(batch.append("]").toString(), CHROME);
          plain.drain();
          Thread.sleep(20);
        }
        // reading again: every message applies to the document before it, up to the newest
        String newest = "/behind/" + (n - 1) + "/";
        // several megabytes were queued for it: time to read them on a busy machine
        long until = System.currentTimeMillis() + 30_000;
        while (!doc.toString().contains(newest) && System.currentTimeMillis() < until) {
          message = events.next(500);
          if (message != null) {
            wholeAgain += message[0].equals("snapshot") ? 1 : 0;
            patches += message[0].equals("patch") ? 1 : 0;
            doc = applied(doc, message[0], message[1]);
          }
        }
        String shown = doc.path("recent").path(0).path("path").asText();
        assertTrue(doc.toString().contains(newest), () -> "the stream catches up to " + newest
            + "; its newest pageview is " + shown.substring(0, Math.min(20, shown.length())));
      }
      System.out.printf("%d pageviews sent while not reading; then %d whole snapshots and %d patches%n",
          n, wholeAgain, patches);
      assertTrue(wholeAgain > 0, "a reader whose frames were skipped gets a whole snapshot");

      // and patches again after it, on top of that snapshot: the same as the plain stream's frame
      pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/caught-up\"}", CHROME);
      int patchesBefore = patches;
      long until = System.currentTimeMillis() + 5_000;
      while (!doc.toString().contains("/caught-up") && System.currentTimeMillis() < until) {
        message = events.next(500);
        if (message != null) {
          patches += message[0].equals("patch") ? 1 : 0;
          doc = applied(doc, message[0], message[1]);
        }
      }
      assertTrue(doc.toString().contains("/caught-up"));
      assertTrue(patches > patchesBefore, "patches again once caught up");
      JsonNode latest = null;
      until = System.currentTimeMillis() + 5_000;
      while ((latest == null || !latest.path("timestamp").equals(doc.path("timestamp")))
          && System.currentTimeMillis() < until) {
        SseClient.Frame f = plain.nextMessage(Duration.ofMillis(200));
        if (f != null) {
          latest = tree(f.data());
        }
      }
      assertEquals(latest, doc, "the patched document is the plain stream's frame");
    }
  }

  /**
   * A stream's messages read off a raw socket (so that the test decides when it reads): the
   * response's chunked body, and the SSE messages in it as {event, data}.
   */
  private static final class RawEvents {
    private final InputStream in;
    private final StringBuilder text = new StringBuilder();
    private boolean inBody;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    RawEvents(Socket socket) throws IOException {
      this.in = socket.getInputStream();
      socket.setSoTimeout(100);
    }

    /** The next message within the time, or null. */
    String[] next(long millis) throws IOException {
      long until = System.currentTimeMillis() + millis;
      while (true) {
        String[] message = parsed();
        if (message != null) {
          return message;
        }
        if (System.currentTimeMillis() > until) {
          return null;
        }
        byte[] buffer = new byte[8192];
        int read;
        try {
          read = in.read(buffer);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (read < 0) {
          return null;
        }
        body.write(buffer, 0, read);
        dechunk();
      }
    }

    /** Moves the complete chunks of what was read into the text (after the headers). */
    private void dechunk() {
      byte[] bytes = body.toByteArray();
      int at = 0;
      if (!inBody) {
        int end = indexOf(bytes, "\r\n\r\n", 0);
        if (end < 0) {
          return;
        }
        String head = new String(bytes, 0, end, StandardCharsets.US_ASCII);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        inBody = true;
        at = end + 4;
      }
      while (true) {
        int line = indexOf(bytes, "\r\n", at);
        if (line < 0) {
          break;
        }
        int size = Integer.parseInt(new String(bytes, at, line - at, StandardCharsets.US_ASCII)
            .trim(), 16);
        if (line + 2 + size + 2 > bytes.length) {
          break;
        }
        text.append(new String(bytes, line + 2, size, StandardCharsets.UTF_8));
        at = line + 2 + size + 2;
      }
      body.reset();
      body.write(bytes, at, bytes.length - at);
    }

    /** The first complete message of the text with data, taken out of it; null if none. */
    private String[] parsed() {
      while (true) {
        int end = text.indexOf("\n\n");
        if (end < 0) {
          return null;
        }
        String block = text.substring(0, end);
        text.delete(0, end + 2);
        String event = "message";
        StringBuilder data = null;
        for (String line : block.split("\n")) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = data == null ? new StringBuilder(line.substring(6))
                : data.append('\n').append(line.substring(6));
          }
        }
        if (data != null) {
          return new String[] {event, data.toString()};
        }
      }
    }

    private static int indexOf(byte[] bytes, String what, int from) {
      byte[] w = what.getBytes(StandardCharsets.US_ASCII);
      outer:
      for (int i = from; i + w.length <= bytes.length; i++) {
        for (int k = 0; k < w.length; k++) {
          if (bytes[i + k] != w[k]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
