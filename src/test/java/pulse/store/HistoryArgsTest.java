package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.store.LuaArgNames.javaConstants;
import static pulse.store.LuaArgNames.luaTable;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** history.lua and HistoryArgs name the same arguments at the same positions. */
class HistoryArgsTest {
  private static final String SCRIPT = LuaArgNames.script("history.lua");

  @Test
  void theScriptDeclaresTheJavaNamesAndPositions() {
    assertEquals(javaConstants(HistoryArgs.Arg.class), luaTable(SCRIPT, "ARG"));
    assertEquals(IntStream.rangeClosed(1, HistoryArgs.COUNT).boxed().toList(),
        javaConstants(HistoryArgs.Arg.class).values().stream().sorted().toList());
  }

  @Test
  void theScriptReadsArgvOnlyByNameOnceEach() {
    Matcher m = Pattern.compile("ARGV\\[([^\\]]*)\\]")
        .matcher(AppendArgsTest.withoutComments(SCRIPT));
    int reads = 0;
    while (m.find()) {
      assertTrue(m.group(1).matches("ARG\\.\\w+"), "ARGV[" + m.group(1) + "]");
      reads++;
    }
    assertEquals(HistoryArgs.COUNT, reads);
  }

  @Test
  void theDaysKeyIsKeptThirtyOneDaysAfterItsDay() {
    // 2026-12-01T10:00Z: minute 600 of the day; the day ends in 14 h, then 31 days
    long minute = 1_796_083_200_000L / 60_000L + 600;
    long now = minute * 60_000L;
    List<String> args = HistoryArgs.of(true, minute, 12, 3, now);
    assertEquals(List.of("record", Long.toString(minute), "600", "12", "3",
        Long.toString(14 * 3600 + 31 * 86_400L)), args);
  }
}
