package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file with a key Pulse does not know stops start-up, naming the file and the key. */
class ConfigFileTest {
  @TempDir Path dir;

  private String refused(String json) throws Exception {
    Path file = dir.resolve("pulse.json");
    Files.writeString(file, json);
    return assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Map.of("PULSE_CONFIG", file.toString()))).getMessage();
  }

  @Test
  void anUnknownTopLevelKeyIsRefusedWithTheFileAndASuggestion() throws Exception {
    Path file = dir.resolve("pulse.json");
    assertEquals(file + ": redisURL: unknown field (did you mean \"redisUrl\"?)",
        refused("{\"port\": 8080, \"redisURL\": \"redis://127.0.0.1:6379\"}"));
  }

  @Test
  void anUnknownNestedKeyIsRefusedWithItsPath() throws Exception {
    Path file = dir.resolve("pulse.json");
    assertEquals(file + ": limits.maxBodyByte: unknown field (did you mean \"maxBodyBytes\"?)",
        refused("{\"limits\": {\"maxBodyByte\": 1024}}"));
    assertEquals(file + ": compat.umamy: unknown field (did you mean \"umami\"?)",
        refused("{\"compat\": {\"umamy\": false}}"));
    assertEquals(file + ": colour: unknown field", refused("{\"colour\": \"blue\"}"));
  }

  @Test
  void knownKeysLoad() throws Exception {
    Path file = dir.resolve("pulse.json");
    Files.writeString(file, "{\"limits\": {\"maxBodyBytes\": 2048}, \"compat\": {\"umami\": false}}");
    PulseConfig config = ConfigLoader.load(Map.of("PULSE_CONFIG", file.toString()));
    assertEquals(2048, config.limits().maxBodyBytes());
    assertFalse(config.compat().umami());
  }

  /** The shipped config/pulse.json is read as a config file too, so each of its keys is known. */
  @Test
  void everyKeyOfTheShippedDefaultsIsKnown() {
    List<String> paths = new ArrayList<>();
    leaves(ConfigLoader.defaults(), "", paths);
    for (String path : paths) {
      assertTrue(ConfigLoader.KEYS.contains(path), path + " is missing from ConfigLoader.KEYS");
    }
    ConfigLoader.checkKeys(ConfigLoader.defaults(), "", "config/pulse.json");
  }

  private static void leaves(JsonNode node, String parent, List<String> out) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (node.get(name).isObject()) {
        leaves(node.get(name), parent + name + ".", out);
      } else {
        out.add(parent + name);
      }
    }
  }

  @Test
  void theEnvironmentAndTheFileGiveThePortTheSameRange() throws Exception {
    String notANumber = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Map.of("PULSE_PORT", "eighty"))).getMessage();
    String tooLargeFromEnv = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Map.of("PULSE_PORT", "70000"))).getMessage();
    String tooLargeFromFile = refused("{\"port\": 70000}");
    for (String message : List.of(notANumber, tooLargeFromEnv, tooLargeFromFile)) {
      assertTrue(message.startsWith("port (PULSE_PORT) must be"), message);
      assertTrue(message.contains("from 0 to 65535"), message);
    }
  }

  @Test
  void aBadRedisUrlIsNamedWithoutItsPassword() {
    String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        Map.of("PULSE_REDIS_URL", "http://:hunter2@redis.internal:6379"))).getMessage();
    assertTrue(message.contains("http://redis.internal:6379"), message);
    assertFalse(message.contains("hunter2"), message);
  }

  @Test
  void redisUrlsAreShownWithoutTheirPassword() {
    assertEquals("redis://host:6379", RedisUrls.withoutPassword("redis://:secret@host:6379"));
    assertEquals("redis://user@host", RedisUrls.withoutPassword("redis://user:secret@host"));
    assertEquals("rediss://host:6380/1", RedisUrls.withoutPassword("rediss://:p@ss@host:6380/1"));
    assertEquals("redis://a:7000,redis://b:7001",
        RedisUrls.withoutPassword("redis://:x@a:7000, redis://:x@b:7001"));
    assertEquals("redis://127.0.0.1:6379", RedisUrls.withoutPassword("redis://127.0.0.1:6379"));
  }
}
