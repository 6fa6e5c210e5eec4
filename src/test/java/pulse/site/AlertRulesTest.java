package pulse.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.config.ConfigException;

/** Alert rules in a site's entry: good ones are read, a wrong one stops start-up naming it. */
class AlertRulesTest {
  private static final String SECRET = "s3cret-s3cret-s3cret";

  private static Sites sites(String alerts) {
    return Sites.parse("""
        {"sites": [{"id": "shop", "domains": ["shop.test"], "alerts": %s}]}""".formatted(alerts));
  }

  private static String refused(String alerts) {
    return assertThrows(ConfigException.class, () -> sites(alerts)).getMessage();
  }

  @Test
  void everyKindIsReadWithItsFigures() {
    List<AlertRule> rules = sites("""
        [{"id": "busy", "kind": "above", "value": 50, "minutes": 1,
          "webhook": "https://ops.example.com/hook", "secret": "%s"},
         {"id": "quiet", "kind": "below", "value": 0},
         {"id": "surge", "kind": "spike", "factor": 3, "minutes": 10,
          "webhook": "https://hooks.slack.com/services/T000/B000/XXXX"},
         {"id": "fall", "kind": "drop", "factor": 2.5},
         {"id": "dead", "kind": "silence", "minutes": 15}]""".formatted(SECRET))
        .byCanonicalId("shop").alerts();
    assertEquals(5, rules.size());
    AlertRule busy = rules.get(0);
    assertEquals(AlertRule.Kind.ABOVE, busy.kind());
    assertEquals(50, busy.value());
    assertEquals(1, busy.minutes());
    assertEquals("ops.example.com", busy.webhook().getHost());
    assertEquals(SECRET, busy.secret());
    assertFalse(busy.slack());
    assertEquals(5, rules.get(1).minutes(), "5 minutes unless said");
    assertNull(rules.get(1).webhook());
    assertTrue(rules.get(2).slack(), "a Slack webhook needs no secret");
    assertEquals(2.5, rules.get(3).factor());
    assertEquals(AlertRule.Kind.SILENCE, rules.get(4).kind());
    assertFalse(rules.get(0).toString().contains(SECRET), "a rule never prints its secret");
    assertFalse(rules.get(2).toString().contains("XXXX"), "nor a Slack webhook's key");
  }

  @Test
  void aSiteWithoutAlertsHasNone() {
    Sites sites = Sites.parse("{\"sites\": [{\"id\": \"shop\", \"domains\": [\"shop.test\"]}]}");
    assertEquals(List.of(), sites.byCanonicalId("shop").alerts());
    assertEquals(List.of(), new Site("x", List.of("x.test"), true, List.of()).alerts());
  }

  @Test
  void anUnknownFieldIsRefusedWithTheNearestOne() {
    assertEquals("sites JSON: sites[0] ('shop').alerts[0].minute: unknown field (did you mean"
        + " \"minutes\"?)", refused("[{\"id\": \"busy\", \"kind\": \"above\", \"value\": 5,"
        + " \"minute\": 3}]"));
  }

