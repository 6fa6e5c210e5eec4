package pulse.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import ua_parser.DeviceParser;
import ua_parser.OS;
import ua_parser.OSParser;
import ua_parser.Parser;
import ua_parser.UserAgent;
import ua_parser.UserAgentParser;

/**
 * uap-java's rules, in file order, each with guards: literals a header must contain for the
 * rule to possibly match (found by {@link LiteralScanner}). A rule whose guards fail is skipped
 * without running its regex; the answers are exactly those of uap-java's own {@link Parser}.
 * The patterns are built by uap-java's own {@code patternFromMap}, so flags and replacement
 * handling are exactly uap-java's (which, notably, ignores {@code regex_flag} for browser and OS
 * rules and honours it only for device rules).
 *
 * <p>Immutable and thread-safe. Compiling the rule file takes a few hundred milliseconds on a
 * cold JVM, so {@link #shared()} compiles it once per JVM.
 */
final class PrefilteredUapRules {

  private final List<Rule> browsers;
  private final List<Rule> systems;
  /** Device rules up to the last Spider rule; later ones cannot decide the answer. */
  private final List<Rule> devices;
  /** Whether {@code devices.get(i)} is a Spider rule (its family is always "Spider"). */
  private final boolean[] spiderRule;

  /** The rules compiled once per JVM, on first use. */
  static PrefilteredUapRules shared() {
    return Holder.RULES;
  }

  /** Initialised by the class loader on first use, which makes it thread-safe. */
  private static final class Holder {
    static final PrefilteredUapRules RULES = load();
  }

  /**
   * {@code family} applies one uap-java pattern: the family it yields, or null if no match.
   * {@code guards}: see {@link LiteralScanner#requiredClauses}; a header failing one cannot match.
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

  private PrefilteredUapRules(
      List<Rule> browsers, List<Rule> systems, List<Rule> devices, boolean[] spiderRule) {
    this.browsers = browsers;
    this.systems = systems;
    this.devices = devices;
    this.spiderRule = spiderRule;
  }

  @SuppressWarnings("unchecked")
  private static PrefilteredUapRules load() {
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
      browsers.add(new Rule(LiteralScanner.requiredClauses(m.get("regex")), UaFactory.make(m)));
    }
    List<Rule> systems = new ArrayList<>();
    for (Map<String, String> m : section(yaml, "os_parsers")) {
      systems.add(new Rule(LiteralScanner.requiredClauses(m.get("regex")), OsFactory.make(m)));
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
      devices.add(new Rule(LiteralScanner.requiredClauses(m.get("regex")), DeviceFactory.make(m)));
      spiderRule[i] = "Spider".equals(m.get("device_replacement"));
    }
    return new PrefilteredUapRules(
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
}
