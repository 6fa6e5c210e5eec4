package pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import pulse.Pulse;
import pulse.config.ConfigLoader;
import pulse.config.PulseConfig;
import pulse.site.Sites;
import pulse.store.EventWriter;

/** A real Pulse server on a free port, talked to over real HTTP. */
public final class TestPulse implements AutoCloseable {
  public static final String SHOP_TOKEN = "pk_shopOnlyToken0000000000000001";
  public static final String BLOG_TOKEN = "pk_blogOnlyToken0000000000000001";
  public static final String ALL_TOKEN = "pk_everySiteToken000000000000001";
  public static final String NO_SCOPE_TOKEN = "pk_analyticsOnly0000000000000001";
  /** Versatailor: a per-website vt_ token of site vers, and one of site blog. */
  public static final String VT_TOKEN = "vt_versOnlyToken00000000000000001";
  public static final String VT_BLOG_TOKEN = "vt_blogOnlyToken00000000000000001";
  /** DataFast: a df_ website key of site fast, one bound to two sites, and dft_ account tokens. */
  public static final String DF_KEY = "df_fastWebsiteKey0000000000000001";
  public static final String DF_TWO_SITES_KEY = "df_twoSitesKey000000000000000001";
  public static final String DFT_TOKEN = "dft_accountToken000000000000000001";
  public static final String DFT_SHOP_TOKEN = "dft_shopAccount0000000000000000001";
  /** A df_ key of site fast without realtime:read: only analytics:read, the account tokens' scope. */
  public static final String DF_NO_SCOPE_KEY = "df_noScopeKey0000000000000000001";
  /** A Pulse token of site ga (GA4's property 123456789), with realtime:read. */
  public static final String GA_TOKEN = "ya29.gaOnlyToken000000000000000001";
  /** A Pulse token of site ga with the collect scope: GA4's api_secret. */
  public static final String GA_SECRET = "mpSecretOfSiteGa0000000000000001";
  /** Umami's example website id, an alias of site uma. */
  public static final String UMAMI_UUID = "550e8400-e29b-41d4-a716-446655440000";
  public static final String CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "Chrome/124.0.0.0 Safari/537.36";
  public static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
          + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
  public static final String FIREFOX_LINUX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
  public static final String GOOGLEBOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Vertx vertx;
  private final Pulse pulse;

  private TestPulse(Vertx vertx, Pulse pulse) {
    this.vertx = vertx;
    this.pulse = pulse;
  }

  /**
   * The test sites: demo (public), shop and blog (private), with tokens of each kind; and one site
   * per compatibility API (ztas, zen, vers, fast, uma, plaus) with that product's ids and tokens.
   */
  public static Sites sites() {
    return Sites.parse("""
        {"sites": [
          {"id": "demo", "domains": ["localhost", "127.0.0.1", "demo.test"], "public": true,
           "aliases": ["ws_demo", "site_demo"]},
          {"id": "shop", "domains": ["shop.example.com"], "public": false, "aliases": ["site_shop"]},
          {"id": "blog", "domains": ["blog.example.com"], "public": false},
          {"id": "ztas", "domains": ["ztas.example.com"], "public": true, "aliases": ["site_abc123"]},
          {"id": "zen", "domains": ["zen.example.com", "www.zen.example.com"], "public": true,
           "aliases": ["ZV_ZEN00000001", "ws_zen"]},
          {"id": "vers", "domains": ["vers.example.com"], "public": false, "aliases": ["site_vers"]},
          {"id": "fast", "domains": ["fast.example.com"], "public": false,
           "aliases": ["665f0b3c4d2e1a0012345678"]},
          {"id": "uma", "domains": ["uma.example.com"], "public": false,
           "aliases": ["%s"]},
          {"id": "plaus", "domains": ["plausible.example.com"], "public": false},
          {"id": "ga", "domains": ["ga.example.com"], "public": false,
           "aliases": ["123456789", "G-PULSE12345"]}
        ],
        "tokens": [
          {"sha256": "%s", "sites": ["shop"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["blog"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["*"], "scopes": ["realtime:read", "analytics:read"]},
          {"sha256": "%s", "sites": ["*"], "scopes": ["analytics:read"]},
          {"sha256": "%s", "sites": ["vers"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["blog"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["fast"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["fast", "shop"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["*"], "scopes": ["analytics:read"]},
          {"sha256": "%s", "sites": ["shop"], "scopes": ["analytics:read"]},
          {"sha256": "%s", "sites": ["fast"], "scopes": ["analytics:read"]},
          {"sha256": "%s", "sites": ["ga"], "scopes": ["realtime:read"]},
          {"sha256": "%s", "sites": ["ga"], "scopes": ["collect"]}
        ]}
        """.formatted(UMAMI_UUID, hash(SHOP_TOKEN), hash(BLOG_TOKEN), hash(ALL_TOKEN),
            hash(NO_SCOPE_TOKEN), hash(VT_TOKEN), hash(VT_BLOG_TOKEN), hash(DF_KEY),
            hash(DF_TWO_SITES_KEY), hash(DFT_TOKEN), hash(DFT_SHOP_TOKEN),
            hash(DF_NO_SCOPE_KEY), hash(GA_TOKEN), hash(GA_SECRET)));
  }

