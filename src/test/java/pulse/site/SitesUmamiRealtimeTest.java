package pulse.site;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pulse.config.ConfigException;

/** A site's "umamiRealtime" choice in the sites file: classic by default, v3 when asked. */
class SitesUmamiRealtimeTest {
  @Test
  void classicUnlessTheSiteAsksForV3() {
    Sites sites = Sites.parse("""
        {"sites": [{"id": "a", "domains": ["a.test"]},
                   {"id": "b", "domains": ["b.test"], "umamiRealtime": "classic"},
                   {"id": "c", "domains": ["c.test"], "umamiRealtime": "v3"}]}
        """);
    assertFalse(sites.umamiRealtimeV3("a"));
    assertFalse(sites.umamiRealtimeV3("b"));
    assertTrue(sites.umamiRealtimeV3("c"));
  }

  @Test
  void anotherValueIsRefusedNamingTheChoices() {
    ConfigException e = assertThrows(ConfigException.class, () -> Sites.parse("""
        {"sites": [{"id": "a", "domains": ["a.test"], "umamiRealtime": "V3"}]}
        """));
    assertTrue(e.getMessage().contains("umamiRealtime must be one of classic, v3"),
        e.getMessage());
  }
}
