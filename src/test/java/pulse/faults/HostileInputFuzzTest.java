package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * Thousands of malformed requests, from a seeded generator so a failure can be replayed, to every
 * route: never a 5xx, always a JSON error on a 4xx, never a hang, and a healthy server after.
 */
@Tag("server")
class HostileInputFuzzTest {
  private static final long SEED = Long.getLong("pulse.fuzz.seed", 20261123L);
  private static final int REQUESTS = Integer.getInteger("pulse.fuzz.requests", 3000);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Random random = new Random(SEED);

  private static final String[] SITES = {"demo", "shop", "ws_demo", "pulse:{demo}*", "{demo}",
      "a:b", "*", "", "x".repeat(65), "..", "%00", "demo%0d%0aX: y", "ünï", "demo/../shop",
      "null", "' OR 1=1 --"};
  private static final String[] WINDOWS = {"5m", "-1", "0", "99999999999", "1h", "61m", "abc",
      "1e3", "%20", "5m5m", "3601", "", "NaN"};
  private static final String[] CONTENT_TYPES = {"application/json", "text/plain",
      "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data",
      "application/json; charset=utf-16", "", "*/*", "text/html"};

  @Test
  void malformedRequestsToEveryRouteGetA4xxJsonErrorAndNeverA5xx() throws Exception {
    // no ingest rate limit here: the hostile bodies must reach the parser, not a 429
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> c.with("limits").put("ingestPerIpPerMinute", 0))) {
      List<String> failures = new ArrayList<>();
      java.util.Set<Integer> statuses = new java.util.TreeSet<>();
      for (int i = 0; i < REQUESTS && failures.size() < 10; i++) {
        HttpRequest request = request(pulse.base());
        HttpResponse<java.io.InputStream> r;
        try {
          r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpTimeoutException e) {
          failures.add("hang: " + request.method() + " " + request.uri());
          continue;
        }
        int status = r.statusCode();
        statuses.add(status);
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.equals("text/event-stream")) {
          r.body().close(); // a stream the fuzz happened to open legitimately: it never ends
          continue;
        }
        String body;
        try (java.io.InputStream in = r.body()) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (status >= 500) {
          failures.add(status + " " + request.method() + " " + request.uri() + " -> " + body);
        } else if (status >= 400 && !type.startsWith("application/json")) {
          failures.add("non-JSON " + status + " " + request.method() + " " + request.uri());
        } else if (status >= 400 && !body.startsWith("{\"error\":")) {
          failures.add("no error message " + status + " " + request.uri() + " -> " + body);
        }
      }
      assertTrue(failures.isEmpty(), "seed " + SEED + ": " + String.join("\n", failures));
      // the generator reached every kind of refusal, and some requests were fine
      assertTrue(statuses.containsAll(List.of(202, 400, 401, 403, 404, 405, 415)),
          "statuses seen: " + statuses);

      for (int i = 0; i < 200; i++) {
        String status = rawRequest(pulse.pulse().port(), rawGarbage());
        assertTrue(status.isEmpty() || !status.matches("HTTP/1\\.[01] 5\\d\\d.*"),
            "raw request answered " + status);
      }

      assertEquals(200, pulse.get("/health").statusCode(), "healthy after the fuzz");
      assertEquals(202, pulse.collect("{\"site\":\"demo\",\"url\":\"http://localhost/after-fuzz\"}",
          TestPulse.CHROME).statusCode());
    }
  }

  /** Where a malformed escape goes: {@code {q}} a query, {@code {p}} a path segment. */
  private static final String[] ESCAPE_ROUTES = {
      // native
      "GET /api/sites/demo/realtime?{q}", "GET /api/sites/{p}/realtime?window=5m",
      "GET /api/sites/demo/stream?{q}", "GET /api/sites/{p}/stream",
      "POST /api/sites/demo/stream-tickets?{q}", "POST /api/sites/{p}/stream-tickets",
      "POST /api/collect?{q}", "GET /badge/demo.svg?{q}", "GET /badge/{p}.svg",
      "GET /live/demo?{q}", "GET /live/{p}", "GET /health?{q}", "GET /{p}",
      // compat read APIs
      "GET /api/realtime?{q}", "GET /api/v1/realtime?{q}", "GET /api/v1/analytics/realtime?{q}",
      "GET /api/realtime/{p}?{q}", "GET /api/realtime/{p}", "GET /e/live/{p}?{q}",
      "GET /e/realtime/ZV_ZEN00000001?{q}", "GET /e/stats/{p}", "GET /e/{p}/status",
      "OPTIONS /e/live/{p}?{q}",
      // compat tracker endpoints
      "POST /api/event?{q}", "POST /api/send?{q}", "OPTIONS /api/send?{q}",
      "POST /api/{p}", "GET /api/{p}?{q}"};
  private static final String[] BAD_ESCAPES = {"%", "%%%", "%zz", "%4", "%G1", "%u0041", "%%41",
      "%C3%28", "%E0%A4", "%ED%A0%80", "%FF", "a%", "%00", "%0d%0a"};

  /**
   * Malformed percent-escapes in the query and in a path segment, on every route family: never a
   * 5xx, and a 4xx of /api/ and /e/ carries a JSON {"error": ...}. Sent over a raw socket: Java's
   * HTTP client refuses to send such a URI at all.
   */
  @Test
  void malformedEscapesInQueryAndPathOnEveryRouteGetA4xxJsonErrorAndNeverA5xx() throws Exception {
    try (TestPulse pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(),
        c -> c.with("limits").put("ingestPerIpPerMinute", 0))) {
      List<String> failures = new ArrayList<>();
      java.util.Set<Integer> statuses = new java.util.TreeSet<>();
      List<String> targets = new ArrayList<>();
      for (String route : ESCAPE_ROUTES) {
        for (String bad : BAD_ESCAPES) {
          targets.add(route.replace("{q}", random.nextBoolean() ? bad
              : pick(new String[] {"window=", "view=counter&window=", "x=1&", "ticket=", ""}) + bad
                  + pick(new String[] {"", "&window=5m", "=1", "%"}))
              .replace("{p}", pick(new String[] {"", "demo", "ZV_"}) + bad));
        }
      }
      for (String target : targets) {
        String method = target.substring(0, target.indexOf(' '));
        String uri = target.substring(target.indexOf(' ') + 1);
        String body = method.equals("POST") ? "{\"site\":\"demo\",\"url\":\"http://localhost/\"}" : "";
        RawResponse r = rawExchange(pulse.pulse().port(), method + " " + uri + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nUser-Agent: " + TestPulse.CHROME + "\r\nConnection: close\r\n"
            + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        statuses.add(r.status());
        String path = uri.startsWith("/") ? uri : "";
        boolean api = path.startsWith("/api/") || path.startsWith("/e/");
        if (r.status() >= 500 || r.status() == 0) {
          failures.add(r.status() + " " + target + " -> " + r.body());
        } else if (api && r.status() >= 400 && (!r.type().startsWith("application/json")
            || !hasErrorField(r.body()))) {
          failures.add("no JSON error " + r.status() + " " + target + " -> " + r.type() + " "
              + r.body());
        }
      }
      // requests Vert.x itself refuses (a header line without a colon, a space in the target)
      for (String request : new String[] {
          "GET /api/sites/demo/realtime HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
          "GET /api/sites/de mo/realtime?window=5m HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /e/live/%zz HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n",
          "GET /api/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /api/realtime HTTP/1.1\r\nHost: x\r\n" + "X-H: y\r\n".repeat(3000) + "\r\n"}) {
        RawResponse r = rawExchange(pulse.pulse().port(), request);
        targets.add(request);
        if (r.status() >= 500 || r.status() == 0 || (r.status() >= 400
            && (!r.type().startsWith("application/json") || !hasErrorField(r.body())))) {
          failures.add("invalid request answered " + r + ": "
              + request.substring(0, Math.min(80, request.length())).replace("\r\n", " | "));
        }
      }
      assertTrue(failures.isEmpty(), "seed " + SEED + ": " + failures.size() + " of "
          + targets.size() + "\n" + String.join("\n", failures));
      assertTrue(statuses.contains(400), "statuses seen: " + statuses);
      assertEquals(200, pulse.get("/health").statusCode(), "healthy after the fuzz");
    }
  }

  /** A JSON object with an "error" field (a compatible API may nest its product's error there). */
  private static boolean hasErrorField(String body) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).has("error");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private record RawResponse(int status, String type, String body) {}

  /**
   * One request over a raw socket; the answer's status, Content-Type and body (up to its
   * Content-Length, the end of the connection, or none for an event stream). Status 0: no answer.
   */
  private static RawResponse rawExchange(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      java.io.DataInputStream in = new java.io.DataInputStream(
          new java.io.BufferedInputStream(socket.getInputStream()));
      String statusLine = line(in);
      if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
        return new RawResponse(0, "", String.valueOf(statusLine));
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      String type = "";
      int length = -1;
      for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
        String name = h.substring(0, Math.max(0, h.indexOf(':'))).trim().toLowerCase();
        String value = h.substring(h.indexOf(':') + 1).trim();
        if (name.equals("content-type")) {
          type = value;
        } else if (name.equals("content-length")) {
          length = Integer.parseInt(value);
        }
      }
      if (type.equals("text/event-stream")) {
        return new RawResponse(status, type, "");
      }
      byte[] body;
      if (length >= 0) {
        body = new byte[length];
        in.readFully(body);
      } else {
        body = in.readAllBytes();
      }
      return new RawResponse(status, type, new String(body, StandardCharsets.UTF_8));
    } catch (java.net.SocketException closed) {
      return new RawResponse(0, "", "connection closed: " + closed.getMessage());
    }
  }

  private static String line(InputStream in) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      sb.append((char) c);
    }
    return c < 0 && sb.length() == 0 ? null : sb.toString().trim();
  }

  private HttpRequest request(String base) {
    int route = random.nextInt(8);
    String site = URLEncoder.encode(pick(SITES), StandardCharsets.UTF_8);
    String window = URLEncoder.encode(pick(WINDOWS), StandardCharsets.UTF_8);
    HttpRequest.Builder b;
    switch (route) {
      case 0, 1, 2 -> {
        b = HttpRequest.newBuilder(URI.create(base + "/api/collect"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        String type = pick(CONTENT_TYPES);
        if (!type.isEmpty()) {
          b.header("Content-Type", type);
        }
        b.header("User-Agent", random.nextBoolean() ? TestPulse.CHROME : headerText(40));
        if (random.nextInt(4) == 0) {
          b.header("Origin", random.nextBoolean() ? "http://localhost" : "https://" + headerText(8));
        }
      }
      case 3 -> b = HttpRequest.newBuilder(URI.create(base + "/api/sites/" + site
          + "/realtime?window=" + window)).GET();
      case 4 -> b = HttpRequest.newBuilder(URI.create(base + "/api/sites/" + site
          + "/stream?window=" + window + "&view=" + (random.nextBoolean() ? "table" : "counter")
          + "&ticket=" + URLEncoder.encode(randomText(30), StandardCharsets.UTF_8))).GET();
      case 5 -> b = HttpRequest.newBuilder(URI.create(base + "/api/sites/" + site
          + "/stream-tickets")).POST(HttpRequest.BodyPublishers.ofByteArray(body()));
      case 6 -> b = HttpRequest.newBuilder(URI.create(base + "/"
          + URLEncoder.encode(randomText(20), StandardCharsets.UTF_8))).GET();
      default -> b = HttpRequest.newBuilder(URI.create(base + "/api/collect"))
          .method(pick(new String[] {"PUT", "DELETE", "PATCH", "GET"}),
              HttpRequest.BodyPublishers.ofByteArray(body()));
    }
    if (random.nextInt(3) == 0) {
      b.header("Authorization", pick(new String[] {"Bearer x", "Bearer " + headerText(600), "Basic x",
          "Bearer " + TestPulse.BLOG_TOKEN, "bearer" + headerText(5)}));
    }
    return b.timeout(Duration.ofSeconds(15)).build();
  }

  /** A hostile body: broken JSON, wrong types, deep nesting, huge or control-filled strings, bad UTF-8. */
  private byte[] body() {
    String url = pick(new String[] {"http://localhost/", "javascript:alert(1)", "http://",
        "http://localhost/" + "a".repeat(3000), "//localhost/", "http://[::1", "ftp://localhost/",
        "http://localhost/\u0000\u0007", "https://evil.example/"});
    String text = switch (random.nextInt(12)) {
      case 0 -> "";
      case 1 -> "{";
      case 2 -> "[" + "[".repeat(random.nextInt(5000)) ;
      case 3 -> "{\"site\":\"demo\",\"url\":\"" + url + "\",\"title\":\"" + randomText(2000) + "\"}";
      case 4 -> "{\"site\":" + pick(new String[] {"1", "null", "[]", "{}", "true", "\"\""})
          + ",\"url\":\"http://localhost/\"}";
      case 5 -> "{\"site\":\"demo\",\"type\":\"" + randomText(8) + "\",\"url\":\"" + url + "\"}";
      case 6 -> "[" + "{\"site\":\"demo\",\"url\":\"http://localhost/\"},".repeat(random.nextInt(150))
          + "1]";
      case 7 -> "{\"site\":\"demo\",\"url\":\"http://localhost/\",\"props\":{"
          + "\"k\":".repeat(1) + "{\"nested\":[1,2,{\"x\":{}}]}}" + ",\"type\":\"event\",\"name\":\"n\"}";
      case 8 -> "{\"site\":\"demo\",\"url\":\"http://localhost/\",\"returning\":"
          + pick(new String[] {"1", "\"yes\"", "null", "true"}) + ",\"screen\":" + random.nextLong()
          + "}";
      case 9 -> "{\"site\":\"demo\",\"url\":\"http://localhost/\",\"n\":"
          + "9".repeat(random.nextInt(2000)) + "}";
      case 10 -> "\"" + randomText(random.nextInt(100)) + "\"";
      default -> null;
    };
    if (text != null) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[random.nextInt(300)];
    random.nextBytes(bytes); // invalid UTF-8 and anything else
    return bytes;
  }

  private String rawGarbage() {
    return switch (random.nextInt(5)) {
      case 0 -> "GARBAGE\r\n\r\n";
      case 1 -> "GET /health HTTP/1.1\r\nHost: x\r\n" + "X-H: y\r\n".repeat(3000) + "\r\n";
      case 2 -> "POST /api/collect HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
          + "Content-Length: -5\r\n\r\n";
      case 3 -> "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
      default -> "POST /api/collect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
          + "Content-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    };
  }

  /** Sends raw bytes; returns the status line, or "" when the server closed without answering. */
  private static String rawRequest(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        line.append((char) c);
      }
      return line.toString().trim();
    } catch (java.net.SocketException closed) {
      return "";
    }
  }

  /** Printable ASCII: what an HTTP client lets into a header. */
  private String headerText(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) (33 + random.nextInt(94)));
    }
    return sb.toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private String randomText(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      sb.append(kind == 0 ? (char) random.nextInt(32) : kind == 1 ? (char) (0x80 + random.nextInt(0x2000))
          : (char) (33 + random.nextInt(94)));
    }
    return sb.toString();
  }
}
