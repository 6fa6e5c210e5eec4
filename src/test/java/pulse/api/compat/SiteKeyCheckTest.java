package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import pulse.api.compat.SiteKeyCheck.Outcome;
import pulse.site.Sites;

/** The outcome every keyed compatible API maps to its own error, for each kind of key. */
class SiteKeyCheckTest {
  static final Sites SITES = Sites.parse("""
      {"sites": [
        {"id": "shop", "domains": ["shop.example.com"], "public": false, "aliases": ["site_shop"]},
        {"id": "blog", "domains": ["blog.example.com"], "public": true}
      ],
      "tokens": [
        {"sha256": "%s", "sites": ["shop"], "scopes": ["realtime:read"]},
        {"sha256": "%s", "sites": ["shop"], "scopes": ["analytics:read"]},
        {"sha256": "%s", "sites": ["*"], "scopes": ["realtime:read"]}
      ]}
      """.formatted(hash("shop-key"), hash("shop-analytics"), hash("every-site")));

  static String hash(String token) {
    return HexFormat.of().formatHex(Sites.sha256(token));
  }

  static Outcome covering(String site, String authorization) {
    return new SiteKeyCheck(SITES, SiteKeyCheck.Binding.COVERING).check(site, authorization)
        .outcome();
  }

  @Test
  void eachStepHasItsOwnOutcomeInOrder() {
    assertEquals(Outcome.ALLOWED, covering("shop", "Bearer shop-key"));
    assertEquals(Outcome.ALLOWED, covering("site_shop", "bearer shop-key"), "an alias, any case");
    assertEquals(Outcome.UNKNOWN_SITE, covering("nope", "Bearer shop-key"));
    assertEquals(Outcome.UNKNOWN_SITE, covering(null, null), "the site is looked up first");
    assertEquals(Outcome.MISSING_TOKEN, covering("shop", null));
    assertEquals(Outcome.MISSING_TOKEN, covering("shop", "Basic c2hvcA=="));
    assertEquals(Outcome.UNKNOWN_TOKEN, covering("shop", "Bearer guessed"));
    assertEquals(Outcome.OTHER_SITE, covering("blog", "Bearer shop-key"));
    assertEquals(Outcome.MISSING_SCOPE, covering("shop", "Bearer shop-analytics"));
    assertEquals(Outcome.ALLOWED, covering("blog", "Bearer every-site"));
    assertNull(new SiteKeyCheck(SITES, SiteKeyCheck.Binding.COVERING).check("nope", null).site());
  }

  @Test
  void boundKeysReadOnlyTheirOneSite() {
    SiteKeyCheck bound = new SiteKeyCheck(SITES, SiteKeyCheck.Binding.BOUND_ONLY);
    assertEquals(Outcome.ALLOWED, bound.check("shop", "Bearer shop-key").outcome());
    // a wildcard token covers the site but is not bound to it
    SiteKeyCheck.Result wildcard = bound.check("shop", "Bearer every-site");
    assertEquals(Outcome.OTHER_SITE, wildcard.outcome());
    assertEquals("shop", wildcard.site().id());
    SiteKeyCheck.Result noScope = bound.check("shop", "Bearer shop-analytics");
    assertEquals(Outcome.MISSING_SCOPE, noScope.outcome());
    assertEquals(true, noScope.tokenOfSite(), "its own token, only without the scope");
  }
}
