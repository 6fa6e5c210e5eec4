package pulse.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import ua_parser.DeviceParser;
import ua_parser.OS;
import ua_parser.OSParser;
import ua_parser.Parser;
import ua_parser.UserAgent;
import ua_parser.UserAgentParser;

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
 * a literal (e.g. {@code "firefox"}) that the header lacks; that makes a parse roughly ten times
 * cheaper. On top of that, results are kept in a bounded LRU cache ({@value #CACHE_SIZE}
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

  private final Rules rules;
  private final Pattern botPattern;
  private final Cache cache = new Cache(CACHE_SIZE);

  /** Headless Chromium counts as a bot. */
  public UserAgents() {
    this(false);
  }

  /**
   * @param allowHeadless if true, {@code HeadlessChrome} is not by itself a bot marker. Meant for
   *     browser tests that drive headless Chromium; production uses {@link #UserAgents()}.
   */
  public UserAgents(boolean allowHeadless) {
    this.rules = SharedRules.RULES;
    this.botPattern = allowHeadless ? BOT_HEADLESS_ALLOWED : BOT;
  }

  /** Compiled once per JVM, on first use, by the class loader (which makes it thread-safe). */
  private static final class SharedRules {
    static final Rules RULES = Rules.load();
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

  /** The browser family uap-java's {@link Parser} would give, for tests. */
  String browserFamily(String ua) {
    return rules.browser(ua, ua.toLowerCase(Locale.ROOT));
  }

  /** The OS family uap-java's {@link Parser} would give, for tests. */
  String osFamily(String ua) {
    return rules.os(ua, ua.toLowerCase(Locale.ROOT));
  }

  /** Whether uap-java's {@link Parser} would give device family "Spider" (see Rules), for tests. */
  boolean spiderDevice(String ua) {
    return rules.spiderDevice(ua, ua.toLowerCase(Locale.ROOT));
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

  /**
   * uap-java's rules, in file order, each with guards: literals a header must contain for the
   * rule to possibly match. The patterns are built by uap-java's own {@code patternFromMap}, so
   * flags and replacement handling are exactly uap-java's (which, notably, ignores
   * {@code regex_flag} for browser and OS rules and honours it only for device rules).
   */
  private static final class Rules {
    private final List<Rule> browsers;
    private final List<Rule> systems;
    /** Device rules up to the last Spider rule; later ones cannot decide the answer. */
    private final List<Rule> devices;
    /** Whether {@code devices.get(i)} is a Spider rule (its family is always "Spider"). */
    private final boolean[] spiderRule;

    /**
     * {@code family} applies one uap-java pattern: the family it yields, or null if no match.
     * {@code guards}: see {@link #requiredClauses}; a header failing one cannot match.
     */
    private record Rule(List<List<String>> guards, Function<String, String> family) {
      boolean mayMatch(String lower) {
        for (List<String> clause : guards) {
          if (!containsAny(lower, clause)) {
            return false;
          }
        }
        return true;
      }

      private static boolean containsAny(String lower, List<String> literals) {
        for (String literal : literals) {
          if (lower.contains(literal)) {
            return true;
          }
        }
        return false;
      }
    }

    private Rules(
        List<Rule> browsers, List<Rule> systems, List<Rule> devices, boolean[] spiderRule) {
      this.browsers = browsers;
      this.systems = systems;
      this.devices = devices;
      this.spiderRule = spiderRule;
    }

    @SuppressWarnings("unchecked")
    static Rules load() {
      Map<String, List<Map<String, String>>> yaml;
      try (InputStream in = Parser.class.getResourceAsStream("/ua_parser/regexes.yaml")) {
        if (in == null) {
          throw new IllegalStateException("ua_parser/regexes.yaml missing from uap-java jar");
        }
        yaml = (Map<String, List<Map<String, String>>>)
            new Yaml(new SafeConstructor(Parser.getDefaultLoaderOptions())).load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read ua_parser/regexes.yaml", e);
      }
      List<Rule> browsers = new ArrayList<>();
      for (Map<String, String> m : section(yaml, "user_agent_parsers")) {
        browsers.add(new Rule(requiredClauses(m.get("regex")), UaFactory.make(m)));
      }
      List<Rule> systems = new ArrayList<>();
      for (Map<String, String> m : section(yaml, "os_parsers")) {
        systems.add(new Rule(requiredClauses(m.get("regex")), OsFactory.make(m)));
      }
      List<Map<String, String>> deviceMaps = section(yaml, "device_parsers");
      int lastSpider = -1;
      for (int i = 0; i < deviceMaps.size(); i++) {
        if ("Spider".equals(deviceMaps.get(i).get("device_replacement"))) {
          lastSpider = i;
        }
      }
      List<Rule> devices = new ArrayList<>();
      boolean[] spiderRule = new boolean[lastSpider + 1];
      for (int i = 0; i <= lastSpider; i++) {
        Map<String, String> m = deviceMaps.get(i);
        devices.add(new Rule(requiredClauses(m.get("regex")), DeviceFactory.make(m)));
        spiderRule[i] = "Spider".equals(m.get("device_replacement"));
      }
      return new Rules(
          List.copyOf(browsers), List.copyOf(systems), List.copyOf(devices), spiderRule);
    }

    private static List<Map<String, String>> section(
        Map<String, List<Map<String, String>>> yaml, String name) {
      List<Map<String, String>> list = yaml == null ? null : yaml.get(name);
      if (list == null) {
        throw new IllegalStateException(name + " missing from ua_parser/regexes.yaml");
      }
      return list;
    }

    /** First matching rule's family, as uap-java's parsers pick it; null if none matches. */
    private static String first(List<Rule> rules, String ua, String lower) {
      for (Rule r : rules) {
        if (r.mayMatch(lower)) {
          String family = r.family().apply(ua);
          if (family != null) {
            return family;
          }
        }
      }
      return null;
    }

    /** Same as {@code new Parser().parseUserAgent(ua).family}. */
    String browser(String ua, String lower) {
      String f = first(browsers, ua, lower);
      return f == null ? UserAgent.OTHER.family : f;
    }

    /** Same as {@code new Parser().parseOS(ua).family}. */
    String os(String ua, String lower) {
      String f = first(systems, ua, lower);
      return f == null ? OS.OTHER.family : f;
    }

    /**
     * Whether the first device rule that matches is one of uap's Spider rules (those with
     * {@code device_replacement: 'Spider'}); that is {@code "Spider".equals(new
     * Parser().parseDevice(ua).family)} except for the absurd case of a generic phone-model rule
     * capturing the word "Spider" from the header. Cheaper equivalent: find the first matching
     * Spider rule (there are only a few), then make sure no other rule before it matches. Most
     * headers match no Spider rule, so the hundreds of phone-model rules are never run for them.
     */
    boolean spiderDevice(String ua, String lower) {
      int firstSpider = -1;
      for (int i = 0; i < devices.size() && firstSpider < 0; i++) {
        Rule r = devices.get(i);
        if (spiderRule[i] && r.mayMatch(lower) && r.family().apply(ua) != null) {
          firstSpider = i;
        }
      }
      if (firstSpider < 0) {
        return false;
      }
      for (int i = 0; i < firstSpider; i++) {
        Rule r = devices.get(i);
        if (!spiderRule[i] && r.mayMatch(lower) && r.family().apply(ua) != null) {
          return false;
        }
      }
      return true;
    }
  }

  // uap-java's pattern classes and their patternFromMap factories are protected; subclasses
  // reach them and hand out plain functions.

  private static final class UaFactory extends UserAgentParser {
    private UaFactory() {
      super(List.of());
    }

    static Function<String, String> make(Map<String, String> m) {
      UAPattern p = patternFromMap(m);
      return ua -> {
        UserAgent r = p.match(ua);
        return r == null ? null : r.family;
      };
    }
  }

  private static final class OsFactory extends OSParser {
    private OsFactory() {
      super(List.of());
    }

    static Function<String, String> make(Map<String, String> m) {
      OSPattern p = patternFromMap(m);
      return ua -> {
        OS r = p.match(ua);
        return r == null ? null : r.family;
      };
    }
  }

  private static final class DeviceFactory extends DeviceParser {
    private DeviceFactory() {
      super(List.of());
    }

    static Function<String, String> make(Map<String, String> m) {
      DevicePattern p = patternFromMap(m);
      return p::match;
    }
  }

  /**
   * Guards for {@code regex}: clauses of lower-case literals such that every string the regex
   * matches contains at least one literal of each clause. E.g. {@code (Firefox)/(\d+)} gives
   * [["firefox/"]] and {@code (Googlebot|bingbot)/.{0,9}Mobile} gives [["googlebot",
   * "bingbot"], ["mobile"]]. Conservative: syntax not understood gives an empty list, which only
   * means the regex is always tried.
   */
  static List<List<String>> requiredClauses(String regex) {
    if (regex == null) {
      return List.of();
    }
    try {
      LiteralScanner scanner = new LiteralScanner(regex);
      Fragment f = scanner.alternation();
      if (scanner.pos != regex.length()) {
        return List.of();
      }
      List<List<String>> usable = new ArrayList<>();
      for (List<String> clause : f.clauses) {
        if (shortest(clause) >= 2) {
          List<String> lower = clause.stream().map(l -> l.toLowerCase(Locale.ROOT)).toList();
          if (!usable.contains(lower)) {
            usable.add(lower);
          }
        }
      }
      // Most selective first, so a failing guard is usually found with the first check.
      usable.sort(Comparator.comparingInt((List<String> c) -> -shortest(c))
          .thenComparingInt(List::size));
      return List.copyOf(usable);
    } catch (RuntimeException bail) {
      return List.of();
    }
  }

  /** Length of a clause's shortest literal; 0 if any literal is non-ASCII. */
  private static int shortest(List<String> clause) {
    int min = Integer.MAX_VALUE;
    for (String l : clause) {
      boolean ascii = l.chars().allMatch(c -> c < 128);
      min = Math.min(min, ascii ? l.length() : 0);
    }
    return min;
  }

  /**
   * The most selective usable clause of a fragment (longest shortest-literal, then fewest
   * literals), or null. Usable: all literals ASCII and at least two characters long.
   */
  private static List<String> bestClause(Fragment f) {
    List<String> best = null;
    for (List<String> clause : f.clauses) {
      int min = shortest(clause);
      if (min >= 2 && (best == null || min > shortest(best)
          || (min == shortest(best) && clause.size() < best.size()))) {
        best = clause;
      }
    }
    return best;
  }

  /**
   * What a piece of regex guarantees about any string it matches: every clause holds (a clause
   * is a list of literals, at least one of which occurs), and, if the piece only ever matches
   * one fixed string (ignoring ASCII case), that string ({@code exact}).
   */
  private record Fragment(List<List<String>> clauses, String exact) {}

  /**
   * Reads the subset of java.util.regex syntax that uap-core uses and throws on anything else.
   */
  private static final class LiteralScanner {
    private final String re;
    int pos;

    LiteralScanner(String re) {
      this.re = re;
    }

    /** alternation := sequence ('|' sequence)*; stops before ')' or at the end. */
    Fragment alternation() {
      Fragment first = sequence();
      if (pos >= re.length() || re.charAt(pos) != '|') {
        return first;
      }
      // A match matches some branch, so it satisfies that branch's best clause: the union of
      // every branch's best clause is a clause of the whole. One branch without one spoils it.
      List<String> union = new ArrayList<>();
      boolean usable = addBest(union, first);
      while (pos < re.length() && re.charAt(pos) == '|') {
        pos++;
        usable &= addBest(union, sequence());
      }
      return new Fragment(usable ? List.of(List.copyOf(union)) : List.of(), null);
    }

    private static boolean addBest(List<String> union, Fragment branch) {
      List<String> best = bestClause(branch);
      if (best == null) {
        return false;
      }
      union.addAll(best);
      return true;
    }

    private Fragment sequence() {
      List<List<String>> clauses = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean exact = true;
      while (pos < re.length()) {
        char c = re.charAt(pos);
        char literal;
        if (c == '|' || c == ')') {
          break;
        }
        if (c == '(') {
          pos++;
          if (pos < re.length() && re.charAt(pos) == '?') {
            // Only non-capturing groups; lookarounds, flags, named groups etc. give up.
            if (!re.startsWith("?:", pos)) {
              throw new IllegalArgumentException("unsupported group");
            }
            pos += 2;
          }
          Fragment inner = alternation();
          expect(')');
          Quantifier q = quantifier();
          if (q.min == 0) {
            flush(cur, clauses);
            exact = false;
          } else if (q.single && inner.exact != null) {
            cur.append(inner.exact);
          } else {
            flush(cur, clauses);
            clauses.addAll(inner.clauses);
            exact = false;
          }
          continue;
        }
        if (c == '[' && isCaseClass(pos)) {
          // [Ss] matches one letter in either case; guards compare lower-case text anyway.
          literal = Character.toLowerCase(re.charAt(pos + 1));
          pos += 4;
        } else if (c == '[') {
          skipClass();
          quantifier();
          flush(cur, clauses);
          exact = false;
          continue;
        } else if (c == '\\') {
          if (pos + 1 >= re.length()) {
            throw new IllegalArgumentException("dangling escape");
          }
          char e = re.charAt(pos + 1);
          pos += 2;
          if (Character.isLetterOrDigit(e)) {
            if ("dDwWsSbB".indexOf(e) < 0) {
              throw new IllegalArgumentException("unsupported escape");
            }
            quantifier();
            flush(cur, clauses);
            exact = false;
            continue;
          }
          literal = e;
        } else if (c == '.' || c == '^' || c == '$') {
          pos++;
          quantifier();
          flush(cur, clauses);
          exact = false;
          continue;
        } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ']' || c == '}') {
          throw new IllegalArgumentException("unexpected " + c);
        } else {
          literal = c;
          pos++;
        }
        Quantifier q = quantifier();
        if (q.min == 0) {
          flush(cur, clauses);
          exact = false;
        } else if (q.single) {
          cur.append(literal);
        } else {
          cur.append(literal);
          flush(cur, clauses);
          exact = false;
        }
      }
      String exactString = exact ? cur.toString() : null;
      flush(cur, clauses);
      return new Fragment(clauses, exactString);
    }

    private record Quantifier(int min, boolean single) {}

    private static final Quantifier ONCE = new Quantifier(1, true);

    /** Reads an optional quantifier (with lazy/possessive suffix). */
    private Quantifier quantifier() {
      if (pos >= re.length()) {
        return ONCE;
      }
      char c = re.charAt(pos);
      int min;
      if (c == '?' || c == '*') {
        min = 0;
        pos++;
      } else if (c == '+') {
        min = 1;
        pos++;
      } else if (c == '{') {
        int close = re.indexOf('}', pos);
        if (close < 0) {
          throw new IllegalArgumentException("bad quantifier");
        }
        String body = re.substring(pos + 1, close);
        int comma = body.indexOf(',');
        min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
        pos = close + 1;
      } else {
        return ONCE;
      }
      if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
        pos++;
      }
      return new Quantifier(min, false);
    }

    /** True if a class like {@code [Ss]} (one ASCII letter in both cases) starts at {@code i}. */
    private boolean isCaseClass(int i) {
      if (i + 3 >= re.length() || re.charAt(i + 3) != ']') {
        return false;
      }
      char a = re.charAt(i + 1);
      char b = re.charAt(i + 2);
      return a < 128 && b < 128 && Character.isLetter(a) && Character.isLetter(b) && a != b
          && Character.toLowerCase(a) == Character.toLowerCase(b);
    }

    private void skipClass() {
      pos++; // '['
      if (pos < re.length() && re.charAt(pos) == '^') {
        pos++;
      }
      if (pos < re.length() && re.charAt(pos) == ']') {
        throw new IllegalArgumentException("leading ] in class");
      }
      int depth = 1;
      while (pos < re.length()) {
        char c = re.charAt(pos);
        if (c == '\\') {
          pos += 2;
          continue;
        }
        pos++;
        if (c == '[') {
          depth++;
        } else if (c == ']' && --depth == 0) {
          return;
        }
      }
      throw new IllegalArgumentException("unclosed class");
    }

    private void expect(char c) {
      if (pos >= re.length() || re.charAt(pos) != c) {
        throw new IllegalArgumentException("expected " + c);
      }
      pos++;
    }

    private static void flush(StringBuilder cur, List<List<String>> clauses) {
      if (cur.length() > 0) {
        clauses.add(List.of(cur.toString()));
        cur.setLength(0);
      }
    }
  }

  /**
   * Bounded LRU map, striped into independently locked segments so concurrent event loops rarely
   * contend. Eviction is per segment, which approximates global LRU well enough for a cache.
   */
  private static final class Cache {
    private static final int SEGMENTS = 16;
    private final Segment[] segments = new Segment[SEGMENTS];

    Cache(int capacity) {
      int perSegment = Math.max(1, capacity / SEGMENTS);
      for (int i = 0; i < SEGMENTS; i++) {
        segments[i] = new Segment(perSegment);
      }
    }

    private Segment segment(String key) {
      int h = key.hashCode();
      return segments[(h ^ (h >>> 16)) & (SEGMENTS - 1)];
    }

    Agent get(String key) {
      Segment s = segment(key);
      synchronized (s) {
        return s.get(key);
      }
    }

    void put(String key, Agent value) {
      Segment s = segment(key);
      synchronized (s) {
        s.put(key, value);
      }
    }

    private static final class Segment extends LinkedHashMap<String, Agent> {
      private final int max;

      Segment(int max) {
        super(16, 0.75f, true);
        this.max = max;
      }

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Agent> eldest) {
        return size() > max;
      }
    }
  }
}
