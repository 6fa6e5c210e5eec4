package pulse.ingest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query parameters Pulse keeps of a page URL; every other one is dropped at ingest, before
 * anything is stored, because page URLs carry e-mail addresses, reset tokens and session ids.
 * Names match without regard to case; kept parameters keep their order and raw encoding.
 */
public final class QueryAllowList {
  private final Set<String> names;

  public QueryAllowList(List<String> names) {
    this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /** The raw query with only allowed parameters, "" when none is left. */
  public String filter(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty() || names.isEmpty()) {
      return "";
    }
    StringBuilder kept = new StringBuilder();
    for (String part : rawQuery.split("&")) {
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq));
      if (name != null && names.contains(name.toLowerCase(Locale.ROOT))) {
        if (kept.length() > 0) {
          kept.append('&');
        }
        kept.append(part);
      }
    }
    return kept.toString();
  }

  /** The decoded name, or null when its percent-encoding is broken (such a name is dropped). */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
