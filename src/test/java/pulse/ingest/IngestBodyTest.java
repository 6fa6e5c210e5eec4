package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.site.Sites;

/**
 * The body of {@code POST /api/collect} before its events' fields are read: malformed JSON,
 * hostile JSON, an empty body, and arrays (empty, over the limit, one bad element refusing all).
 */
class IngestBodyTest {
  private static final int MAX_EVENTS = 100;
  private static final EventParser PARSER = new EventParser(Sites.parse("""
      {"sites": [{"id": "demo", "domains": ["example.com"]}]}"""), new QueryAllowList(List.of()));
  private static final String EVENT = "{\"site\":\"demo\",\"url\":\"https://example.com/\"}";

  private static List<IncomingEvent> parse(String body) throws IngestException {
    return parse(Buffer.buffer(body));
  }

  private static List<IncomingEvent> parse(Buffer body) throws IngestException {
    return IngestBody.events(body, PARSER, MAX_EVENTS);
  }

  private static void assertRefused(String message, Buffer body) {
    IngestException e = assertThrows(IngestException.class, () -> parse(body));
    assertEquals(message, e.getMessage());
    assertEquals(Refusal.INVALID, e.reason(), message);
  }

  private static void assertRefused(String message, String body) {
    assertRefused(message, Buffer.buffer(body));
  }

  private static String array(int events) {
    return "[" + String.join(",", Collections.nCopies(events, EVENT)) + "]";
  }

  @Test
  void oneObjectOrAnArrayOfUpToTheLimit() throws Exception {
    assertEquals(1, parse(EVENT).size());
    assertEquals(1, parse(array(1)).size());
    assertEquals(MAX_EVENTS, parse(array(MAX_EVENTS)).size());
  }

  @Test
  void anEmptyBodyIsRefused() {
    String message = "body is empty: send a JSON event object or an array of them";
    assertRefused(message, Buffer.buffer());
    assertRefused(message, "   \n");
    assertRefused(message, (Buffer) null);
  }

  @Test
  void anythingAfterTheJsonValueIsRefused() {
    assertRefused("body is not valid JSON (line 1, column 3)", "[]]");
    assertRefused("body is not valid JSON (line 1, column 46)", EVENT + " garbage");
    assertRefused("body is not valid JSON (line 1, column 45)", EVENT + EVENT);
  }

  @Test
  void malformedJsonIsRefusedWithItsPosition() {
    assertRefused("body is not valid JSON (line 1, column 2)", "{site: \"demo\"}");
    assertRefused("body is not valid JSON (line 2, column 1)", "[\n}");
    assertRefused("body is not valid JSON (line 1, column 2)", "{");
  }

  @Test
  void hostileJsonIsRefused() {
    assertRefused("body nests too deep or holds a value that is too long",
        "[".repeat(40) + "]".repeat(40));
    assertRefused("body nests too deep or holds a value that is too long",
        "{\"site\":\"demo\",\"url\":\"https://example.com/\",\"title\":\""
            + "t".repeat(70 * 1024) + "\"}");
    assertRefused("body nests too deep or holds a value that is too long",
        "{\"n\":" + "9".repeat(50) + "}");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    Buffer body = Buffer.buffer(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xff, '"', '}'});
    IngestException e = assertThrows(IngestException.class, () -> parse(body));
    assertEquals(Refusal.INVALID, e.reason());
    assertEquals("body is not valid JSON (line 1, column 8)", e.getMessage());
  }

  @Test
  void arraysMustHoldOneToTheLimit() {
    assertRefused("events array is empty", "[]");
    assertRefused("events array holds 101 events; at most 100 per request", array(101));
  }

  @Test
  void oneBadEventRefusesTheWholeArrayAndIsNamed() {
    String body = "[" + EVENT + ",{\"site\":\"demo\",\"url\":5}]";
    assertRefused("events[1].url must be a string", body);
    assertRefused("events[0] must be a JSON object", "[7]");
  }
}
