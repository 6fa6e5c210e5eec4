package pulse.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;

/**
 * Believable pageviews: 200 paths of a docs-and-blog site with skewed popularity and real-length
 * titles, a third of visits from referrers, 20 countries, six browsers. Visitor n always has the
 * same address and user agent, so Pulse (with PULSE_TRUST_PROXY=true) gives it one visitor id.
 */
final class Traffic {
  static final String HOST = "bench.example.com";
  static final int PATHS = 200;
  private static final String[] SECTIONS = {"docs", "blog", "guides", "changelog"};
  private static final String[] WORDS = {"realtime", "visitors", "redis", "sorted-sets",
      "privacy", "dashboards", "self-hosting", "scaling", "events", "cookieless"};
  private static final String[] REFERRERS = {"https://www.google.com/", "https://news.ycombinator.com/",
      "https://www.reddit.com/r/selfhosted/", "https://t.co/x1y2z3", "https://duckduckgo.com/",
      "https://github.com/pulse/pulse", "https://www.bing.com/", "https://lobste.rs/"};
  private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "NL",
      "SE", "ES", "IT", "PL", "AU", "MX", "KR", "CH", "NO", "FI", "IE"};
  static final String[] AGENTS = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
      "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"};

  private static final String[] PATH_LIST = new String[PATHS];
  private static final String[] TITLES = new String[PATHS];

  static {
    PATH_LIST[0] = "/";
    TITLES[0] = "Pulse - realtime visitor analytics";
    for (int i = 1; i < PATHS; i++) {
      String section = SECTIONS[i % SECTIONS.length];
      String slug = WORDS[i % WORDS.length] + "-" + WORDS[(i * 7) % WORDS.length] + "-" + i;
      PATH_LIST[i] = "/" + section + "/" + slug;
      TITLES[i] = slug.replace('-', ' ') + " | Pulse " + section;
    }
  }

  private Traffic() {}

  /** A path index, skewed: the home page and a few articles get most views. */
  static int pathIndex(SplittableRandom random) {
    double u = random.nextDouble();
    return (int) (PATHS * u * u * u);
  }

  static JsonObject pageview(String site, SplittableRandom random) {
    return pageview(site, pathIndex(random), random);
  }

  static JsonObject pageview(String site, int path, SplittableRandom random) {
    JsonObject event = new JsonObject().put("site", site)
        .put("url", "https://" + HOST + PATH_LIST[path]
            + (random.nextInt(10) == 0 ? "?utm_source=newsletter" : ""))
        .put("title", TITLES[path]);
    if (random.nextInt(3) == 0) {
      event.put("referrer", REFERRERS[random.nextInt(REFERRERS.length)]);
    }
    return event;
  }

  static String batch(String site, int events, SplittableRandom random) {
    if (events == 1) {
      return pageview(site, random).encode();
    }
    JsonArray array = new JsonArray();
    for (int i = 0; i < events; i++) {
      array.add(pageview(site, random));
    }
    return array.encode();
  }

  /** The headers of visitor n: its own address, a user agent and a country. */
  static MultiMap headers(long visitor) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "text/plain")
        .add("User-Agent", AGENTS[(int) (visitor % AGENTS.length)])
        .add("X-Forwarded-For", ip(visitor))
        .add("CF-IPCountry", COUNTRIES[(int) ((visitor / 7) % COUNTRIES.length)]);
  }

  static String ip(long visitor) {
    long v = visitor % (1L << 24);
    return "10." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
  }
}
