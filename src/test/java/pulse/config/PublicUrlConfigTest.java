package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** publicUrl (PULSE_PUBLIC_URL): the address alerts link to; an http(s) URL or unset. */
class PublicUrlConfigTest {
  private static PulseConfig with(String publicUrl) {
    ObjectNode tree = ConfigLoader.defaults();
    tree.put("publicUrl", publicUrl);
    return ConfigLoader.fromJson(tree);
  }

  @Test
  void unsetByDefault() {
    assertNull(ConfigLoader.fromJson(ConfigLoader.defaults()).server().publicUrl());
  }

  @Test
  void anHttpsAddressIsKeptWithoutItsTrailingSlash() {
    assertEquals("https://pulse.example.com", with("https://pulse.example.com/").server()
        .publicUrl());
    assertEquals("https://example.com/pulse", with("https://example.com/pulse").server()
        .publicUrl());
    assertEquals("https://stats.example.org", ConfigLoader.load(
        Map.of("PULSE_PUBLIC_URL", "https://stats.example.org")).server().publicUrl());
  }

  @Test
  void anythingElseIsRefusedWithItsName() {
    assertEquals("publicUrl (PULSE_PUBLIC_URL) must be the http:// or https:// address Pulse is"
        + " reached at, such as https://pulse.example.com, got \"pulse.example.com\"",
        assertThrows(ConfigException.class, () -> with("pulse.example.com")).getMessage());
    assertThrows(ConfigException.class, () -> with("ftp://pulse.example.com"));
    assertThrows(ConfigException.class, () -> with("https://pulse.example.com/?a=1"));
  }
}
