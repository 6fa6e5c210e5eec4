package pulse.api.compat;

import pulse.site.Access;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * The steps the keyed compatible APIs share: find the site by id or alias, read the bearer token,
 * check that it may read the site with realtime:read, and name the outcome. Each API maps the
 * outcome to its own product's status and error body, in its own order.
 *
 * <p>The steps are {@link Access#checkToken}'s with the site lookup first and a choice of which
 * tokens read a site: Versatailor's keys read only the one site they are bound to.
 */
final class SiteKeyCheck {
  /** What the presented key may do with the asked site, first failing step first. */
  enum Outcome {
    ALLOWED,
    /** No site has that id or alias. */
    UNKNOWN_SITE,
    /** No "Authorization: Bearer ..." header. */
    MISSING_TOKEN,
    /** A token no sites file entry has. */
    UNKNOWN_TOKEN,
    /** A known token that does not read this site. */
    OTHER_SITE,
    /** A token of this site without realtime:read. */
    MISSING_SCOPE
  }

  /** @param site the site asked for, null when {@link Outcome#UNKNOWN_SITE} */
  record Result(Outcome outcome, Site site) {
    boolean allowed() {
      return outcome == Outcome.ALLOWED;
    }

    /** The token reads this site, with or without the scope. */
    boolean tokenOfSite() {
      return outcome == Outcome.ALLOWED || outcome == Outcome.MISSING_SCOPE;
    }
  }

  /** Which tokens read a site: those covering it (a wildcard too), or only those bound to it. */
  enum Binding { COVERING, BOUND_ONLY }

  private final Sites sites;
  private final Binding binding;

  SiteKeyCheck(Sites sites, Binding binding) {
    this.sites = sites;
    this.binding = binding;
  }

  Result check(String siteIdOrAlias, String authorizationHeader) {
    return check(siteIdOrAlias == null ? null : sites.find(siteIdOrAlias), authorizationHeader);
  }

  /** As {@link #check(String, String)} for a site found otherwise (Plausible names a domain). */
  Result check(Site site, String authorizationHeader) {
    if (site == null) {
      return new Result(Outcome.UNKNOWN_SITE, null);
    }
    String token = Access.bearer(authorizationHeader);
    if (token == null) {
      return new Result(Outcome.MISSING_TOKEN, site);
    }
    ApiToken found = sites.findToken(token);
    if (found == null) {
      return new Result(Outcome.UNKNOWN_TOKEN, site);
    }
    boolean reads = binding == Binding.BOUND_ONLY ? found.boundOnlyTo(site.id())
        : found.coversSite(site.id());
    if (!reads) {
      return new Result(Outcome.OTHER_SITE, site);
    }
    if (!found.scopes().contains(ApiToken.REALTIME_READ)) {
      return new Result(Outcome.MISSING_SCOPE, site);
    }
    return new Result(Outcome.ALLOWED, site);
  }
}
