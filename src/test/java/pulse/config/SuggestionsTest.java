package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void aTypoGetsTheNearestKnownName() {
    assertEquals("public", Suggestions.closest("publc", List.of("id", "domains", "public")));
    assertEquals("realtime:read",
        Suggestions.closest("realtime:raed", List.of("realtime:read", "analytics:read")));
    assertEquals("--demo", Suggestions.closest("--dmo", List.of("--demo", "--help")));
    assertEquals("maxBodyBytes",
        Suggestions.closest("MaxBodyByte", List.of("maxBodyBytes", "maxEventsPerRequest")));
    assertEquals(" (did you mean \"json\"?)", Suggestions.didYouMean("jsn", List.of("text", "json")));
  }

  @Test
  void somethingFarFromEveryNameGetsNoSuggestion() {
    assertNull(Suggestions.closest("colour", List.of("id", "domains", "public", "aliases")));
    assertNull(Suggestions.closest("xy", List.of("id")));
    assertEquals("", Suggestions.didYouMean("yaml", List.of("text", "json")));
  }
}
