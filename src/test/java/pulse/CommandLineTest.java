package pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.config.ConfigException;

class CommandLineTest {
  @Test
  void anUnknownOptionIsRefusedWithTheNearestOption() {
    assertEquals("unknown option '--dmo' (did you mean \"--demo\"?); java -jar pulse.jar --help"
        + " lists them", assertThrows(ConfigException.class,
            () -> CommandLine.parse(new String[] {"--dmo"})).getMessage());
    assertEquals("unknown option 'serve'; java -jar pulse.jar --help lists them",
        assertThrows(ConfigException.class,
            () -> CommandLine.parse(new String[] {"serve"})).getMessage());
  }

  @Test
  void knownOptionsParse() {
    assertEquals(new CommandLine(true, false), CommandLine.parse(new String[] {"--demo"}));
    assertEquals(new CommandLine(false, true), CommandLine.parse(new String[] {"-h"}));
    assertEquals(new CommandLine(false, false), CommandLine.parse(new String[0]));
  }

  @Test
  void theUsageNamesTheOptionsAndEveryEnvironmentVariable() {
    for (String name : List.of("--demo", "--help", "token", "share", "--write", "PULSE_CONFIG",
        "PULSE_PORT", "PULSE_REDIS_URL", "PULSE_SITES", "PULSE_TRUST_PROXY", "PULSE_ADMIN_TOKEN",
        "PULSE_TICKET_SECRET", "PULSE_GEOIP_DB", "PULSE_DEMO", "PULSE_LOG_FORMAT")) {
      assertTrue(CommandLine.USAGE.contains(name), name);
    }
  }

  @Test
  void anUnknownLogFormatIsRefusedWithTheNearestFormat() {
    assertEquals("PULSE_LOG_FORMAT must be text or json, got 'jsn' (did you mean \"json\"?)",
        assertThrows(ConfigException.class, () -> CommandLine.jsonLogs("jsn")).getMessage());
    assertEquals("PULSE_LOG_FORMAT must be text or json, got 'yaml'",
        assertThrows(ConfigException.class, () -> CommandLine.jsonLogs("yaml")).getMessage());
    assertTrue(CommandLine.jsonLogs("JSON"));
    assertFalse(CommandLine.jsonLogs("text"));
    assertFalse(CommandLine.jsonLogs(null));
  }
}
