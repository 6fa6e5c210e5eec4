package pulse.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A website for browser tests: serves the HTML pages a test registers (a customer's site with the
 * tracker or a counter on it) on its own port, and records what is POSTed to its
 * {@code /api/collect}, so a test can point the tracker here and read exactly what it sends.
 */
public final class TestPages implements AutoCloseable {
  /** One request received on /api/collect. */
  public record Received(String body, String contentType, String cookie, String origin) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, String> pages = new ConcurrentHashMap<>();
  private final Map<String, String> scripts = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private TestPages(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static TestPages start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "test-pages");
        t.setDaemon(true);
        return t;
      });
      TestPages pages = new TestPages(server, executor);
      server.createContext("/", pages::handle);
      server.setExecutor(executor);
      server.start();
      return pages;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Serves this HTML at this path (and returns the page's URL). */
  public String page(String path, String html) {
    pages.put(path, html);
    return url(path);
  }

  /** Serves this JavaScript at this path (a module a page imports), and returns its URL. */
  public String script(String path, String js) {
    scripts.put(path, js);
    return url(path);
  }

  public String url(String path) {
    return base() + path;
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clearReceived() {
    received.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (exchange.getRequestMethod().equals("POST") && path.equals("/api/collect")) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(body, exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Cookie"),
            exchange.getRequestHeaders().getFirst("Origin")));
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      boolean get = exchange.getRequestMethod().equals("GET");
      String js = get ? scripts.get(path) : null;
      String html = get && js == null ? pages.get(path) : null;
      if (html == null && js == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = (js != null ? js : html).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", js != null
          ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
