package pulse.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * The token of a link made by {@code pulse share shop --write} reads shop's snapshot and stream
 * on a Pulse started from that sites file, and nothing of another private site.
 */
@Tag("server")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShareLinkHttpTest {
  private static final String SITES = """
      {
        "sites": [
          {"id": "demo", "domains": ["localhost"], "public": true},
          {"id": "shop", "domains": ["shop.example.com"], "public": false},
          {"id": "blog", "domains": ["blog.example.com"], "public": false}
        ],
        "tokens": []
      }
      """;

  TestPulse pulse;
  String token;
  String link;

  @BeforeAll
  void shareAndStart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sites.json");
    Files.writeString(file, SITES);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ShareCommand.run(new String[] {"share", "shop", "--write", "--base",
        "https://pulse.example.com"}, Map.of("PULSE_SITES", file.toString()), Clock.systemUTC(),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, code);
    Matcher m = Pattern.compile("(https://pulse\\.example\\.com/live/shop)#token=(pk_\\w+)")
        .matcher(out.toString(StandardCharsets.UTF_8));
    assertTrue(m.find(), out.toString(StandardCharsets.UTF_8));
    link = m.group(1);
    token = m.group(2);

    TestRedis.shared().flushAll();
    pulse = TestPulse.start(TestRedis.shared().url(), Sites.load(file), Clock.systemUTC(),
        tree -> { });
    for (String site : new String[] {"shop", "blog"}) {
      assertEquals(202, pulse.collect("{\"site\":\"" + site + "\",\"url\":\"https://" + site
          + ".example.com/secret-" + site + "\"}", CHROME, "X-Forwarded-For", "198.51.100.7")
          .statusCode());
    }
  }

  @AfterAll
  void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  private String bearer() {
    return "Bearer " + token;
  }

  @Test
  void theTokenReadsTheSharedSitesSnapshotFromAnyOrigin() {
    HttpResponse<String> r = pulse.get("/api/sites/shop/realtime", "Authorization", bearer(),
        "Origin", "https://someone-elses.example");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode snapshot = json(r);
    assertEquals("shop", snapshot.path("site").asText());
    assertEquals(1, snapshot.path("activeVisitors").asInt());
    assertTrue(r.body().contains("/secret-shop"), r.body());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse("(none)"));
  }

  @Test
  void theTokenTradedForATicketOpensTheSharedSitesStream() {
    HttpResponse<String> ticket = pulse.post("/api/sites/shop/stream-tickets", "",
        "Authorization", bearer());
    assertEquals(201, ticket.statusCode(), ticket.body());
    String url = pulse.base() + "/api/sites/shop/stream?ticket="
        + json(ticket).path("ticket").asText();
    try (SseClient stream = SseClient.open(url)) {
      assertEquals(200, stream.response().statusCode());
      SseClient.Frame first = stream.nextMessage(Duration.ofSeconds(5));
      assertEquals("snapshot", first.event());
      assertTrue(first.data().contains("\"site\":\"shop\"")
          && first.data().contains("/secret-shop"), first.data());
    }
  }

  @Test
  void theTokenReadsNothingOfAnotherPrivateSiteWhichAnswersAsAnUnknownOne() {
    String unknown = pulse.get("/api/sites/nosuch/realtime").body().replace("nosuch", "blog");
    HttpResponse<String> snapshot = pulse.get("/api/sites/blog/realtime", "Authorization",
        bearer());
    assertEquals(404, snapshot.statusCode());
    assertEquals(unknown, snapshot.body());
    HttpResponse<String> ticket = pulse.post("/api/sites/blog/stream-tickets", "",
        "Authorization", bearer());
    assertEquals(404, ticket.statusCode());
    assertFalse(ticket.body().contains("secret"), ticket.body());

    // nor does a ticket of the shared site open the other one's stream
    String shopTicket = json(pulse.post("/api/sites/shop/stream-tickets", "", "Authorization",
        bearer())).path("ticket").asText();
    HttpResponse<String> stream = pulse.get("/api/sites/blog/stream?ticket=" + shopTicket);
    assertEquals(404, stream.statusCode());
    assertEquals(unknown, stream.body());
  }

  @Test
  void aPageOnAnotherSiteMaySendTheTokenAfterAPreflight() {
    for (String path : new String[] {"/api/sites/shop/realtime",
        "/api/sites/shop/stream-tickets"}) {
      HttpResponse<String> preflight = TestPulse.send(HttpRequest.newBuilder(
              URI.create(pulse.base() + path))
              .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
          "Origin", "https://someone-elses.example", "Access-Control-Request-Headers",
          "authorization");
      assertEquals(204, preflight.statusCode(), path);
      assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
      assertEquals("Authorization",
          preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""), path);
    }
  }

  @Test
  void theLinkIsThePrivateSitesDashboardWhoseTokenTheServerNeverSees() {
    assertEquals("https://pulse.example.com/live/shop", link);
    HttpResponse<String> page = pulse.get("/live/shop");
    // the fragment stays in the browser: the server answers as for any private site
    assertEquals(404, page.statusCode());
    assertTrue(page.body().contains("data-access=\"private\""), page.body());
  }
}
