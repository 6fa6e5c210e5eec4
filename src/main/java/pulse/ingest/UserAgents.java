package pulse.ingest;

import java.util.Locale;
import java.util.regex.Pattern;
import ua_parser.Parser;

/**
 * Classifies User-Agent headers into browser, operating system, device class and a bot flag.
 *
 * <p>Browser and OS names are ua-parser (uap-java) families, e.g. {@code "Chrome"},
 * {@code "Firefox"}, {@code "Mobile Safari"}, {@code "Edge"} and {@code "Windows"},
 * {@code "Mac OS X"}, {@code "iOS"}, {@code "Android"}, {@code "Linux"}. ua-parser says
 * {@code "Other"} for a header it does not recognise; {@code "Unknown"} is used only when there
 * is no header at all.
 *
 * <p><b>Bots.</b> {@code bot} is true when ua-parser names the browser or device "Spider", when
 * the header contains a known crawler, preview-fetcher, monitor, scanner or HTTP-library marker
 * (see {@code BOT_MARKERS}: curl, wget, python-requests, Go-http-client, Java, okhttp, axios,
 * node-fetch, Vert.x-WebClient, …), or when ua-parser does not recognise the browser and the
 * header does not start with {@code Mozilla/} or {@code Opera} (every real browser's does). A
 * request without a User-Agent is treated as a script, so it is a bot too. Integration tests
 * that post events with an HTTP client must therefore send a browser User-Agent to be counted.
 *
 * <p>Headers longer than {@value #MAX_LENGTH} characters are cut to that length before parsing.
 *
 * <p><b>Headless browsers.</b> Headless Chromium (Puppeteer, Playwright, Selenium with
 * {@code --headless}) sends {@code HeadlessChrome/…} and is a bot by default. Browser tests that
 * drive a real headless Chromium against the server should construct {@code new
 * UserAgents(true)} so their page views are counted; the browser is then reported as
 * {@code "HeadlessChrome"}.
 *
 * <p><b>Cost.</b> ua-parser tries its ~1,200 regular expressions one after another, which with
 * uap-java's own {@link Parser} costs about 1.5 ms of CPU per header. This class runs exactly the
 * same rules, built from uap-java's bundled {@code regexes.yaml} with uap-java's own pattern
 * classes, in the same order and with the same results, but skips every rule whose regex contains
 * a literal (e.g. {@code "firefox"}) that the header lacks ({@link PrefilteredUapRules}, with the
 * literals found by {@link LiteralScanner}); that makes a parse roughly ten times cheaper. On top
 * of that, results are kept in a bounded LRU cache ({@link BoundedLruCache}, {@value #CACHE_SIZE}
 * entries), so repeat headers cost well under a microsecond. uap-java's own {@code CachingParser}
 * is not used because its LRU maps are unsynchronised and so unsafe across threads.
 *
 * <p>Thread-safe. The first construction in a JVM parses and compiles the rule file (a few
 * hundred milliseconds on a cold JVM); the compiled rules are then shared by all instances, so
 * further instances are cheap. Build one at startup and share it.
 */
public final class UserAgents {

  /** A classified User-Agent. {@code device} is one of "desktop", "mobile", "tablet". */
  public record Agent(String browser, String os, String device, boolean bot) {}

  static final int MAX_LENGTH = 512;
  static final int CACHE_SIZE = 8192;

  private static final String DESKTOP = "desktop";
  private static final String MOBILE = "mobile";
  private static final String TABLET = "tablet";
  private static final Agent NO_AGENT = new Agent("Unknown", "Unknown", DESKTOP, true);

  /**
   * Markers of crawlers, link-preview fetchers, monitors, scanners and HTTP libraries. Matched
   * case-insensitively anywhere in the header. {@code (?<!cu)bot} keeps CUBOT phones human.
   */
  private static final String BOT_MARKERS =
      "(?<!cu)bot|crawl|spider|slurp|archiver|facebookexternalhit|facebookcatalog"
          + "|meta-externalagent|phantomjs|lighthouse|gtmetrix|ptst/|prerender"
          + "|google-inspectiontool|googleother|mediapartners-google|apis-google|feedfetcher"
          + "|preview|monitor|uptime"
          + "|pingdom|statuscake|site24x7|newrelicpinger|check_http|ahrefs|semrush|yandex|sogou"
          + "|baiduspider|petalbot|gptbot|claudebot|anthropic-ai|ccbot|bytespider|applebot"
          + "|duckduckbot|perplexity|amazonbot|dataforseo|mj12bot|ia_archiver|embedly"
          + "|^whatsapp/|^mozilla/[0-9.]+$|^node$"
          + "|curl/|wget|libwww-perl|python-requests|python-urllib|python-httpx|aiohttp|httpie"
          + "|go-http-client|java/|java-http-client|okhttp|axios/|node-fetch|undici|httpclient"
          + "|guzzlehttp|vert\\.x-webclient|reactornetty"
          + "|postmanruntime|insomnia|scrapy|zgrab|masscan|nmap|nuclei|censysinspect";

