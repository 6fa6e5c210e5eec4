package pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The routes a page on another site reads (counters, streams, badges, Zenovay's widget API) answer
 * their errors with Access-Control-Allow-Origin: * as they do their successes, so an embed can
 * tell "private site" or "unknown site" from a network failure instead of waiting forever.
 */
@Tag("server")
class CrossOriginErrorsTest {
  private static final String ACAO = "Access-Control-Allow-Origin";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestPulse pulse;

  @BeforeAll
  static void start() {
    pulse = TestPulse.start(TestRedis.shared().url(), Clock.systemUTC(), c -> { });
  }

  @AfterAll
  static void stop() {
    pulse.close();
  }

  private static void assertReadableError(int status, String path) throws Exception {
    // a stream answers its errors before any event, so the headers are all there is to read
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(pulse.base() + path))
            .header("Origin", "https://customer.example").timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    String body;
    try (InputStream in = r.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(status, r.statusCode(), path + " -> " + body);
    assertEquals("*", r.headers().firstValue(ACAO).orElse("(none)"), "CORS of " + path);
    assertTrue(body.startsWith("{\"error\":"), body);
  }

  @Test
  void errorsOfTheRealtimeReadCarryCorsLikeItsSuccess() throws Exception {
    assertEquals("*", pulse.get("/api/sites/demo/realtime").headers().firstValue(ACAO)
        .orElse("(none)"));
    assertReadableError(404, "/api/sites/nosuch/realtime");
    assertReadableError(404, "/api/sites/shop/realtime"); // private: answered as unknown
    assertReadableError(400, "/api/sites/demo/realtime?window=abc");
    assertReadableError(400, "/api/sites/a:b/realtime");
  }

  @Test
  void errorsOfTheStreamCarryCorsLikeItsSuccess() throws Exception {
    assertReadableError(404, "/api/sites/nosuch/stream?view=counter");
    assertReadableError(404, "/api/sites/shop/stream");
    assertReadableError(404, "/api/sites/shop/stream?ticket=forged");
    assertReadableError(400, "/api/sites/demo/stream?view=table");
  }

  @Test
  void errorsOfTheBadgeAndZenovaysWidgetApiCarryCors() throws Exception {
    assertReadableError(404, "/badge/shop.svg");
    assertReadableError(400, "/badge/demo.svg?window=abc");
    assertReadableError(404, "/e/live/ZV_NOSUCH");
  }

  /**
   * A private site's figures reach only a request that shows its token, which no browser adds by
   * itself: a page elsewhere that was given the token (a counter's data-token) may read them.
   */
  @Test
  void aPrivateSitesSuccessIsReadableAcrossOriginsByItsTokenHolderAlone() throws Exception {
    HttpResponse<String> r = pulse.get("/api/sites/shop/realtime", "Authorization",
        "Bearer " + TestPulse.SHOP_TOKEN, "Origin", "https://customer.example");
    assertEquals(200, r.statusCode());
    assertEquals("*", r.headers().firstValue(ACAO).orElse("(none)"));
    // without its token, no figures: only the unknown site's error
    assertReadableError(404, "/api/sites/shop/realtime");
  }

  @Test
  void aQueryThatDoesNotDecodeIsARefusalTheEmbedCanRead() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", pulse.pulse().port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("GET /api/sites/demo/realtime?%%% HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.toLowerCase().contains("\r\naccess-control-allow-origin: *\r\n"), answer);
    }
  }
}
