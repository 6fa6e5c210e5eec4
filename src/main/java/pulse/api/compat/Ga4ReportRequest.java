package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Google Analytics Data API runRealtimeReport request, read and checked: what Pulse can answer
 * exactly from its snapshot, or the reason it cannot (Google's INVALID_ARGUMENT). Enums arrive as
 * names or, from the official clients ({@code $alt=json;enum-encoding=int}), as numbers.
 */
record Ga4ReportRequest(List<String> dimensions, List<String> metrics, List<Range> ranges,
    long limit, List<Order> orderBys, Ga4Filter filter, Set<Integer> aggregations) {

  static final List<String> DIMENSIONS = List.of("unifiedScreenName", "country", "countryId",
      "deviceCategory", "platform", "eventName", "minutesAgo");
  static final List<String> METRICS = List.of("activeUsers", "screenPageViews", "eventCount",
      "keyEvents");
  static final long MAX_LIMIT = 250_000;
  /** MetricAggregation: TOTAL, MAXIMUM, MINIMUM (0 is unspecified, 4 COUNT is not realtime's). */
  static final int TOTAL = 1;
  static final int MAXIMUM = 2;
  static final int MINIMUM = 3;

  /** A minute range, both ends in minutes ago, as Google names them. */
  record Range(String name, int startMinutesAgo, int endMinutesAgo) {
    int windowSeconds() {
      return (startMinutesAgo + 1) * 60;
    }
  }

  /** One ordering: by a metric or a dimension's value. */
  record Order(String metric, String dimension, boolean desc) {}

  /** A request Pulse cannot answer, with Google's message. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  static Ga4ReportRequest parse(JsonNode body) throws Invalid {
    if (body == null || !body.isObject()) {
      throw new Invalid("Invalid JSON payload: the request body must be a JSON object.");
    }
    List<String> dimensions = names(body.path("dimensions"), "dimensions", DIMENSIONS);
    if (dimensions.size() > 1) {
      throw new Invalid("Pulse answers realtime reports with at most one dimension; asked for "
          + String.join(", ", dimensions) + ".");
    }
    List<String> metrics = names(body.path("metrics"), "metrics", METRICS);
    if (metrics.isEmpty()) {
      throw new Invalid("At least one metric is required.");
    }
    List<Range> ranges = ranges(body.path("minuteRanges"));
    long limit = limit(body.path("limit"));
    List<Order> orders = orders(body.path("orderBys"), dimensions, metrics);
    Ga4Filter filter = body.has("dimensionFilter")
        ? Ga4Filter.parse(body.path("dimensionFilter"), dimensions) : Ga4Filter.ALL;
    if (body.has("metricFilter")) {
      throw new Invalid("Pulse does not support metricFilter in realtime reports.");
    }
    return new Ga4ReportRequest(dimensions, metrics, ranges, limit, orders, filter,
        aggregations(body.path("metricAggregations")));
  }

  private static List<String> names(JsonNode list, String field, List<String> known)
      throws Invalid {
    List<String> out = new ArrayList<>();
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new Invalid("Invalid value at '" + field + "': a list is expected.");
    }
    for (JsonNode item : list) {
      String name = item.path("name").asText("");
      if (item.has("expression")) {
        throw new Invalid("Pulse does not support " + field + " expressions.");
      }
      if (!known.contains(name)) {
        String kind = field.equals("metrics") ? "metric" : "dimension";
        throw new Invalid("Field " + name + " is not a valid " + kind + ". For a list of valid "
            + kind + "s, see https://developers.google.com/analytics/devguides/reporting/data/v1/"
            + "realtime-api-schema. Pulse answers " + String.join(", ", known) + ".");
      }
      if (out.contains(name)) {
        throw new Invalid("Duplicate " + field.substring(0, field.length() - 1) + ": " + name);
      }
      out.add(name);
    }
    return out;
  }

  private static List<Range> ranges(JsonNode list) throws Invalid {
    List<Range> out = new ArrayList<>();
    if (list.isMissingNode() || list.isNull() || (list.isArray() && list.isEmpty())) {
      out.add(new Range("date_range_0", 29, 0));
      return out;
    }
    if (!list.isArray() || list.size() > 2) {
      throw new Invalid("Requests are limited to 2 minute ranges.");
    }
    int i = 0;
    for (JsonNode r : list) {
      int start = minutes(r.path("startMinutesAgo"), 29);
      int end = minutes(r.path("endMinutesAgo"), 0);
      if (start > 29) {
        throw new Invalid("minuteRange startMinutesAgo must be at most 29 for a standard "
            + "property; got " + start + ".");
      }
      if (end > start) {
        throw new Invalid("minuteRange endMinutesAgo (" + end + ") must not be greater than "
            + "startMinutesAgo (" + start + ").");
      }
      if (end != 0) {
        throw new Invalid("Pulse answers minute ranges that end now (endMinutesAgo 0); got "
            + end + ".");
      }
      String name = r.path("name").asText("");
      if (name.startsWith("date_range_") || name.startsWith("RESERVED_")) {
        throw new Invalid("A minute range name cannot begin with 'date_range_' or 'RESERVED_'.");
      }
      out.add(new Range(name.isEmpty() ? "date_range_" + i : name, start, end));
      i++;
    }
    return out;
  }

  private static int minutes(JsonNode n, int otherwise) throws Invalid {
    if (n.isMissingNode() || n.isNull()) {
      return otherwise;
    }
    if (!n.canConvertToInt() && !(n.isTextual() && n.asText().matches("\\d{1,4}"))) {
      throw new Invalid("Invalid value for a minute range: " + n);
    }
    int v = n.asInt();
    if (v < 0) {
      throw new Invalid("Minute range values must not be negative; got " + v + ".");
    }
    return v;
  }

  private static long limit(JsonNode n) throws Invalid {
    if (n.isMissingNode() || n.isNull()) {
      return 10_000;
    }
    // int64 fields come as strings from the official clients
    if (!(n.isIntegralNumber() || (n.isTextual() && n.asText().matches("-?\\d{1,19}")))) {
      throw new Invalid("Invalid value at 'limit' (TYPE_INT64), " + n);
    }
    long limit = n.asLong();
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new Invalid("limit must be positive and at most " + MAX_LIMIT + "; got " + limit
          + ".");
    }
    return limit == 0 ? 10_000 : limit;
  }

  private static List<Order> orders(JsonNode list, List<String> dimensions, List<String> metrics)
      throws Invalid {
    List<Order> out = new ArrayList<>();
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    for (JsonNode o : list) {
      boolean desc = o.path("desc").asBoolean(false);
      if (o.has("metric")) {
        String m = o.path("metric").path("metricName").asText("");
        if (!metrics.contains(m)) {
          throw new Invalid("OrderBy metric " + m + " is not in the request's metrics.");
        }
        out.add(new Order(m, null, desc));
      } else if (o.has("dimension")) {
        String d = o.path("dimension").path("dimensionName").asText("");
        if (!dimensions.contains(d)) {
          throw new Invalid("OrderBy dimension " + d + " is not in the request's dimensions.");
        }
        out.add(new Order(null, d, desc));
      } else {
        throw new Invalid("An orderBy needs a metric or a dimension.");
      }
    }
    return out;
  }

  private static Set<Integer> aggregations(JsonNode list) throws Invalid {
    Set<Integer> out = new java.util.TreeSet<>();
    for (JsonNode a : list) {
      int v = switch (a.asText()) {
        case "TOTAL", "1" -> TOTAL;
        case "MAXIMUM", "2" -> MAXIMUM;
        case "MINIMUM", "3" -> MINIMUM;
        default -> throw new Invalid("Invalid metricAggregation " + a + "; Pulse answers TOTAL, "
            + "MAXIMUM and MINIMUM.");
      };
      out.add(v);
    }
    return out;
  }
}