  private static final Pattern BOT = Pattern.compile(
      BOT_MARKERS + "|headlesschrome", Pattern.CASE_INSENSITIVE);
  private static final Pattern BOT_HEADLESS_ALLOWED = Pattern.compile(
      BOT_MARKERS, Pattern.CASE_INSENSITIVE);
  private static final Pattern TABLET_MARKERS = Pattern.compile(
      "iPad|Tablet(?! PC)|Kindle|Silk/|PlayBook", Pattern.CASE_INSENSITIVE);
  private static final Pattern MOBILE_MARKERS = Pattern.compile(
      "Mobi|iPhone|iPod|Windows Phone|BlackBerry|BB10|Opera Mini|Symbian|Nokia",
      Pattern.CASE_INSENSITIVE);

  private final PrefilteredUapRules rules;
  private final Pattern botPattern;
  private final BoundedLruCache<String, Agent> cache = new BoundedLruCache<>(CACHE_SIZE);

  /** Headless Chromium counts as a bot. */
  public UserAgents() {
    this(false);
  }

  /**
   * @param allowHeadless if true, {@code HeadlessChrome} is not by itself a bot marker. Meant for
   *     browser tests that drive headless Chromium; production uses {@link #UserAgents()}.
   */
  public UserAgents(boolean allowHeadless) {
    this.rules = PrefilteredUapRules.shared();
    this.botPattern = allowHeadless ? BOT_HEADLESS_ALLOWED : BOT;
  }

  /** Classifies a User-Agent header; null or blank gives an "Unknown" desktop bot. */
  public Agent parse(String userAgent) {
    if (userAgent == null) {
      return NO_AGENT;
    }
    String ua = userAgent.strip();
    if (ua.isEmpty()) {
      return NO_AGENT;
    }
    if (ua.length() > MAX_LENGTH) {
      int end = Character.isHighSurrogate(ua.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
      ua = ua.substring(0, end);
    }
    Agent cached = cache.get(ua);
    if (cached != null) {
      return cached;
    }
    Agent agent = classify(ua);
    cache.put(ua, agent);
    return agent;
  }

  /** How many parsed user agents the cache holds. */
  int cached() {
    return cache.size();
  }

  private Agent classify(String ua) {
    String lower = ua.toLowerCase(Locale.ROOT);
    String browser = family(rules.browser(ua, lower));
    String os = family(rules.os(ua, lower));
    boolean bot = "Spider".equals(browser)
        || rules.spiderDevice(ua, lower)
        || botPattern.matcher(ua).find()
        || ("Other".equals(browser) && !ua.startsWith("Mozilla/") && !ua.startsWith("Opera"));
    return new Agent(browser, os, deviceClass(ua), bot);
  }

  private static String family(String family) {
    return family == null || family.isBlank() ? "Other" : family;
  }

  /**
   * Tablet: iPad, Android without "Mobile", "Tablet" (but not Windows' "Tablet PC"), Kindle/Silk.
   * Mobile: iPhone, iPod, Android with "Mobile", any "Mobi", Windows Phone and older phones.
   * Otherwise desktop. iPadOS 13+ Safari sends a Mac desktop header and so counts as desktop.
   */
  static String deviceClass(String ua) {
    if (TABLET_MARKERS.matcher(ua).find()) {
      return TABLET;
    }
    boolean android = ua.contains("Android");
    boolean mobi = ua.contains("Mobi");
    if (android && !mobi && !ua.contains("Windows Phone")) {
      return TABLET;
    }
    return MOBILE_MARKERS.matcher(ua).find() ? MOBILE : DESKTOP;
  }
}
