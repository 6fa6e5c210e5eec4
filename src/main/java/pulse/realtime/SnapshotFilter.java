package pulse.realtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import pulse.store.ActiveVisitor;

/**
 * Which visitors a snapshot is of: {@code ?filter=country:DE&filter=path:/pricing}, each condition
 * a dimension and a value, all of them true (AND). The conditions are kept sorted and without
 * repeats, so two requests that say the same in another order share one cache entry and one
 * computation.
 */
public record SnapshotFilter(List<Condition> conditions) {
  /** Every visitor: the plain snapshot. */
  public static final SnapshotFilter NONE = new SnapshotFilter(List.of());
  /** More conditions than a person combines; each is a pass over the visitors. */
  public static final int MAX_CONDITIONS = 5;
  /** Longer than any path, referrer or name the ingest keeps. */
  public static final int MAX_VALUE = 1000;
  /** How much of a bad filter an error message repeats. */
  private static final int ECHO = 100;

  /** What a condition compares: one field of the visitor's session. */
  public enum Dimension {
    /** The visitor's current page, as pages[] counts visitors. */
    PATH("path", ActiveVisitor::path),
    COUNTRY("country", ActiveVisitor::country),
    /** The session's referrer domain. */
    REFERRER("referrer", ActiveVisitor::referrer),
    BROWSER("browser", ActiveVisitor::browser),
    OS("os", ActiveVisitor::os),
    DEVICE("device", ActiveVisitor::device),
    /** The first page of the visitor's session. */
    ENTRY("entry", ActiveVisitor::entryPath),
    UTM_SOURCE("utm_source", ActiveVisitor::utmSource),
    UTM_MEDIUM("utm_medium", ActiveVisitor::utmMedium),
    UTM_CAMPAIGN("utm_campaign", ActiveVisitor::utmCampaign),
    /** Visitors who sent a custom event of this name in the window. */
    EVENT("event", null);

    private final String label;
    private final Function<ActiveVisitor, String> field;

    Dimension(String label, Function<ActiveVisitor, String> field) {
      this.label = label;
      this.field = field;
    }

    public String label() {
      return label;
    }

    static Dimension named(String name) {
      for (Dimension d : values()) {
        if (d.label.equals(name)) {
          return d;
        }
      }
      return null;
    }

    static String names() {
      return Arrays.stream(values()).map(Dimension::label).collect(Collectors.joining(", "));
    }
  }

  /** One condition: the dimension's value equals this (country codes in upper case). */
  public record Condition(Dimension dimension, String value) {
    boolean matches(ActiveVisitor v, Map<String, Set<String>> eventsByVisitor) {
      if (dimension == Dimension.EVENT) {
        return eventsByVisitor.getOrDefault(v.visitorId(), Set.of()).contains(value);
      }
      return value.equals(dimension.field.apply(v));
    }

    @Override
    public String toString() {
      return dimension.label + ":" + value;
    }
  }

  /** A filter the request got wrong; the message says what, naming the filter. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  public SnapshotFilter {
    conditions = List.copyOf(conditions);
  }

  /**
   * The filter of a request's {@code filter} parameters (none: {@link #NONE}).
   *
   * @throws Invalid naming the first wrong parameter
   */
  public static SnapshotFilter parse(List<String> params) {
    if (params == null || params.isEmpty()) {
      return NONE;
    }
    if (params.size() > MAX_CONDITIONS) {
      throw new Invalid("at most " + MAX_CONDITIONS + " filters may be combined, not "
          + params.size());
    }
    TreeSet<Condition> sorted = new TreeSet<>(Comparator
        .comparing((Condition c) -> c.dimension().ordinal()).thenComparing(Condition::value));
    for (String param : params) {
      sorted.add(condition(param));
    }
    return new SnapshotFilter(new ArrayList<>(sorted));
  }

  private static Condition condition(String param) {
    int colon = param.indexOf(':');
    if (colon < 0) {
      throw invalid(param, "expected dimension:value, as country:DE");
    }
    Dimension dimension = Dimension.named(param.substring(0, colon));
    if (dimension == null) {
      throw invalid(param, "unknown dimension (one of " + Dimension.names() + ")");
    }
    String value = param.substring(colon + 1);
    if (value.isEmpty()) {
      throw invalid(param, "empty value");
    }
    if (value.length() > MAX_VALUE) {
      throw invalid(param, "value longer than " + MAX_VALUE + " characters");
    }
    if (dimension == Dimension.COUNTRY) {
      // the stores hold ISO codes in upper case; a person types them either way
      if (!value.matches("[A-Za-z]{2}")) {
        throw invalid(param, "a country is a two-letter ISO code, as DE");
      }
      value = value.toUpperCase(Locale.ROOT);
    }
    return new Condition(dimension, value);
  }

  private static Invalid invalid(String param, String problem) {
    String shown = param.length() > ECHO ? param.substring(0, ECHO) + "…" : param;
    return new Invalid("filter '" + shown + "': " + problem);
  }

  public boolean isNone() {
    return conditions.isEmpty();
  }

  /** True when the visitor meets every condition (an event condition: never, without events). */
  public boolean matches(ActiveVisitor v) {
    return matches(v, Map.of());
  }

  /**
   * True when the visitor meets every condition.
   *
   * @param eventsByVisitor the names of the custom events each visitor sent in the window
   */
  public boolean matches(ActiveVisitor v, Map<String, Set<String>> eventsByVisitor) {
    for (Condition c : conditions) {
      if (!c.matches(v, eventsByVisitor)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a condition is on custom events, which need the window's events to test. */
  public boolean needsEvents() {
    return conditions.stream().anyMatch(c -> c.dimension() == Dimension.EVENT);
  }

  /** The canonical text: the sorted conditions joined by {@code &}, as logs and errors show it. */
  @Override
  public String toString() {
    return conditions.stream().map(Condition::toString).collect(Collectors.joining("&"));
  }
}
