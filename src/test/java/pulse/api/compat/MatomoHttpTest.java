package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import pulse.site.Sites;
import pulse.testing.MutableClock;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * What the Matomo tests share: a Pulse whose sites carry Matomo's numeric idSite as an alias
 * (mato is idSite 7 and private, shop 8, demo 9 and public), with a read token and a collect
 * token of mato and a read token of shop.
 */
abstract class MatomoHttpTest extends CompatHttpTest {
  static final String READ_TOKEN = "mt_readToken00000000000000000001";
  static final String COLLECT_TOKEN = "mt_collectToken00000000000000001";
  static final String SHOP_READ_TOKEN = "mt_shopReadToken0000000000000001";
  static final String ORIGIN = "https://mato.example.com";

  static Sites sites() {
    return Sites.parse("""
        {"sites": [
          {"id": "mato", "domains": ["mato.example.com"], "public": false, "aliases": ["7"]},
          {"id": "shop", "domains": ["shop.example.com"], "public": false, "aliases": ["8"]},
          {"id": "demo", "domains": ["demo.test"], "public": true, "aliases": ["9"]}
        ],
        "tokens": [
          {"sha256": "%s", "sites": ["mato"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["mato"], "scopes": ["collect"]},
          {"sha256": "%s", "sites": ["shop"], "scopes": ["realtime:read"]}
        ]}
        """.formatted(TestPulse.hash(READ_TOKEN), TestPulse.hash(COLLECT_TOKEN),
            TestPulse.hash(SHOP_READ_TOKEN)));
  }

  @Override
  @BeforeEach
  void startPulse() {
    clock = new MutableClock(NOW);
    pulse = startMatomo(clock);
  }

  static TestPulse startMatomo(MutableClock clock) {
    TestRedis.shared().flushAll();
    return TestPulse.start(TestRedis.shared().url(), sites(), clock, tree -> {
      tree.put("trustProxy", true);
      tree.with("realtime").put("tickMillis", 100);
    });
  }

  /** Pulse's own snapshot of mato, read with the read token after the next tick. */
  JsonNode snapshot() {
    pulse.awaitWritten();
    nextTick(clock);
    HttpResponse<String> r = pulse.get("/api/sites/mato/realtime", "Authorization",
        "Bearer " + READ_TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    return parse(r.body());
  }
}
