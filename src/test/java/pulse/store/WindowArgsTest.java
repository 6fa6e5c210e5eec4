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

/** window.lua and WindowArgs name the same arguments at the same positions. */
class WindowArgsTest {
  private static final String SCRIPT = LuaArgNames.script("window.lua");

  @Test
  void theScriptDeclaresTheJavaNamesAndPositions() {
    assertEquals(javaConstants(WindowArgs.Arg.class), luaTable(SCRIPT, "ARG"));
    assertEquals(IntStream.rangeClosed(1, WindowArgs.COUNT).boxed().toList(),
        javaConstants(WindowArgs.Arg.class).values().stream().sorted().toList());
  }

  /** Outside comments, ARGV is read only as ARGV[ARG.name]. */
  @Test
  void theScriptReadsArgvOnlyByName() {
    Matcher m = Pattern.compile("ARGV\\[([^\\]]*)\\]")
        .matcher(AppendArgsTest.withoutComments(SCRIPT));
    int reads = 0;
    while (m.find()) {
      assertTrue(m.group(1).matches("ARG\\.\\w+"), "ARGV[" + m.group(1) + "]");
      reads++;
    }
    assertEquals(WindowArgs.COUNT, reads);
  }

  @Test
  void argumentsAreBuiltInTheOrderTheScriptReadsThem() {
    WindowQuery q = new WindowQuery("demo", 1_764_590_500_000L, 300);
    List<String> args = WindowArgs.of("pulse:{demo}:", q);
    assertEquals(List.of("pulse:{demo}:", "1764590200000", "1764590500000", "50", "29409837",
        "5", "20251201"), args);
    assertEquals("20251201", args.get(WindowArgs.Arg.TODAY - 1));
  }
}
