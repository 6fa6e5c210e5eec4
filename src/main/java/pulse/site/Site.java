package pulse.site;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One tracked website: its canonical id, the ids it also answers to, the hosts it may track and
 * its alert rules.
 */
public record Site(String id, List<String> domains, boolean isPublic, List<String> aliases,
    List<AlertRule> alerts) {
  public Site {
    alerts = alerts == null ? List.of() : List.copyOf(alerts);
  }

  /** A site without alert rules. */
  public Site(String id, List<String> domains, boolean isPublic, List<String> aliases) {
    this(id, domains, isPublic, aliases, List.of());
  }

  /** Site ids and aliases are the only user text that ever goes into a Redis key. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** True when host is one of the site's domains or a subdomain of one. */
  public boolean allowsHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    for (String domain : domains) {
      if (h.equals(domain) || h.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }

  public String firstDomain() {
    return domains.isEmpty() ? null : domains.get(0);
  }
}
