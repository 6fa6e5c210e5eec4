package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.store.LuaArgNames.javaConstants;
import static pulse.store.LuaArgNames.luaNumber;
import static pulse.store.LuaArgNames.luaTable;

import java.util.List;
import java.util.Map;
import java.util.Set;
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
    assertEquals(AppendArgs.RECENT_KEPT, luaNumber(SCRIPT, "RECENT_KEPT"));
    // pvcount's sum, which Java adds to and the script reads
    assertTrue(SCRIPT.contains("local TOTAL, FROM, COMPACTED = '" + AppendArgs.PAGEVIEWS_HELD
        + "', "), "append.lua's TOTAL is " + AppendArgs.PAGEVIEWS_HELD);
  }

  @Test
  void positionsAreDistinctAndLeaveNoGaps() {
    assertEquals(IntStream.rangeClosed(1, AppendArgs.BATCH_ARGS).boxed().toList(),
        sortedValues(javaConstants(AppendArgs.Arg.class)));
    assertEquals(IntStream.rangeClosed(1, AppendArgs.FIELDS).boxed().toList(),
        sortedValues(javaConstants(AppendArgs.Field.class)));
  }

  /**
   * Outside comments, ARGV is read by name (ARGV[ARG.name]) or, within a section whose start the
   * script takes from the batch arguments, by its cursor (a visit's fields by name, F.name, in its
   * argument split).
   */
  @Test
  void theScriptReadsArgvOnlyByNameOrSectionCursor() {
    Matcher m = Pattern.compile("ARGV\\[([^\\]]*)\\]").matcher(withoutComments(SCRIPT));
    int reads = 0;
    while (m.find()) {
      String index = m.group(1);
      // (the pattern stops at the first ']': ARGV[ARG[name]] reads as "ARG[name")
      assertTrue(index.matches("ARG\\.\\w+|ARG\\[name|[ijk]( \\+ 1)?"),
          "ARGV[" + index + "]");
      reads++;
    }
    assertTrue(reads > 20, "found only " + reads + " reads of ARGV");
  }

  @Test
  void theSectionsAreNamedInTheOrderTheScriptWalksThem() {
    Matcher m = Pattern.compile("for _, name in ipairs\\(\\{([^}]*)\\}\\)").matcher(SCRIPT);
    assertTrue(m.find(), "the script walks its sections by name");
    List<String> walked = Pattern.compile("'(\\w+)'").matcher(m.group(1)).results()
        .map(r -> r.group(1)).toList();
    List<String> declared = javaConstants(AppendArgs.Arg.class).entrySet().stream()
        .filter(e -> e.getValue() >= AppendArgs.Arg.PAGEVIEWS).map(Map.Entry::getKey).toList();
    assertEquals(declared, walked);
  }

  @Test
  void argumentsAreBuiltInTheOrderTheScriptReadsThem() {
    long t1 = 1_764_590_400_123L;
    Event pageview = new Event("id1", Event.PAGEVIEW, t1, "v1", "/a\tb",
        "q=1", "Title\n", "news.com", "", "", "DE", "Firefox", "Linux", "desktop", true, 12_500,
        "news\tletter", "email", "launch");
    Event custom = new Event("id2", Event.CUSTOM, 1_764_590_460_000L, "v2", "/", "", "", "",
        "signup", "{\"plan\":\"pro\"}", "", "Chrome", "Windows", "mobile", null);
    Event bot = Event.bot("id3", t1, "ai");
    List<String> args = AppendArgs.of("p:", "demo", 1_764_590_500_000L, LIMITS,
        new SiteUpkeep.Due(true, true), List.of("earlier1", "earlier2"),
        List.of(pageview, custom, bot));

    assertEquals(List.of("p:", "1764590500000", "1800000", "3660000", "100000",
        "50000", "7776000", "demo", "1", "1",
        AppendArgs.batchId(List.of(pageview, custom, bot))), args.subList(0, 11));
    int at = AppendArgs.BATCH_ARGS;
    // the second's log: ms within the second, visitor, path
    List<String> pageviews = List.of("p:pvlog:1764590400", "123\tv1\t/a b\n");
    List<String> recent = List.of("1764590400123",
        "id1\tv1\t/a b\tq=1\tTitle \tnews.com\tDE\tFirefox\tLinux\tdesktop");
    List<String> events = List.of("1764590460000", "id2\tv2\tsignup\t/\t{\"plan\":\"pro\"}");
    // the pageview and the bot share their second and minute; pvcount counts the pageview only
    List<String> counts = List.of("p:pvcount", "2", "1764590400", "1", "total", "1",
        "p:ps:1764590400", "2", "/a b", "1", "bot:ai", "1",
        "p:pm:29409840", "2", "/a b", "1", "bot:ai", "1",
        "p:day:20251201", "2", "pageviews", "1", "pv:12", "1");
    List<String> uniques = List.of("p:uv:20251201", "2", "v1", "v2",
        "p:uvh:2025120112", "2", "v1", "v2");
    List<String> sets = List.of("p:vm:29409840", "1", "v1", "p:vm:29409841", "1", "v2");
    // each key's TTL counts from the end of its period: the second and minute of the pageview
    // have ended (3,660 + 60 s), the day ends in 43,100 s, the hour in 3,500 s, the custom
    // event's minute in 20 s
    // (a log is kept the retention after its second, pvcount is a realtime key: the retention
    // and ten minutes)
    List<String> expiries = List.of("p:pvlog:1764590400", "3660", "p:pvcount", "4260",
        "p:ps:1764590400", "3720", "p:pm:29409840", "3720",
        "p:day:20251201", "7819100", "p:uv:20251201", "7819100", "p:uvh:2025120112", "262700",
        "p:vm:29409840", "3720", "p:vm:29409841", "3740");
    List<String> visits = List.of(
        String.join("\t", "pageview", "1764590400123", "v1", "/a b", "news.com", "DE", "Firefox",
            "Linux", "desktop", "1", "20251201", "29409840", "12500", "news letter", "email",
            "launch"),
        String.join("\t", "event", "1764590460000", "v2", "/", "", "", "Chrome", "Windows",
            "mobile", "", "20251201", "29409841", "-1", "", "", ""));
    List<String> forget = List.of("earlier1", "earlier2");
    List<List<String>> sections = List.of(pageviews, recent, events, counts, uniques, sets,
        expiries, forget, visits);
    int[] lengthArgs = {AppendArgs.Arg.PAGEVIEWS, AppendArgs.Arg.RECENT, AppendArgs.Arg.EVENTS,
        AppendArgs.Arg.COUNTS, AppendArgs.Arg.UNIQUES, AppendArgs.Arg.SETS,
        AppendArgs.Arg.EXPIRIES, AppendArgs.Arg.FORGET, AppendArgs.Arg.VISITS};
    for (int k = 0; k < sections.size(); k++) {
      List<String> section = sections.get(k);
      assertEquals(Integer.toString(section.size()), args.get(lengthArgs[k] - 1));
      assertEquals(section, args.subList(at, at + section.size()), "section " + k);
      at += section.size();
    }
    assertEquals(at, args.size());
    assertEquals(2, visits.size());

    // The named positions point at those values, as the script reads them (1-based).
    int firstVisit = args.size() - visits.size();
    assertEquals("demo", args.get(AppendArgs.Arg.SITE_ID - 1));
    assertEquals("29409840", field(args, firstVisit, AppendArgs.Field.MINUTE));
    assertEquals("12500", field(args, firstVisit, AppendArgs.Field.ENGAGED));
    assertEquals("launch", field(args, firstVisit, AppendArgs.Field.UTM_CAMPAIGN));
    assertEquals("mobile", field(args, firstVisit + 1, AppendArgs.Field.DEVICE));
  }

  @Test
  void aRepeatedPageviewIsLoggedOnceAndTheBatchIdFollowsItsEvents() {
    Event a = new Event("a", Event.PAGEVIEW, 1_000, "v", "/", "", "", "", "", "", "", "", "",
        "", null);
    Event b = new Event("b", Event.PAGEVIEW, 1_200, "v", "/x", "", "", "", "", "", "", "", "",
        "", null);
    Event beat = new Event("c", Event.HEARTBEAT, 3_000, "v", "/", "", "", "", "", "", "", "",
        "", "", null);
    List<String> args = AppendArgs.of("p:", "demo", 5_000, LIMITS, List.of(a, b, a, beat));
    int at = AppendArgs.BATCH_ARGS;
    assertEquals(List.of("p:pvlog:1", "0\tv\t/\n200\tv\t/x\n"), args.subList(at, at + 2));
    assertEquals("3", args.get(AppendArgs.Arg.VISITS - 1), "the repeat is no visit either");
    // the same events, the same id (a batch sent again); any other batch, another
    assertEquals(AppendArgs.batchId(List.of(a, b, beat)),
        AppendArgs.batchId(List.of(new Event("a", Event.PAGEVIEW, 1_000, "v", "/", "", "", "",
            "", "", "", "", "", "", null), b, beat)));
    Set<String> ids = Set.of(AppendArgs.batchId(List.of(a, b, beat)),
        AppendArgs.batchId(List.of(a, b)), AppendArgs.batchId(List.of(b, a, beat)),
        AppendArgs.batchId(List.of(a)), AppendArgs.batchId(List.of(b)));
    assertEquals(5, ids.size());
    // heartbeats and leaves only: no id (written twice, they change nothing); a bot counts
    Event leave = new Event("d", Event.LEAVE, 3_500, "v", "/", "", "", "", "", "", "", "", "",
        "", null);
    assertEquals("", AppendArgs.batchId(List.of(beat, leave)));
    assertEquals(22, AppendArgs.batchId(List.of(beat, Event.bot("e", 3_000, "ai"))).length());
  }

  @Test
  void onlyTheNewestPageviewsGoToRecent() {
    List<Event> many = new java.util.ArrayList<>();
    for (int k = 0; k < AppendArgs.RECENT_KEPT + 50; k++) {
      many.add(new Event("id" + k, Event.PAGEVIEW, 1_000 + k, "v" + k, "/", "", "", "", "", "",
          "", "", "", "", null));
    }
    List<String> args = AppendArgs.of("p:", "demo", 5_000, LIMITS, many);
    int recentAt = AppendArgs.BATCH_ARGS + Integer.parseInt(args.get(AppendArgs.Arg.PAGEVIEWS - 1));
    assertEquals(2, Integer.parseInt(args.get(AppendArgs.Arg.PAGEVIEWS - 1)),
        "the 250 pageviews of one second are one log's lines");
    assertEquals(Integer.toString(2 * AppendArgs.RECENT_KEPT), args.get(AppendArgs.Arg.RECENT - 1));
    assertEquals("1050", args.get(recentAt));
  }

  @Test
  void eachEventCountsInItsOwnSecondMinuteHourAndDay() {
    long midnight = 1_764_633_600_000L; // 2025-12-02T00:00:00Z
    List<Event> batch = List.of(
        new Event("a", Event.PAGEVIEW, midnight - 1, "v", "/", "", "", "", "", "", "", "", "",
            "", null),
        new Event("b", Event.PAGEVIEW, midnight, "v", "/", "", "", "", "", "", "", "", "", "",
            null),
        new Event("c", Event.PAGEVIEW, midnight - 1, "w", "/", "", "", "", "", "", "", "", "",
            "", null));
    List<String> args = AppendArgs.of("p:", "demo", midnight, LIMITS, batch);
    int at = AppendArgs.BATCH_ARGS;
    for (int s = AppendArgs.Arg.PAGEVIEWS; s < AppendArgs.Arg.COUNTS; s++) {
      at += Integer.parseInt(args.get(s - 1));
    }
    List<String> counts = args.subList(at, at + Integer.parseInt(
        args.get(AppendArgs.Arg.COUNTS - 1)));
    assertEquals(List.of("p:pvcount", "3", "1764633599", "2", "total", "3", "1764633600", "1",
        "p:ps:1764633599", "1", "/", "2", "p:pm:29410559", "1", "/", "2",
        "p:day:20251201", "2", "pageviews", "2", "pv:23", "2",
        "p:ps:1764633600", "1", "/", "1", "p:pm:29410560", "1", "/", "1",
        "p:day:20251202", "2", "pageviews", "1", "pv:00", "1"), counts);
    int visits = args.size() - Integer.parseInt(args.get(AppendArgs.Arg.VISITS - 1));
    assertEquals("20251202", field(args, visits + 1, AppendArgs.Field.DAY));
    assertEquals("29410560", field(args, visits + 1, AppendArgs.Field.MINUTE));
    assertEquals("20251201", field(args, visits + 2, AppendArgs.Field.DAY));
  }

  /** A field of the visit at ARGV index {@code at} (0-based), as the script splits it. */
  private static String field(List<String> args, int at, int field) {
    String[] fields = args.get(at).split("\t", -1);
    assertEquals(AppendArgs.FIELDS, fields.length, args.get(at));
    return fields[field - 1];
  }

  static String withoutComments(String lua) {
    return lua.replaceAll("(?m)--.*$", "");
  }

  private static List<Integer> sortedValues(Map<String, Integer> constants) {
    return constants.values().stream().sorted().toList();
  }
}
