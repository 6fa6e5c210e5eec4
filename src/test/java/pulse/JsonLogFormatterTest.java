package pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  @Test
  void eachRecordIsOneJsonObjectOnOneLine() throws Exception {
    LogRecord record = new LogRecord(Level.WARNING, "store unavailable (\"quoted\")\nsecond line");
    record.setLoggerName("pulse.store.EventWriter");
    record.setThrown(new IllegalStateException("boom"));
    String line = new JsonLogFormatter().format(record);
    assertTrue(line.endsWith("\n"));
    assertEquals(1, line.split("\n", -1).length - 1, "exactly one line: " + line);
    JsonNode json = new ObjectMapper().readTree(line);
    assertEquals("WARNING", json.path("level").asText());
    assertEquals("pulse.store.EventWriter", json.path("logger").asText());
    assertEquals("store unavailable (\"quoted\")\nsecond line", json.path("message").asText());
    assertTrue(json.path("error").asText().contains("IllegalStateException: boom"));
    assertTrue(json.path("time").asText().endsWith("Z"));
  }
}
