package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** window.lua and WindowArgs name the same arguments at the same positions. */
class WindowArgsTest {
  private static final String SCRIPT = LuaArgNames.script("window.lua");

  /** Declared with the Java names and positions; ARGV read only by name, once each. */
  @Test
  void theScriptNamesEveryArgumentAsJavaDoes() {
    LuaArgNames.assertArgumentsByName(SCRIPT, WindowArgs.Arg.class, WindowArgs.COUNT);
  }

  @Test
  void argumentsAreBuiltInTheOrderTheScriptReadsThem() {
    WindowQuery q = new WindowQuery("demo", 1_764_590_500_000L, 300);
    List<String> args = WindowArgs.of("pulse:{demo}:", q, -1);
    assertEquals(List.of("pulse:{demo}:", "1764590200000", "1764590500000", "50", "29409837",
        "5", "20251201", ""), args);
    assertEquals("20251201", args.get(WindowArgs.Arg.TODAY - 1));
    assertEquals("17", WindowArgs.of("pulse:{demo}:", q, 17).get(WindowArgs.Arg.SINCE_SEQ - 1));
  }
}
