package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** history.lua and HistoryArgs name the same arguments at the same positions. */
class HistoryArgsTest {
  private static final String SCRIPT = LuaArgNames.script("history.lua");

  /** Declared with the Java names and positions; ARGV read only by name, once each. */
  @Test
  void theScriptNamesEveryArgumentAsJavaDoes() {
    LuaArgNames.assertArgumentsByName(SCRIPT, HistoryArgs.Arg.class, HistoryArgs.COUNT);
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
