package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.testing.TestPulse.CHROME;
import static pulse.testing.TestPulse.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.SseClient;
import pulse.testing.TestPulse;
import pulse.testing.TestRedis;

/**
 * Pulse on a three-master Redis Cluster made of redis-server processes: a site's keys share one
 * hash slot, so the same Lua scripts run unchanged, and change notes reach every instance.
 */
@Tag("cluster")
class RedisClusterTest {
  private static final List<TestRedis> NODES = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    for (int i = 0; i < 3; i++) {
      NODES.add(TestRedis.startProcess(List.of("--cluster-enabled", "yes",
          "--cluster-config-file", "nodes-" + i + ".conf", "--cluster-node-timeout", "2000")));
    }
    // slots split three ways, then the nodes meet
    int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
    for (int i = 0; i < 3; i++) {
      String reply = NODES.get(i).command("CLUSTER", "ADDSLOTSRANGE",
          Integer.toString(ranges[i][0]), Integer.toString(ranges[i][1]));
      assertTrue(reply.startsWith("+OK"), reply);
    }
    for (int i = 1; i < 3; i++) {
      NODES.get(0).command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(NODES.get(i).port()));
    }
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      boolean ok = true;
      for (TestRedis node : NODES) {
        ok &= node.command("CLUSTER", "INFO").contains("cluster_state:ok");
      }
      if (ok) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the cluster did not become ready");
  }

  @AfterAll
  static void stopCluster() {
    NODES.forEach(TestRedis::stop);
  }

  private static String clusterUrl() {
    StringBuilder sb = new StringBuilder();
    for (TestRedis node : NODES) {
      sb.append(sb.length() == 0 ? "" : ",").append(node.url());
    }
    return sb.toString();
  }

  @Test
  void ingestReadsAndStreamsWorkOnAThreeMasterCluster() throws Exception {
    // the sites' hash slots land on different masters
    assertTrue(NODES.get(0).command("CLUSTER", "KEYSLOT", "pulse:{demo}:visitors")
        .matches("(?s):\\d+\\r\\n.*"));
    try (TestPulse a = TestPulse.start(clusterUrl(), Clock.systemUTC(),
            c -> c.with("realtime").put("tickMillis", 100));
        TestPulse b = TestPulse.start(clusterUrl(), Clock.systemUTC(),
            c -> c.with("realtime").put("tickMillis", 100))) {
      assertEquals(200, a.get("/health").statusCode());
      try (SseClient stream = SseClient.open(b.base() + "/api/sites/blog/stream",
          "Authorization", "Bearer " + TestPulse.BLOG_TOKEN)) {
        assertNotNull(stream.nextMessage(Duration.ofSeconds(2)));

        assertEquals(202, a.collect("{\"site\":\"demo\",\"url\":\"http://localhost/c1\"}", CHROME)
            .statusCode());
        assertEquals(202, a.collect("{\"site\":\"shop\",\"url\":\"https://shop.example.com/c2\"}",
            CHROME).statusCode());
        assertEquals(202, a.collect("{\"site\":\"blog\",\"url\":\"https://blog.example.com/c3\"}",
            CHROME).statusCode());

        SseClient.Frame pushed = null;
        long deadline = System.currentTimeMillis() + 3_000;
        while (pushed == null && System.currentTimeMillis() < deadline) {
          SseClient.Frame f = stream.nextMessage(Duration.ofMillis(300));
          if (f != null && f.data().contains("/c3")) {
            pushed = f;
          }
        }
        assertNotNull(pushed, "a stream on instance b sees an event stored through instance a");
      }
      JsonNode demo = awaitPage(b, "/api/sites/demo/realtime", "/c1");
      assertEquals(1, demo.path("today").path("visitors").asInt());
      // a filtered snapshot reads the window's pageview logs of the site's slot (one MGET)
      JsonNode filtered = json(b.get("/api/sites/demo/realtime?filter=path:/c1"));
      assertEquals("/c1", filtered.path("pages").path(0).path("path").asText(), filtered.toString());
      assertEquals(1, filtered.path("pages").path(0).path("pageviews").asInt(), filtered.toString());
      awaitPage(b, "/api/sites/shop/realtime", "/c2", "Authorization",
          "Bearer " + TestPulse.SHOP_TOKEN);
    }
    // the three sites' keys live on more than one master
    int nodesWithKeys = 0;
    for (TestRedis node : NODES) {
      if (!node.command("DBSIZE").startsWith(":0")) {
        nodesWithKeys++;
      }
    }
    assertTrue(nodesWithKeys >= 2, "keys spread over " + nodesWithKeys + " masters");
  }

  private static JsonNode awaitPage(TestPulse pulse, String path, String page, String... headers)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 3_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<String> r = pulse.get(path, headers);
      last = r.statusCode() + " " + r.body();
      if (r.statusCode() == 200 && r.body().contains(page)) {
        return json(r);
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " never showed " + page + ": " + last);
  }
}