  @Test
  void aWrongKindNamesTheKinds() {
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('busy').kind must be one of spike,"
        + " drop, above, below, silence, got \"abvoe\" (did you mean \"above\"?)",
        refused("[{\"id\": \"busy\", \"kind\": \"abvoe\", \"value\": 5}]"));
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('busy').kind must be one of spike,"
        + " drop, above, below, silence, got nothing", refused("[{\"id\": \"busy\"}]"));
  }

  @Test
  void factorsAndValuesBelongToTheirKinds() {
    assertTrue(refused("[{\"id\": \"s\", \"kind\": \"spike\", \"factor\": 1}]")
        .startsWith("sites JSON: sites[0] ('shop').alerts[0] ('s').factor: a spike rule needs a"
            + " factor above 1"));
    assertTrue(refused("[{\"id\": \"s\", \"kind\": \"drop\"}]").endsWith("got nothing"));
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('s').value is for above and below"
        + " rules; a spike rule takes a factor",
        refused("[{\"id\": \"s\", \"kind\": \"spike\", \"factor\": 2, \"value\": 3}]"));
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('a').factor is for spike and drop"
        + " rules; an above rule takes a value",
        refused("[{\"id\": \"a\", \"kind\": \"above\", \"value\": 3, \"factor\": 2}]"));
    assertTrue(refused("[{\"id\": \"a\", \"kind\": \"above\", \"value\": 0}]")
        .contains(".value: an above rule needs a whole number of active visitors from 1"));
    assertTrue(refused("[{\"id\": \"a\", \"kind\": \"below\", \"value\": 2.5}]")
        .contains(".value: a below rule needs a whole number of active visitors from 0"));
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('q').value is for above and below"
        + " rules; a silence rule takes neither",
        refused("[{\"id\": \"q\", \"kind\": \"silence\", \"value\": 3}]"));
  }

  @Test
  void theReadmesExampleMessage() {
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('busy').value: an above rule needs a"
        + " whole number of active visitors from 1 to 1000000000, got \"50\"",
        refused("[{\"id\": \"busy\", \"kind\": \"above\", \"value\": \"50\"}]"));
  }

  @Test
  void minutesAreBounded() {
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('a').minutes must be a whole number"
        + " from 1 to 1440 (how long the condition must hold), got 0",
        refused("[{\"id\": \"a\", \"kind\": \"above\", \"value\": 3, \"minutes\": 0}]"));
    assertTrue(refused("[{\"id\": \"a\", \"kind\": \"above\", \"value\": 3, \"minutes\": 1441}]")
        .endsWith("got 1441"));
  }

  @Test
  void idsAreUniqueWithinASite() {
    assertEquals("sites JSON: sites[0] ('shop').alerts[1].id: 'a' names two rules of the"
        + " site; a rule's id must be unique within its site",
        refused("[{\"id\": \"a\", \"kind\": \"silence\"}, {\"id\": \"a\", \"kind\": \"silence\"}]"));
    assertTrue(refused("[{\"id\": \"a b\", \"kind\": \"silence\"}]")
        .endsWith(".alerts[0].id must match [A-Za-z0-9_-]{1,64}, got \"a b\""));
    // two sites may each have a rule "a"
    Sites.parse("""
        {"sites": [{"id": "shop", "domains": ["shop.test"], "alerts": [{"id": "a", "kind": "silence"}]},
                   {"id": "blog", "domains": ["blog.test"], "alerts": [{"id": "a", "kind": "silence"}]}]}""");
  }

  @Test
  void aWebhookIsAnHttpUrlAndNeedsASecretUnlessItIsSlack() {
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('a').webhook must be an absolute"
        + " http:// or https:// URL with a host and no #fragment, got \"ftp://x.test/\"",
        refused("[{\"id\": \"a\", \"kind\": \"silence\", \"webhook\": \"ftp://x.test/\","
            + " \"secret\": \"%s\"}]".formatted(SECRET)));
    assertTrue(refused("[{\"id\": \"a\", \"kind\": \"silence\", \"webhook\": \"/hook\","
        + " \"secret\": \"%s\"}]".formatted(SECRET)).contains(".webhook must be an absolute"));
    assertEquals("sites JSON: sites[0] ('shop').alerts[0] ('a').secret is needed with a webhook"
        + " (a Slack incoming webhook excepted): the receiver checks X-Pulse-Signature with it",
        refused("[{\"id\": \"a\", \"kind\": \"silence\", \"webhook\": \"https://x.test/h\"}]"));
    assertTrue(refused("[{\"id\": \"a\", \"kind\": \"silence\", \"webhook\": \"https://x.test/h\","
        + " \"secret\": \"short\"}]").contains(".secret must be a string of 16 to 512"));
    assertTrue(refused("[{\"id\": \"a\", \"kind\": \"silence\", \"secret\": \"%s\"}]"
        .formatted(SECRET)).endsWith("but the rule has no webhook"));
    assertEquals("sites JSON: sites[0] ('shop').alerts must be an array of rules",
        refused("{\"id\": \"a\"}"));
  }

  @Test
  void theAlertsScopeIsKnown() {
    Sites.parse("""
        {"sites": [{"id": "shop", "domains": ["shop.test"]}],
         "tokens": [{"sha256": "%s", "sites": ["shop"], "scopes": ["alerts:read"]}]}"""
        .formatted("a".repeat(64)));
  }
}