  public static String hash(String token) {
    return Sites.hex(Sites.sha256(token));
  }

  /**
   * @param redisUrl null for the embedded store
   * @param tweak changes to the default pulse.json tree before it is validated; the embedded
   *     store saves nothing unless the tweak sets {@code dataDir} (to a temporary directory)
   */
  public static TestPulse start(String redisUrl, Clock clock, Consumer<ObjectNode> tweak) {
    return start(redisUrl, clock, tweak, new Pulse.Options(false));
  }

  /**
   * As {@link #start(String, Clock, Consumer)}, with start options: browser tests pass
   * {@code new Pulse.Options(true)} so headless Chromium counts as a browser.
   */
  public static TestPulse start(String redisUrl, Clock clock, Consumer<ObjectNode> tweak,
      Pulse.Options options) {
    ObjectNode tree = ConfigLoader.defaults();
    tree.put("port", 0);
    tree.put("host", "127.0.0.1");
    tree.putNull("geoipDb");
    tree.put("dataDir", "");
    if (redisUrl != null) {
      tree.put("redisUrl", redisUrl);
    }
    tweak.accept(tree);
    return start(ConfigLoader.fromJson(tree), sites(), clock, options);
  }

  public static TestPulse start(PulseConfig config, Sites sites, Clock clock) {
    return start(config, sites, clock, new Pulse.Options(false));
  }

  public static TestPulse start(PulseConfig config, Sites sites, Clock clock,
      Pulse.Options options) {
    if (!config.usesRedis() && config.dataDir() != null && !config.dataDir().isAbsolute()) {
      // the default "data" is the repository's: a test saves into a temporary directory or not
      throw new IllegalArgumentException("a test's embedded store would save into "
          + config.dataDir() + "/: set dataDir to \"\" (PULSE_DATA_DIR=) or a @TempDir");
    }
    Vertx vertx = Vertx.vertx();
    try {
      Pulse pulse = Pulse.start(vertx, config, sites, clock, options)
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      return new TestPulse(vertx, pulse);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("Pulse did not start: " + e.getMessage(), e);
    }
  }

  public Pulse pulse() {
    return pulse;
  }

  public String base() {
    return "http://127.0.0.1:" + pulse.port();
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), headers);
  }

  /**
   * Posts; after a 2xx answer waits (2 s at most) until the write-behind buffer has stored what it
   * holds, unless the store is down, so a test reads what it just sent.
   */
  public HttpResponse<String> post(String path, String body, String... headers) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    if (response.statusCode() / 100 == 2) {
      awaitWritten();
    }
    return response;
  }

  /** Waits until the buffer is empty or the store is down (2 s at most). */
  public void awaitWritten() {
    EventWriter writer = pulse.services().writer();
    long deadline = System.currentTimeMillis() + 2_000;
    while (writer.buffered() > 0 && !writer.storeDown() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Posts events to /api/collect as a browser with this user agent would (sendBeacon's type). */
  public HttpResponse<String> collect(String body, String userAgent, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "Content-Type";
    all[1] = "text/plain;charset=UTF-8";
    all[2] = "User-Agent";
    all[3] = userAgent;
    System.arraycopy(headers, 0, all, 4, headers.length);
    return post("/api/collect", body, all);
  }

  public static HttpResponse<String> send(HttpRequest.Builder builder, String... headers) {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(builder.timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }

  @Override
  public void close() {
    try {
      pulse.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing is best effort; the Vert.x instance goes below anyway
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
