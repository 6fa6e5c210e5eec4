package pulse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, for what an HTTP client library would not do: send
 * a request a byte at a time, hold connections open, see the server close one.
 */
public final class RawConnection implements AutoCloseable {
  /** A response as read off the wire; headers by lower-case name. */
  public record Response(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;
  private volatile Thread trickler;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects; every read gives up after 15 s so that a server that never answers fails a test. */
  public static RawConnection open(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    return new RawConnection(socket);
  }

  public void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /**
   * Sends the text one byte every {@code everyMillis} ms from a background thread, until all is
   * sent, the server closes the connection or this connection is closed.
   */
  public void trickle(String text, long everyMillis) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    trickler = new Thread(() -> {
      try {
        for (byte b : bytes) {
          socket.getOutputStream().write(b);
          socket.getOutputStream().flush();
          Thread.sleep(everyMillis);
        }
      } catch (IOException | InterruptedException stopped) {
        // the server closed the connection, or the test is done
      }
    }, "trickle");
    trickler.setDaemon(true);
    trickler.start();
  }

  /** The next response; null when the server closed the connection without answering. */
  public Response read() throws IOException {
    String statusLine;
    try {
      statusLine = line();
    } catch (SocketException reset) {
      return null;
    }
    if (statusLine == null) {
      return null;
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); line != null && !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Whether the server closed the connection: true at end of stream or a reset, false when it
   * sent more bytes; throws SocketTimeoutException when it holds the connection open 15 s.
   */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketException reset) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      bytes.write(c);
    }
    if (c < 0 && bytes.size() == 0) {
      return null;
    }
    return bytes.toString(StandardCharsets.ISO_8859_1).trim();
  }

  @Override
  public void close() throws IOException {
    Thread t = trickler;
    if (t != null) {
      t.interrupt();
    }
    socket.close();
  }
}
