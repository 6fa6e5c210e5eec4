package pulse.api.compat;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pulse.realtime.SnapshotFilter;

/**
 * Umami's realtime filter parameters ({@code ?country=DE}, {@code ?path=eq./pricing}) as a Pulse
 * snapshot filter. Umami filters rows; Pulse filters visitors by their session (the current page
 * for {@code path}), so a filter picks the visitors Umami's rows would belong to.
 *
 * <p>Only one value with {@code eq} (Umami's default operator) is held by a snapshot filter;
 * other operators, lists of values, and the parameters Pulse does not keep (title, query, region,
 * city, language, hostname, segments, cohorts ...) are refused, naming the parameter, with Umami's
 * bad-request body: a widget asking for them would otherwise show unfiltered figures as filtered.
 */
final class UmamiFilters {
  private UmamiFilters() {}

  /** Umami's filter parameter names and Pulse's dimension for each. */
  private static final Map<String, String> DIMENSIONS = Map.of(
      "path", "path", "referrer", "referrer", "country", "country", "browser", "browser",
      "os", "os", "device", "device", "event", "event", "utmSource", "utm_source",
      "utmMedium", "utm_medium", "utmCampaign", "utm_campaign");

  /** Parameters Umami's realtime takes that change no figure Pulse holds. */
  private static final List<String> HARMLESS = List.of("timezone", "unit", "startAt", "endAt",
      "match");

  /** Umami's realtime filters Pulse cannot apply. */
  private static final List<String> UNSUPPORTED = List.of("title", "query", "region", "city",
      "language", "hostname", "distinctId", "tag", "eventType", "segment", "cohort", "entry",
      "exit", "domain", "utmContent", "utmTerm", "excludeBounce");

  /** Umami's filter operators, the prefix of a value before its dot ("neq.DE"). */
  private static final List<String> OPERATORS = List.of("eq", "neq", "s", "ns", "c", "dnc",
      "re", "nre", "t", "f", "gt", "lt", "gte", "lte", "bf", "af");

  /** Thrown with the message Umami's 400 body carries. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  static SnapshotFilter parse(MultiMap params) throws Refused {
    List<String> conditions = new ArrayList<>();
    for (String name : params.names()) {
      if (HARMLESS.contains(name)) {
        continue;
      }
      // Umami numbers repeated filters (browser1, os2): Pulse combines only distinct ones
      String base = name.replaceAll("\\d+$", "");
      if (UNSUPPORTED.contains(base)) {
        throw new Refused("Pulse does not filter realtime by '" + name + "'");
      }
      String dimension = DIMENSIONS.get(base);
      if (dimension == null) {
        continue; // Umami ignores parameters it does not know
      }
      for (String raw : params.getAll(name)) {
        conditions.add(dimension + ":" + value(name, raw));
      }
    }
    try {
      return SnapshotFilter.parse(conditions);
    } catch (SnapshotFilter.Invalid e) {
      throw new Refused(e.getMessage());
    }
  }

  private static String value(String name, String raw) throws Refused {
    String value = raw;
    int dot = raw.indexOf('.');
    if (dot > 0 && OPERATORS.contains(raw.substring(0, dot))) {
      String operator = raw.substring(0, dot);
      if (!operator.equals("eq")) {
        throw new Refused("Pulse filters realtime only by equality (eq), not '" + operator
            + "' in '" + name + "'");
      }
      value = raw.substring(dot + 1);
    }
    if (value.contains(",")) {
      throw new Refused("Pulse filters realtime by one value of '" + name + "', not a list");
    }
    return value;
  }
}
