package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import pulse.config.ConfigLoader;
import pulse.site.Sites;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * What the drop-in contract tests (Umami 3, Plausible's Stats API, Fathom) share: a fresh Pulse on
 * the shared (flushed) Redis with a clock the test moves, and a sites file with each product's
 * site ids as aliases or domains and a token per site.
 */
@Tag("server")
abstract class DropInHttpTest {
  /** An Umami 3 website id (UUID) of site uma3, which chose Umami's current realtime shape. */
  static final String UMAMI3_UUID = "7f8a1e2c-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
  /** Fathom's site id of site fath. */
  static final String FATHOM_ID = "CDBUGS";
  static final String UMA3_TOKEN = "pk_uma3OnlyToken0000000000000001";
  static final String PLAUS_TOKEN = "pk_plausOnlyToken000000000000001";
  static final String FATH_TOKEN = "pk_fathOnlyToken0000000000000001";
  /** A token of plaus and fath without realtime:read. */
  static final String NO_SCOPE_TOKEN = "pk_noRealtimeScope00000000000001";

  MutableClock clock;
  TestPulse pulse;

  static Sites sites() {
    return Sites.parse("""
        {"sites": [
          {"id": "uma3", "domains": ["uma3.example.com"], "aliases": ["%s"],
           "umamiRealtime": "v3"},
          {"id": "plaus", "domains": ["plausible.example.com", "www.plausible.example.com"]},
          {"id": "fath", "domains": ["fathom.example.com"], "aliases": ["%s"]}
        ],
        "tokens": [
          {"sha256": "%s", "sites": ["uma3"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["plaus"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["fath"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["plaus", "fath"], "scopes": ["analytics:read"]}
        ]}
        """.formatted(UMAMI3_UUID, FATHOM_ID, TestPulse.hash(UMA3_TOKEN),
            TestPulse.hash(PLAUS_TOKEN), TestPulse.hash(FATH_TOKEN),
            TestPulse.hash(NO_SCOPE_TOKEN)));
  }

  @BeforeEach
  void startPulse() {
    clock = new MutableClock(CompatHttpTest.NOW);
    pulse = start(c -> { });
  }

  /** Starts this test's Pulse again with a changed configuration (the clock stays). */
  void restart(Consumer<ObjectNode> tweak) {
    pulse.close();
    pulse = start(tweak);
  }

  private TestPulse start(Consumer<ObjectNode> tweak) {
    TestRedis.shared().flushAll();
    ObjectNode tree = ConfigLoader.defaults();
    tree.put("port", 0);
    tree.put("host", "127.0.0.1");
    tree.putNull("geoipDb");
    tree.put("redisUrl", TestRedis.shared().url());
    tree.put("trustProxy", true);
    tree.with("realtime").put("tickMillis", 100);
    tweak.accept(tree);
    return TestPulse.start(ConfigLoader.fromJson(tree), sites(), clock);
  }

  @AfterEach
  void stopPulse() {
    pulse.close();
  }

  /** One pageview (or other event, with extra members) at the clock's time from ip in country. */
  void event(String site, String url, String ip, String country, String extra) {
    CompatHttpTest.collect(pulse, site, url, ip, country, extra);
  }

  void pageview(String site, String url, String ip, String country) {
    event(site, url, ip, country, "");
  }

  /** Moves past the snapshot tick so the next read computes anew. */
  void nextTick() {
    clock.advanceMillis(100);
  }

  static void assertStatusAndBody(int status, String expectedJson, HttpResponse<String> r) {
    CompatHttpTest.assertStatusAndBody(status, expectedJson, r);
  }

  static void assertNoServerError(HttpResponse<String> r) {
    assertEquals(true, r.statusCode() < 500, r.statusCode() + " " + r.body());
  }
}
