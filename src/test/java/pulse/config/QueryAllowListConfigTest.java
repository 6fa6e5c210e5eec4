package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryAllowListConfigTest {
  private static final List<String> CAMPAIGN_TAGS = List.of("utm_source", "utm_medium",
      "utm_campaign", "utm_term", "utm_content", "ref", "source");

  @Test
  void campaignTagsByDefaultAndTheEnvironmentReplacesThem() {
    assertEquals(CAMPAIGN_TAGS, ConfigLoader.fromJson(ConfigLoader.defaults()).ingest()
        .queryAllowList());
    ObjectNode tree = ConfigLoader.defaults();
    tree.remove("ingest");
    assertEquals(CAMPAIGN_TAGS, ConfigLoader.fromJson(tree).ingest().queryAllowList());
    assertEquals(List.of("ref", "gclid"), ConfigLoader.load(Map.of(
        "PULSE_QUERY_ALLOWLIST", " ref, gclid ")).ingest().queryAllowList());
    assertEquals(List.of(), ConfigLoader.load(Map.of("PULSE_QUERY_ALLOWLIST", ""))
        .ingest().queryAllowList());
  }

  @Test
  void aBadNameStopsStartUpNamingTheSetting() {
    ObjectNode tree = ConfigLoader.defaults();
    tree.with("ingest").putArray("queryAllowList").add("utm_source").add("a&b");
    assertEquals("ingest.queryAllowList (PULSE_QUERY_ALLOWLIST) must be a list of parameter names "
        + "([A-Za-z0-9_.-]{1,64}), got \"a&b\"",
        assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(tree)).getMessage());
    tree.with("ingest").put("queryAllowList", "utm_source");
    assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(tree));
  }
}
