package pulse.ingest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The utm_source, utm_medium and utm_campaign of a page URL's query ("" for each absent). Read
 * before the query allow-list drops the rest of the query, and stored with the session, as a
 * referrer is.
 */
record Campaign(String source, String medium, String name) {
  static final Campaign NONE = new Campaign("", "", "");

  static Campaign of(String rawQuery) {
    if (rawQuery == null || !rawQuery.contains("utm_")) {
      return NONE;
    }
    String source = "";
    String medium = "";
    String name = "";
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = pair.substring(0, eq);
      String value = decode(pair.substring(eq + 1));
      switch (key) {
        case "utm_source" -> source = source.isEmpty() ? value : source;
        case "utm_medium" -> medium = medium.isEmpty() ? value : medium;
        case "utm_campaign" -> name = name.isEmpty() ? value : name;
        default -> { }
      }
    }
    return new Campaign(source, medium, name);
  }

  /** Percent-decoded, '+' as a space; a malformed escape keeps the raw text. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8).strip();
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
