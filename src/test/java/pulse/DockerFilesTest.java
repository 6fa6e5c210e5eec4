package pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What docker/ promises, read from the files (no Docker engine is needed): replicas that can be
 * scaled, one ticket secret, the sites file as a volume, a health check, guarded metrics.
 */
class DockerFilesTest {
  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker",
        "docker-compose.yml")));
    return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
  }

  @Test
  @SuppressWarnings("unchecked")
  void replicasPublishNoPortAndShareSecretsAndTheSitesFile() throws Exception {
    Map<String, Object> pulse = service("pulse");
    assertNull(pulse.get("ports"), "a fixed host port per replica stops --scale");
    assertEquals(List.of("8080:80"), service("proxy").get("ports"));
    Map<String, String> env = (Map<String, String>) pulse.get("environment");
    assertTrue(env.get("PULSE_TICKET_SECRET").startsWith("${PULSE_TICKET_SECRET:?"), env.toString());
    assertTrue(env.get("PULSE_ADMIN_TOKEN").startsWith("${PULSE_ADMIN_TOKEN:?"), env.toString());
    assertEquals("/config/sites.json", env.get("PULSE_SITES"));
    assertTrue(((List<String>) pulse.get("volumes")).stream()
        .anyMatch(v -> v.endsWith(":/config/sites.json:ro")), pulse.toString());
  }

  @Test
  void theImageChecksHealthWithAToolItHas() throws Exception {
    String dockerfile = Files.readString(Path.of("docker", "Dockerfile"));
    assertTrue(dockerfile.contains("COPY --from=busybox"), dockerfile);
    assertTrue(dockerfile.contains(
        "busybox wget -q -O /dev/null \"http://127.0.0.1:${PULSE_PORT:-8080}/health\""), dockerfile);
    String ignored = Files.readString(Path.of(".dockerignore"));
    for (String entry : List.of("target", ".git", "data")) {
      assertTrue(ignored.lines().anyMatch(entry::equals), entry);
    }
    String nginx = Files.readString(Path.of("docker", "nginx.conf"));
    assertTrue(nginx.contains("proxy_set_header X-Forwarded-For $remote_addr;"), nginx);
    assertTrue(nginx.contains("proxy_buffering off;"), nginx);
  }
}
