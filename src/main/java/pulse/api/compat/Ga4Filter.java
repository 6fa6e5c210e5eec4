package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A runRealtimeReport dimensionFilter as a test of a row's dimension value: string and in-list
 * filters, combined with andGroup, orGroup and notExpression. Pulse filters the rows of the one
 * dimension asked for, so a filter may only name that dimension.
 */
final class Ga4Filter {
  static final Ga4Filter ALL = new Ga4Filter(v -> true);
  private static final int MAX_PATTERN = 256;
  private static final int MAX_DEPTH = 8;

  private final Predicate<String> test;

  private Ga4Filter(Predicate<String> test) {
    this.test = test;
  }

  boolean matches(String dimensionValue) {
    return test.test(dimensionValue);
  }

  static Ga4Filter parse(JsonNode expression, List<String> dimensions)
      throws Ga4ReportRequest.Invalid {
    return new Ga4Filter(expression(expression, dimensions, 0));
  }

  private static Predicate<String> expression(JsonNode e, List<String> dimensions, int depth)
      throws Ga4ReportRequest.Invalid {
    if (depth > MAX_DEPTH) {
      throw new Ga4ReportRequest.Invalid("dimensionFilter is nested too deeply.");
    }
    if (e.has("andGroup") || e.has("orGroup")) {
      boolean and = e.has("andGroup");
      List<Predicate<String>> parts = new ArrayList<>();
      for (JsonNode part : e.path(and ? "andGroup" : "orGroup").path("expressions")) {
        parts.add(expression(part, dimensions, depth + 1));
      }
      return v -> and ? parts.stream().allMatch(p -> p.test(v))
          : parts.stream().anyMatch(p -> p.test(v));
    }
    if (e.has("notExpression")) {
      return expression(e.path("notExpression"), dimensions, depth + 1).negate();
    }
    if (e.has("filter")) {
      return filter(e.path("filter"), dimensions);
    }
    throw new Ga4ReportRequest.Invalid("dimensionFilter needs a filter, andGroup, orGroup or "
        + "notExpression.");
  }

  private static Predicate<String> filter(JsonNode f, List<String> dimensions)
      throws Ga4ReportRequest.Invalid {
    String field = f.path("fieldName").asText("");
    if (!dimensions.contains(field)) {
      throw new Ga4ReportRequest.Invalid("Pulse filters on the dimension of the request only; "
          + "the filter names " + (field.isEmpty() ? "no field" : field) + ".");
    }
    if (f.has("inListFilter")) {
      boolean cs = f.path("inListFilter").path("caseSensitive").asBoolean(false);
      List<String> values = new ArrayList<>();
      for (JsonNode v : f.path("inListFilter").path("values")) {
        values.add(cs ? v.asText() : v.asText().toLowerCase(Locale.ROOT));
      }
      return v -> values.contains(cs ? v : v.toLowerCase(Locale.ROOT));
    }
    if (!f.has("stringFilter")) {
      throw new Ga4ReportRequest.Invalid("Pulse supports stringFilter and inListFilter in "
          + "dimension filters.");
    }
    JsonNode s = f.path("stringFilter");
    boolean cs = s.path("caseSensitive").asBoolean(false);
    String value = s.path("value").asText("");
    String want = cs ? value : value.toLowerCase(Locale.ROOT);
    String type = s.path("matchType").asText("EXACT");
    switch (type) {
      case "EXACT", "1", "MATCH_TYPE_UNSPECIFIED", "0":
        return v -> fold(v, cs).equals(want);
      case "BEGINS_WITH", "2":
        return v -> fold(v, cs).startsWith(want);
      case "ENDS_WITH", "3":
        return v -> fold(v, cs).endsWith(want);
      case "CONTAINS", "4":
        return v -> fold(v, cs).contains(want);
      case "FULL_REGEXP", "5", "PARTIAL_REGEXP", "6":
        if (value.length() > MAX_PATTERN) {
          throw new Ga4ReportRequest.Invalid("A regular expression may have at most "
              + MAX_PATTERN + " characters.");
        }
        Pattern p;
        try {
          p = Pattern.compile(value, cs ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException err) {
          throw new Ga4ReportRequest.Invalid("Invalid regular expression: " + err.getDescription());
        }
        boolean full = type.equals("FULL_REGEXP") || type.equals("5");
        return v -> full ? p.matcher(v).matches() : p.matcher(v).find();
      default:
        throw new Ga4ReportRequest.Invalid("Invalid matchType " + type + ".");
    }
  }

  private static String fold(String v, boolean caseSensitive) {
    return caseSensitive ? v : v.toLowerCase(Locale.ROOT);
  }
}
