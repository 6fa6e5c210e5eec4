package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.site.Sites;
import pulse.store.Event;

/**
 * Every refusal README's {@code POST /api/collect} section documents for one event's fields,
 * with its status and message, and what is cut or dropped. (Query strings are left to the
 * query tests.)
 */
class EventParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Sites SITES = Sites.parse("""
      {"sites": [{"id": "demo", "domains": ["example.com"], "aliases": ["demo-alias"]}]}""");
  private static final String PAGE = "https://example.com/pricing";

  private final EventParser parser = new EventParser(SITES, new QueryAllowList(List.of("utm_source")));

  /** A valid pageview with the given fields set (a null value removes the field). */
  private static ObjectNode event(Object... fieldsAndValues) {
    ObjectNode node = JSON.createObjectNode().put("site", "demo").put("url", PAGE);
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      String field = (String) fieldsAndValues[i];
      Object value = fieldsAndValues[i + 1];
      if (value == null) {
        node.remove(field);
      } else {
        node.set(field, JSON.valueToTree(value));
      }
    }
    return node;
  }

  private IncomingEvent parse(JsonNode node) throws IngestException {
    return parser.parse(node, "");
  }

  private void assertRefused(Refusal reason, String message, JsonNode node, String where) {
    IngestException e = assertThrows(IngestException.class, () -> parser.parse(node, where));
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason(), message);
  }

  private void assertRefused(Refusal reason, String message, JsonNode node) {
    assertRefused(reason, message, node, "");
  }

  @Test
  void engagedTimeIsWholeMillisecondsFromZeroCutAtADay() throws Exception {
    assertEquals(Event.NO_ENGAGED, parse(event("type", "heartbeat")).engagedMillis());
    assertEquals(12_500, parse(event("type", "heartbeat", "engaged", 12_500)).engagedMillis());
    assertEquals(7, parse(event("type", "leave", "engaged", 7.9)).engagedMillis());
    assertEquals(EventParser.MAX_ENGAGED_MILLIS,
        parse(event("type", "leave", "engaged", 10L * EventParser.MAX_ENGAGED_MILLIS)).engagedMillis());
    assertRefused(Refusal.INVALID, "engaged must be a number of milliseconds from 0",
        event("type", "heartbeat", "engaged", -1));
    assertRefused(Refusal.INVALID, "engaged must be a number of milliseconds from 0",
        event("type", "heartbeat", "engaged", "12s"));
  }

  @Test
  void campaignsComeFromThePageUrlEvenWhenTheAllowListDropsThem() throws Exception {
    IncomingEvent e = parse(event("url", PAGE + "?utm_medium=e%20mail&utm_campaign=spring+launch"
        + "&utm_source=newsletter&utm_source=second&id=7"));
    assertEquals("newsletter", e.utmSource(), "the first of repeated parameters");
    assertEquals("e mail", e.utmMedium());
    assertEquals("spring launch", e.utmCampaign());
    assertEquals("utm_source=newsletter&utm_source=second", e.query(),
        "the stored query keeps only allowed parameters, as before");
    IncomingEvent plain = parse(event());
    assertEquals("", plain.utmSource());
    assertEquals("", plain.utmCampaign());
    assertEquals("50%", parse(event("url", PAGE + "?utm_campaign=50%25")).utmCampaign());
  }

  @Test
  void aMinimalEventIsAPageviewOfTheSite() throws Exception {
    IncomingEvent e = parse(event());
    assertEquals("demo", e.site().id());
    assertEquals(Event.PAGEVIEW, e.type());
    assertEquals("example.com", e.host());
    assertEquals("/pricing", e.path());
    assertEquals("", e.title());
    assertEquals("", e.referrer());
    assertEquals("", e.name());
    assertEquals("", e.props());
    assertNull(e.returning());
  }

  @Test
  void anEventThatIsNotAnObjectIsRefused() throws Exception {
    assertRefused(Refusal.INVALID, "body must be a JSON object or an array of objects", JSON.readTree("42"));
    assertRefused(Refusal.INVALID, "events[3] must be a JSON object", JSON.readTree("\"x\""), "events[3].");
  }

  @Test
  void siteIsRequiredAndMustBeKnown() {
    assertRefused(Refusal.INVALID, "site is required", event("site", null));
    assertRefused(Refusal.INVALID, "site is required", event("site", "  "));
    assertRefused(Refusal.INVALID, "site is required", JSON.createObjectNode().putNull("site"));
    assertRefused(Refusal.INVALID, "site must be a string", event("site", 7));
    assertRefused(Refusal.INVALID, "site is longer than 64 characters", event("site", "s".repeat(65)));
    assertRefused(Refusal.UNKNOWN_SITE, "unknown site 'nope'", event("site", "nope"));
    // The message never echoes control characters.
    assertRefused(Refusal.UNKNOWN_SITE, "unknown site 'nope'", event("site", "no\u0007pe\n"));
  }

  @Test
  void anAliasNamesItsSite() throws Exception {
    assertEquals("demo", parse(event("site", "demo-alias")).site().id());
  }

  @Test
  void typeIsOneOfFour() throws Exception {
    assertEquals(Event.HEARTBEAT, parse(event("type", "heartbeat")).type());
    assertEquals(Event.PAGEVIEW, parse(event("type", "pageview")).type());
    assertEquals(Event.LEAVE, parse(event("type", "leave")).type());
    assertRefused(Refusal.INVALID, "type must be one of pageview, heartbeat, event, leave", event("type", "click"));
    assertRefused(Refusal.INVALID, "type must be a string", event("type", 1));
    assertRefused(Refusal.INVALID, "type is longer than 16 characters", event("type", "p".repeat(17)));
  }

  @Test
  void urlMustBeAnAbsoluteHttpUrlOfTheSite() throws Exception {
    assertRefused(Refusal.INVALID, "url is required", event("url", null));
    assertRefused(Refusal.INVALID, "url is required", event("url", ""));
    assertRefused(Refusal.INVALID, "url must be a string", event("url", 5));
    assertRefused(Refusal.INVALID, "events[1].url must be a string", event("url", 5), "events[1].");
    assertRefused(Refusal.INVALID, "url is longer than 2048 characters",
        event("url", "https://example.com/" + "p".repeat(2_048)));
    for (String url : new String[] {"/pricing", "example.com/pricing", "ftp://example.com/",
        "javascript:alert(1)", "https://", "http://exa mple.com/"}) {
      assertRefused(Refusal.INVALID, "url must be an absolute http or https URL", event("url", url));
    }
    assertRefused(Refusal.FORBIDDEN_ORIGIN, "url host 'evil.com' is not a domain of site 'demo'",
        event("url", "https://evil.com/"));
    assertRefused(Refusal.FORBIDDEN_ORIGIN, "url host 'example.com.evil.com' is not a domain of site 'demo'",
        event("url", "https://example.com.evil.com/"));
    assertRefused(Refusal.FORBIDDEN_ORIGIN, "events[0].url host 'notexample.com' is not a domain of site 'demo'",
        event("url", "https://notexample.com/"), "events[0].");
  }

  @Test
  void aUrlOrReferrerSeenBeforeIsAnsweredTheSameAndCheckedAgainstEachEventsSite()
      throws Exception {
    EventParser twoSites = new EventParser(Sites.parse("""
        {"sites": [{"id": "demo", "domains": ["example.com"]},
                   {"id": "other", "domains": ["other.org"]}]}"""),
        new QueryAllowList(List.of("utm_source")));
    String url = "https://example.com/docs?utm_source=news&secret=1&utm_campaign=x";
    for (int round = 1; round <= 2; round++) {
      IncomingEvent e = twoSites.parse(event("url", url, "referrer", "https://www.other.org/a"),
          "");
      assertEquals("/docs", e.path(), "round " + round);
      assertEquals("utm_source=news", e.query(), "round " + round);
      assertEquals("news", e.utmSource(), "round " + round);
      assertEquals("x", e.utmCampaign(), "round " + round);
      assertEquals("other.org", e.referrer(), "round " + round);
      IngestException refused = assertThrows(IngestException.class,
          () -> twoSites.parse(event("site", "demo", "url", "ftp://example.com/"), ""));
      assertEquals("url must be an absolute http or https URL", refused.getMessage());
    }
    // the same URL and referrer for the other site: its host is not that site's, and the
    // referrer is that site itself
    IngestException e = assertThrows(IngestException.class,
        () -> twoSites.parse(event("site", "other", "url", url), ""));
    assertEquals(Refusal.FORBIDDEN_ORIGIN, e.reason());
    assertEquals("", twoSites.parse(event("site", "other", "url", "https://other.org/",
        "referrer", "https://www.other.org/a"), "").referrer());
  }

  @Test
  void aSubdomainIsTheSiteAndAnEmptyPathIsTheRoot() throws Exception {
    IncomingEvent e = parse(event("url", "HTTPS://Shop.Example.COM"));
    assertEquals("shop.example.com", e.host());
    assertEquals("/", e.path());
    assertEquals("/a%20b", parse(event("url", "http://example.com/a%20b")).path());
  }

  @Test
  void referrerKeepsOnlyAnotherSitesDomain() throws Exception {
    assertEquals("news.ycombinator.com",
        parse(event("referrer", "https://news.ycombinator.com/item?id=1")).referrer());
    assertEquals("google.com", parse(event("referrer", "https://www.Google.com/")).referrer());
    assertEquals("", parse(event("referrer", "https://example.com/other")).referrer());
    assertEquals("", parse(event("referrer", "https://blog.example.com/")).referrer());
    assertEquals("", parse(event("referrer", "not a url")).referrer());
    assertEquals("", parse(event("referrer", "")).referrer());
    assertRefused(Refusal.INVALID, "referrer must be a string", event("referrer", true));
  }

  @Test
  void titleIsCutAndCleaned() throws Exception {
    assertEquals("Pricing", parse(event("title", "\tPri\u0000cing\r\n")).title());
    String cut = parse(event("title", "t".repeat(600))).title();
    assertEquals("t".repeat(EventParser.MAX_TITLE), cut);
    // A cut never splits a surrogate pair.
    String emoji = parse(event("title", "t".repeat(511) + "\uD83D\uDE00")).title();
    assertEquals("t".repeat(511), emoji);
    assertRefused(Refusal.INVALID, "title must be a string", event("title", 12));
  }

  @Test
  void aCustomEventNeedsANameThatIsCutAndCleaned() throws Exception {
    IncomingEvent e = parse(event("type", "event", "name", "sign\u0001up"));
    assertEquals(Event.CUSTOM, e.type());
    assertEquals("signup", e.name());
    assertEquals("n".repeat(EventParser.MAX_NAME),
        parse(event("type", "event", "name", "n".repeat(300))).name());
    assertRefused(Refusal.INVALID, "name is required", event("type", "event"));
    assertRefused(Refusal.INVALID, "name is required", event("type", "event", "name", "   "));
    assertRefused(Refusal.INVALID, "name must not be empty for an event",
        event("type", "event", "name", "\u0001\u0002"));
    assertRefused(Refusal.INVALID, "name must be a string", event("type", "event", "name", 3));
    // A pageview's name is not read.
    assertEquals("", parse(event("name", 3)).name());
  }

  @Test
  void propsAreUpTo30ScalarValues() throws Exception {
    ObjectNode props = JSON.createObjectNode().put("plan", "pro\u0000").put("seats", 3)
        .put("trial", false).putNull("coupon");
    assertEquals("{\"plan\":\"pro\",\"seats\":3,\"trial\":false,\"coupon\":null}",
        parse(event("type", "event", "name", "signup", "props", props)).props());
    ObjectNode longValue = JSON.createObjectNode().put("note", "v".repeat(1_000));
    assertEquals("{\"note\":\"" + "v".repeat(EventParser.MAX_PROP_VALUE) + "\"}",
        parse(event("type", "event", "name", "n", "props", longValue)).props());
    assertEquals("", parse(event("type", "event", "name", "n", "props",
        JSON.createObjectNode())).props());

    assertRefused(Refusal.INVALID, "props must be an object of names to strings, numbers or booleans",
        event("type", "event", "name", "n", "props", "plan=pro"));
    ObjectNode many = JSON.createObjectNode();
    for (int i = 0; i <= EventParser.MAX_PROPS; i++) {
      many.put("p" + i, i);
    }
    assertRefused(Refusal.INVALID, "props may hold at most 30 entries",
        event("type", "event", "name", "n", "props", many));
    ObjectNode nested = JSON.createObjectNode();
    nested.set("plan", JSON.createObjectNode().put("tier", "pro"));
    assertRefused(Refusal.INVALID, "props.plan must be a string, number or boolean",
        event("type", "event", "name", "n", "props", nested));
    ObjectNode list = JSON.createObjectNode();
    list.set("tags", JSON.createArrayNode().add("a"));
    assertRefused(Refusal.INVALID, "events[2].props.tags must be a string, number or boolean",
        event("type", "event", "name", "n", "props", list), "events[2].");
  }

  @Test
  void screenAndLangMustBeStringsWhenPresent() throws Exception {
    parse(event("screen", "1920x1080", "lang", "en-US"));
    assertRefused(Refusal.INVALID, "screen must be a string", event("screen", 1920));
    assertRefused(Refusal.INVALID, "lang must be a string", event("lang", false));
  }

  @Test
  void returningIsTrueOrFalse() throws Exception {
    assertEquals(Boolean.TRUE, parse(event("returning", true)).returning());
    assertEquals(Boolean.FALSE, parse(event("returning", false)).returning());
    assertNull(parse(JSON.createObjectNode().put("site", "demo").put("url", PAGE)
        .putNull("returning")).returning());
    assertRefused(Refusal.INVALID, "returning must be true or false", event("returning", "yes"));
    assertRefused(Refusal.INVALID, "returning must be true or false", event("returning", 1));
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    assertEquals("/pricing", parse(event("colour", "blue", "nested", new int[] {1})).path());
  }
}
