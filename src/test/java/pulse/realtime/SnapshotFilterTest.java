package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.realtime.SnapshotFilter.Condition;
import pulse.realtime.SnapshotFilter.Dimension;
import pulse.store.ActiveVisitor;

/** Parsing and checking {@code ?filter=dimension:value}, and which visitors a filter matches. */
class SnapshotFilterTest {
  private static final ActiveVisitor DE_PRICING = new ActiveVisitor("v1", 1000, 0, "/pricing",
      "news.ycombinator.com", "DE", "Firefox", "Linux", "desktop", 900);
  private static final ActiveVisitor US_HOME = new ActiveVisitor("v2", 1000, 0, "/",
      "", "US", "Chrome", "Windows", "mobile", 900);

  private static String error(String... params) {
    return assertThrows(SnapshotFilter.Invalid.class, () -> SnapshotFilter.parse(List.of(params)))
        .getMessage();
  }

  @Test
  void noParameterIsNoFilter() {
    assertSame(SnapshotFilter.NONE, SnapshotFilter.parse(null));
    assertSame(SnapshotFilter.NONE, SnapshotFilter.parse(List.of()));
    assertTrue(SnapshotFilter.NONE.isNone());
    assertTrue(SnapshotFilter.NONE.matches(DE_PRICING));
  }

  @Test
  void eachParameterIsADimensionAndAValueSplitAtTheFirstColon() {
    SnapshotFilter f = SnapshotFilter.parse(List.of("path:/a:b", "referrer:https://x.test"));
    assertEquals(List.of(new Condition(Dimension.PATH, "/a:b"),
        new Condition(Dimension.REFERRER, "https://x.test")), f.conditions());
    assertFalse(f.isNone());
  }

  @Test
  void theSameConditionsInAnotherOrderOrRepeatedAreTheSameFilter() {
    SnapshotFilter a = SnapshotFilter.parse(List.of("path:/pricing", "country:de", "os:Linux"));
    SnapshotFilter b = SnapshotFilter.parse(List.of("os:Linux", "country:DE", "path:/pricing",
        "country:De"));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals("path:/pricing&country:DE&os:Linux", a.toString());
    assertEquals(3, b.conditions().size());
  }

  @Test
  void valuesAreMatchedExactlyAndCaseSensitiveExceptCountryCodes() {
    assertTrue(SnapshotFilter.parse(List.of("country:de")).matches(DE_PRICING));
    assertTrue(SnapshotFilter.parse(List.of("path:/pricing")).matches(DE_PRICING));
    assertFalse(SnapshotFilter.parse(List.of("path:/Pricing")).matches(DE_PRICING));
    assertFalse(SnapshotFilter.parse(List.of("path:/pricing/")).matches(DE_PRICING));
    assertFalse(SnapshotFilter.parse(List.of("browser:firefox")).matches(DE_PRICING));
    assertTrue(SnapshotFilter.parse(List.of("browser:Firefox")).matches(DE_PRICING));
    assertTrue(SnapshotFilter.parse(List.of("referrer:news.ycombinator.com")).matches(DE_PRICING));
    assertFalse(SnapshotFilter.parse(List.of("referrer:news.ycombinator.com")).matches(US_HOME));
    assertTrue(SnapshotFilter.parse(List.of("device:mobile")).matches(US_HOME));
    assertTrue(SnapshotFilter.parse(List.of("os:Windows")).matches(US_HOME));
  }

  @Test
  void allConditionsMustHold() {
    SnapshotFilter both = SnapshotFilter.parse(List.of("country:DE", "path:/pricing"));
    assertTrue(both.matches(DE_PRICING));
    assertFalse(both.matches(US_HOME));
    assertFalse(SnapshotFilter.parse(List.of("country:DE", "path:/")).matches(DE_PRICING));
    assertFalse(SnapshotFilter.parse(List.of("country:DE", "country:US")).matches(DE_PRICING),
        "two values of one dimension: no visitor has both");
  }

  @Test
  void badFiltersAreNamedWithTheirProblem() {
    assertEquals("filter 'colour:red': unknown dimension (one of path, country, referrer, "
        + "browser, os, device, entry, utm_source, utm_medium, utm_campaign, event)",
        error("colour:red"));
    assertEquals("filter 'country:': empty value", error("country:"));
    assertEquals("filter 'country': expected dimension:value, as country:DE", error("country"));
    assertEquals("filter '': expected dimension:value, as country:DE", error(""));
    assertEquals("filter ':DE': unknown dimension (one of path, country, referrer, browser, os, "
        + "device, entry, utm_source, utm_medium, utm_campaign, event)", error(":DE"));
    assertEquals("filter 'Path:/': unknown dimension (one of path, country, referrer, browser, "
        + "os, device, entry, utm_source, utm_medium, utm_campaign, event)", error("Path:/"), "dimension names are lower case");
    assertEquals("filter 'country:Germany': a country is a two-letter ISO code, as DE",
        error("country:Germany"));
    assertEquals("at most 5 filters may be combined, not 6",
        error("path:/1", "path:/2", "path:/3", "path:/4", "path:/5", "path:/6"));
    assertEquals(5, SnapshotFilter.parse(
        List.of("path:/1", "path:/2", "path:/3", "path:/4", "path:/5")).conditions().size());
    assertEquals("filter 'os:': empty value", error("country:DE", "os:"),
        "the first wrong filter is named");
  }

  @Test
  void aLongValueIsRefusedAndTheErrorRepeatsOnlyItsStart() {
    String path = "path:/" + "x".repeat(SnapshotFilter.MAX_VALUE);
    String message = error(path);
    assertTrue(message.endsWith("…': value longer than 1000 characters"), message);
    assertTrue(message.length() < 200, message);
    assertEquals(1, SnapshotFilter.parse(
        List.of("path:/" + "x".repeat(SnapshotFilter.MAX_VALUE - 1))).conditions().size());
  }
}
