package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.store.LuaArgNames.javaConstants;
import static pulse.store.LuaArgNames.luaNumber;
import static pulse.store.LuaArgNames.luaTable;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** append.lua and AppendArgs name the same arguments at the same positions. */
class AppendArgsTest {
  private static final String SCRIPT = LuaArgNames.script("append.lua");
  private static final StoreLimits LIMITS = new StoreLimits(1_800_000, 3_660_000, 100_000, 50_000,
      90);

  @Test
  void theScriptDeclaresTheJavaNamesAndPositions() {
    assertEquals(javaConstants(AppendArgs.Arg.class), luaTable(SCRIPT, "ARG"));
    assertEquals(javaConstants(AppendArgs.Field.class), luaTable(SCRIPT, "F"));
    assertEquals(AppendArgs.BATCH_ARGS, luaNumber(SCRIPT, "BATCH_ARGS"));
    assertEquals(AppendArgs.FIELDS, luaNumber(SCRIPT, "FIELDS"));
  }

  @Test
  void positionsAreDistinctAndLeaveNoGaps() {
    assertEquals(IntStream.rangeClosed(1, AppendArgs.BATCH_ARGS).boxed().toList(),
        sortedValues(javaConstants(AppendArgs.Arg.class)));
    assertEquals(IntStream.range(0, AppendArgs.FIELDS).boxed().toList(),
        sortedValues(javaConstants(AppendArgs.Field.class)));
  }

  /** Outside comments, ARGV is read only as ARGV[ARG.name] or ARGV[i + F.name]. */
  @Test
  void theScriptReadsArgvOnlyByName() {
    Matcher m = Pattern.compile("ARGV\\[([^\\]]*)\\]").matcher(withoutComments(SCRIPT));
    int reads = 0;
    while (m.find()) {
      String index = m.group(1);
      assertTrue(index.matches("ARG\\.\\w+|i \\+ F\\.\\w+"), "ARGV[" + index + "]");
      reads++;
    }
    assertTrue(reads > 20, "found only " + reads + " reads of ARGV");
  }

  @Test
  void argumentsAreBuiltInTheOrderTheScriptReadsThem() {
    Event pageview = new Event("id1", Event.PAGEVIEW, 1_764_590_400_123L, "v1", "/a\tb",
        "q=1", "Title\n", "news.com", "", "", "DE", "Firefox", "Linux", "desktop", true, 12_500,
        "news\tletter", "email", "launch");
    Event custom = new Event("id2", Event.CUSTOM, 1_764_590_460_000L, "v2", "/", "", "", "",
        "signup", "{\"plan\":\"pro\"}", "", "Chrome", "Windows", "mobile", null);
    List<String> args = AppendArgs.of("pulse:{demo}:", "demo", 1_764_590_500_000L, LIMITS,
        List.of(pageview, custom));

    assertEquals(List.of("pulse:{demo}:", "1764590500000", "1800000", "3660000", "100000",
        "50000", "7776000", "demo"), args.subList(0, AppendArgs.BATCH_ARGS));
    int first = AppendArgs.BATCH_ARGS;
    assertEquals(List.of("id1", "pageview", "1764590400123", "v1", "/a b", "q=1", "Title ",
        "news.com", "", "", "DE", "Firefox", "Linux", "desktop", "1", "20251201", "29409840",
        "12500", "news letter", "email", "launch"),
        args.subList(first, first + AppendArgs.FIELDS));
    int second = first + AppendArgs.FIELDS;
    assertEquals(List.of("id2", "event", "1764590460000", "v2", "/", "", "", "", "signup",
        "{\"plan\":\"pro\"}", "", "Chrome", "Windows", "mobile", "", "20251201", "29409841",
        "-1", "", "", ""),
        args.subList(second, second + AppendArgs.FIELDS));
    assertEquals(second + AppendArgs.FIELDS, args.size());

    // The named positions point at those values, as the script reads them (ARGV is 1-based).
    assertEquals("demo", args.get(AppendArgs.Arg.SITE_ID - 1));
    assertEquals("signup", args.get(second + AppendArgs.Field.NAME));
    assertEquals("29409841", args.get(second + AppendArgs.Field.MINUTE));
    assertEquals("12500", args.get(first + AppendArgs.Field.ENGAGED));
    assertEquals("launch", args.get(first + AppendArgs.Field.UTM_CAMPAIGN));
  }

  static String withoutComments(String lua) {
    return lua.replaceAll("(?m)--.*$", "");
  }

  private static List<Integer> sortedValues(Map<String, Integer> constants) {
    return constants.values().stream().sorted().toList();
  }
}
