package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.ingest.IngestException;
import pulse.ingest.Refusal;

/** One Matomo tracking request's parameters as an /api/collect event, without a server. */
class MatomoHitsTest {
  private static final long NOW = Instant.parse("2026-11-23T14:32:20Z").toEpochMilli();
  private final MatomoHits hits = new MatomoHits(MatomoHttpTest.sites());

  private MatomoHits.Hit hit(String query) throws Exception {
    return hits.translate(MatomoParams.decode(query), null, NOW, 3600);
  }

  @Test
  void aPageviewAnEventAndAPing() throws Exception {
    assertEquals("{\"site\":\"mato\",\"url\":\"https://mato.example.com/a\",\"referrer\":"
        + "\"https://r.example.org/\",\"title\":\"A\",\"type\":\"pageview\"}",
        hit("idsite=7&rec=1&url=https%3A%2F%2Fmato.example.com%2Fa&urlref=https%3A%2F%2F"
            + "r.example.org%2F&action_name=A").event().toString());
    assertEquals("{\"site\":\"mato\",\"url\":\"https://mato.example.com/\",\"type\":\"event\","
        + "\"name\":\"Buy\",\"props\":{\"action\":\"left\",\"name\":\"Shoe\",\"value\":4.0}}",
        hit("idsite=7&rec=1&e_c=Buy&e_a=left&e_n=Shoe&e_v=4").event().toString());
    assertEquals("pageview", hit("idsite=7&rec=1&e_c=Buy").event().path("type").asText(),
        "an event needs e_c and e_a, as in Matomo");
    assertEquals("event", hit("idsite=7&rec=1&e_c=Buy&e_a=x&e_v=abc").event().path("type")
        .asText(), "a value that is no number is dropped, the event kept");
    assertEquals("heartbeat", hit("idsite=7&rec=1&ping=1").event().path("type").asText());
    assertNull(hit("idsite=7&rec=1&idgoal=2").event(), "goals are not stored");
    assertNull(hit("idsite=7&rec=0&url=x").event(), "rec=0 is not recorded");
    assertEquals("Mozilla/5.0 (Node)", hit("idsite=7&rec=1&ua=Mozilla%2F5.0+(Node)")
        .userAgent());
  }

  @Test
  void theSiteIsCheckedFirstAndATokenMustBeACollectTokenOfIt() throws Exception {
    IngestException unknown = assertThrows(IngestException.class, () -> hit("idsite=1%3C&rec=0"));
    assertEquals(Refusal.UNKNOWN_SITE, unknown.reason());
    assertEquals("Invalid idSite: '1'", unknown.getMessage());
    assertThrows(MatomoHits.BadToken.class,
        () -> hit("idsite=8&rec=1&token_auth=" + MatomoHttpTest.COLLECT_TOKEN));
    MatomoHits.Hit vouched = hits.translate(MatomoParams.decode("idsite=7&rec=1&_id=abc&cip=1.2.3.4"),
        MatomoHttpTest.COLLECT_TOKEN, NOW, 3600);
    assertEquals("abc", vouched.visitorKey(), "the bulk request's token counts for its entries");
    assertEquals("1.2.3.4", vouched.ip());
  }

  @Test
  void cdtIsUnixSecondsOrADateTimeInUtc() {
    long t = Instant.parse("2026-11-23T14:30:00Z").toEpochMilli();
    assertEquals(t, MatomoHits.customTime("1795444200", NOW));
    assertEquals(t, MatomoHits.customTime("2026-11-23 14:30:00", NOW));
    assertEquals(t, MatomoHits.customTime("2026-11-23T14:30:00.000Z", NOW));
    assertNull(MatomoHits.customTime("2026-11-23 14:40:00", NOW), "the future is ignored");
    assertNull(MatomoHits.customTime("yesterday-ish", NOW));
    assertNull(MatomoHits.customTime("2026-13-45 99:99:99", NOW));
  }

  @Test
  void bulkEntriesAreQueriesOrObjects() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertEquals(Map.of("idsite", "7", "rec", "1"),
        MatomoParams.bulkEntry(json.readTree("\"/matomo.php?idsite=7&rec=1#x\"")));
    assertEquals(Map.of("idsite", "7", "rec", "1"),
        MatomoParams.bulkEntry(json.readTree("{\"idsite\": 7, \"rec\": 1, \"x\": [1]}")));
    assertEquals(Map.of(), MatomoParams.bulkEntry(json.readTree("\"idsite=7\"")),
        "no query: skipped, as Matomo's parse_url reads it");
    assertNull(MatomoParams.bulkEntry(json.readTree("\"?idsite=%zz\"")), "malformed");
  }
}
