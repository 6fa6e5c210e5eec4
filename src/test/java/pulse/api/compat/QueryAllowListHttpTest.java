package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.TestPulse;

/** Only allowed query parameters of a page URL are stored, so none other is ever shown. */
@Tag("server")
class QueryAllowListHttpTest extends CompatHttpTest {
  private static final String AUTH = "Bearer " + TestPulse.ALL_TOKEN;

  private JsonNode umamiPageview() {
    nextTick(clock);
    HttpResponse<String> r = pulse.get("/api/realtime/uma", "Authorization", AUTH);
    assertEquals(200, r.statusCode(), r.body());
    return parse(r.body()).path("pageviews").get(0);
  }

  @Test
  void secretsInTheQueryAreDroppedAtIngestAndCampaignTagsKept() {
    pageview(pulse, "uma", "https://uma.example.com/welcome?email=a@b.c&utm_source=x&token=y",
        "203.0.113.1", "US");
    assertEquals("utm_source=x", umamiPageview().path("urlQuery").asText());
    nextTick(clock);
    HttpResponse<String> snapshot = pulse.get("/api/sites/uma/realtime", "Authorization", AUTH);
    assertEquals(200, snapshot.statusCode(), snapshot.body());
    assertEquals("/welcome", parse(snapshot.body()).path("recent").get(0).path("path").asText());
    assertFalse(snapshot.body().contains("a@b.c"), snapshot.body());
    assertFalse(snapshot.body().contains("token=y"), snapshot.body());
  }

  @Test
  void theAllowListIsConfigurable() {
    restart(c -> c.with("ingest").putArray("queryAllowList").add("ref"));
    pageview(pulse, "uma", "https://uma.example.com/?utm_source=x&REF=hn&session=s3cr3t",
        "203.0.113.1", "US");
    assertEquals("REF=hn", umamiPageview().path("urlQuery").asText());
    restart(c -> c.with("ingest").putArray("queryAllowList"));
    pageview(pulse, "uma", "https://uma.example.com/b?utm_source=x", "203.0.113.2", "US");
    assertEquals("", umamiPageview().path("urlQuery").asText());
  }
}
