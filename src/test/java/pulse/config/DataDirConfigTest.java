package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the embedded store saves its figures: data/ unless told, nowhere when told "". */
class DataDirConfigTest {
  @Test
  void dataByDefaultAndTheEnvironmentMovesIt() {
    assertEquals(Path.of("data"), ConfigLoader.fromJson(ConfigLoader.defaults()).dataDir());
    assertEquals(Path.of("/var/lib/pulse"),
        ConfigLoader.load(Map.of("PULSE_DATA_DIR", " /var/lib/pulse ")).dataDir());
  }

  @Test
  void emptyOrNullSavesNothing() {
    assertNull(ConfigLoader.load(Map.of("PULSE_DATA_DIR", "")).dataDir());
    ObjectNode tree = ConfigLoader.defaults();
    tree.put("dataDir", "");
    assertNull(ConfigLoader.fromJson(tree).dataDir());
    tree.putNull("dataDir");
    assertNull(ConfigLoader.fromJson(tree).dataDir());
  }

  @Test
  void aNumberStopsStartUpNamingTheSetting() {
    ObjectNode tree = ConfigLoader.defaults();
    tree.put("dataDir", 7);
    assertEquals("dataDir (PULSE_DATA_DIR) must be a directory, or \"\" to save nothing, got 7",
        assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(tree)).getMessage());
  }
}
