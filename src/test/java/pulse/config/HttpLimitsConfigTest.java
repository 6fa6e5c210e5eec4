package pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpLimitsConfigTest {
  @TempDir
  Path dir;

  private PulseConfig load(Map<String, String> env) throws Exception {
    Path file = dir.resolve("pulse.json");
    Files.writeString(file, "{}");
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("PULSE_CONFIG", file.toString());
    return ConfigLoader.load(all);
  }

  @Test
  void theDefaultsCutSlowClientsOffAndTrustPrivateProxiesOnlyWhenAskedTo() throws Exception {
    PulseConfig config = load(Map.of());
    assertEquals(new HttpLimits(10_000, 30_000, 64), config.http());
    assertFalse(config.server().proxies().trusts("127.0.0.1"),
        "no proxy is trusted without trustProxy");
    PulseConfig trusting = load(Map.of("PULSE_TRUST_PROXY", "true"));
    for (String ip : new String[] {"127.0.0.1", "::1", "10.1.2.3", "172.20.0.1", "192.168.0.1",
        "fd00::1"}) {
      assertTrue(trusting.server().proxies().trusts(ip), ip);
    }
    assertFalse(trusting.server().proxies().trusts("203.0.113.9"));
  }

  @Test
  void theEnvironmentSetsTheTrustedProxiesAndTheConnectionCap() throws Exception {
    PulseConfig config = load(Map.of("PULSE_TRUST_PROXY", "true",
        "PULSE_TRUSTED_PROXIES", "203.0.113.0/24, 2001:db8::/32",
        "PULSE_MAX_CONNECTIONS_PER_IP", "8"));
    assertTrue(config.server().proxies().trusts("203.0.113.9"));
    assertTrue(config.server().proxies().trusts("2001:db8::1"));
    assertFalse(config.server().proxies().trusts("127.0.0.1"), "the list replaces the default one");
    assertEquals(8, config.http().maxConnectionsPerIp());
  }

  @Test
  void badValuesStopStartUpNamingThem() {
    ConfigException cidr = assertThrows(ConfigException.class,
        () -> load(Map.of("PULSE_TRUSTED_PROXIES", "10.0.0.0/8,10.0.0.0/40")));
    assertEquals("trustedProxies (PULSE_TRUSTED_PROXIES): '10.0.0.0/40' has no prefix length "
        + "from 0 to 32", cidr.getMessage());
    assertTrue(assertThrows(ConfigException.class,
        () -> load(Map.of("PULSE_TRUSTED_PROXIES", "proxy.internal"))).getMessage()
        .contains("'proxy.internal' is not a CIDR range"));
    assertEquals("PULSE_MAX_CONNECTIONS_PER_IP must be a whole number, got 'many'",
        assertThrows(ConfigException.class,
            () -> load(Map.of("PULSE_MAX_CONNECTIONS_PER_IP", "many"))).getMessage());
    ObjectNode tree = ConfigLoader.defaults();
    tree.with("http").put("maxConnectionsPerIp", 0);
    assertEquals("http.maxConnectionsPerIp must be from 1 to 1000000, got 0",
        assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(tree)).getMessage());
    ObjectNode slow = ConfigLoader.defaults();
    slow.with("http").put("requestTimeoutMillis", 5000);
    assertEquals("http.requestTimeoutMillis (5000) must be longer than http.bodyTimeoutMillis "
        + "(10000)", assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(slow))
        .getMessage());
    ObjectNode notAList = ConfigLoader.defaults();
    notAList.put("trustedProxies", "10.0.0.0/8");
    assertEquals("trustedProxies (PULSE_TRUSTED_PROXIES) must be a list of CIDR ranges such as "
        + "10.0.0.0/8, got \"10.0.0.0/8\"",
        assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(notAList)).getMessage());
  }
}
