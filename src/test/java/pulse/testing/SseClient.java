package pulse.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A Server-Sent Events reader over a real HTTP connection, frame by frame, as EventSource reads. */
public final class SseClient implements AutoCloseable {
  /** One message: its id, event name and data; or a comment line (then only {@code comment}). */
  public record Frame(String id, String event, String data, String retry, String comment) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final HttpResponse<Stream<String>> response;
  private final CompletableFuture<Void> reader;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = CompletableFuture.runAsync(this::read);
  }

  public static SseClient open(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET()
        .header("Accept", "text/event-stream");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return new SseClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<Stream<String>> response() {
    return response;
  }

  private void read() {
    String id = null;
    String event = null;
    String retry = null;
    StringBuilder data = null;
    try {
      for (String line : (Iterable<String>) response.body()::iterator) {
        if (line.isEmpty()) {
          if (data != null || retry != null) {
            frames.add(new Frame(id, event, data == null ? null : data.toString(), retry, null));
          }
          id = null;
          event = null;
          retry = null;
          data = null;
        } else if (line.startsWith(":")) {
          frames.add(new Frame(null, null, null, null, line.substring(1).trim()));
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("retry: ")) {
          retry = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder(line.substring(6))
              : data.append('\n').append(line.substring(6));
        }
      }
    } catch (RuntimeException closed) {
      // the connection ended
    }
  }

  /** The next frame (comments included) within the timeout, or null. */
  public Frame next(Duration timeout) {
    try {
      return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The next data message (skipping comments and the retry line) within the timeout, or null. */
  public Frame nextMessage(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Frame f = next(Duration.ofNanos(left));
      if (f == null || f.data() != null) {
        return f;
      }
    }
  }

  public List<Frame> drain() {
    List<Frame> out = new ArrayList<>();
    frames.drainTo(out);
    return out;
  }

  public boolean ended() {
    return reader.isDone();
  }

  @Override
  public void close() {
    response.body().close();
    reader.cancel(true);
  }
}
