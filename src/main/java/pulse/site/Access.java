package pulse.site;

/** Whether a request may read a site: the one rule every read route applies. */
public final class Access {
  /**
   * FORBIDDEN: a token of this site without the scope; OTHER_SITE: a token that does not cover
   * this site (for a private site, answered like an unknown site, so that it stays unseen).
   */
  public enum Result { ALLOWED, MISSING_TOKEN, UNKNOWN_TOKEN, FORBIDDEN, OTHER_SITE }

  private final Sites sites;

  public Access(Sites sites) {
    this.sites = sites;
  }

  /** Public sites are readable by anyone; private sites need a token with the scope for that site. */
  public Result check(Site site, String authorizationHeader, String scope) {
    if (site.isPublic()) {
      return Result.ALLOWED;
    }
    return checkToken(site, authorizationHeader, scope);
  }

  /** Like {@link #check} but a token is needed even for public sites. */
  public Result checkToken(Site site, String authorizationHeader, String scope) {
    String token = bearer(authorizationHeader);
    if (token == null) {
      return Result.MISSING_TOKEN;
    }
    ApiToken found = sites.findToken(token);
    if (found == null) {
      return Result.UNKNOWN_TOKEN;
    }
    if (!found.coversSite(site.id())) {
      return Result.OTHER_SITE;
    }
    if (!found.scopes().contains(scope)) {
      return Result.FORBIDDEN;
    }
    return Result.ALLOWED;
  }

  /** The token text of an "Authorization: Bearer ..." header, or null. */
  public static String bearer(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
