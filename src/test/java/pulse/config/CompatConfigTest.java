package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CompatConfigTest {
  @Test
  void everyCompatApiIsOnUnlessSwitchedOff() {
    assertEquals(CompatConfig.ALL, ConfigLoader.fromJson(ConfigLoader.defaults()).compat());
    ObjectNode tree = ConfigLoader.defaults();
    tree.remove("compat");
    assertEquals(CompatConfig.ALL, ConfigLoader.fromJson(tree).compat());
    tree.putObject("compat").put("zenovay", false).put("umamiTracker", false);
    assertEquals(new CompatConfig(true, false, true, true, true, true, false),
        ConfigLoader.fromJson(tree).compat());
    tree.putObject("compat").put("matomoTracker", false);
    assertEquals(new CompatConfig(true, true, true, true, true, true, true, true, true, true,
        false, true, true), ConfigLoader.fromJson(tree).compat());
    tree.putObject("compat").put("ga4", false).put("ga4Collect", false);
    assertEquals(new CompatConfig(true, true, true, true, true, true, true, true, true, true,
        true, false, false), ConfigLoader.fromJson(tree).compat());
  }

  @Test
  void aSwitchThatIsNotABooleanStopsStartUpNamingIt() {
    ObjectNode tree = ConfigLoader.defaults();
    tree.with("compat").put("datafast", "no");
    assertEquals("compat.datafast must be true or false, got \"no\"",
        assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(tree)).getMessage());
    tree.put("compat", 1);
    assertEquals("compat must be an object of switches, got 1",
        assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(tree)).getMessage());
  }
}
