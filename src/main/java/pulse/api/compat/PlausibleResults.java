package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pulse.realtime.DayFiguresService;
import pulse.realtime.Snapshot;

/**
 * Plausible's v2 answer, {@code {"results": [{"dimensions": [...], "metrics": [...]}], "meta": {},
 * "query": {...}}}, mapped from a snapshot (a window of the last hour) or the day's figures.
 *
 * <p>{@code events} is Plausible's count of pageviews and custom events (Pulse's heartbeats, like
 * Plausible's engagement events, are not events). Per page, Pulse keeps pageviews, not custom
 * events, so a page's events are its pageviews. Rows per dimension are the snapshot's (its top
 * 20), and the custom events counted are those of its 20 most frequent names.
 */
final class PlausibleResults {
  private PlausibleResults() {}

  /** One result row: the dimension's value (null without one) and its metric values by name. */
  private record Row(String value, Map<String, Long> metrics) {}

  static JsonObject ofSnapshot(Snapshot s, PlausibleQuery q, JsonArray dateRange) {
    List<Row> rows = new ArrayList<>();
    if (q.dimension() == null) {
      long custom = s.events().stream().mapToLong(Snapshot.EventStat::count).sum();
      rows.add(new Row(null, Map.of("visitors", s.activeVisitors(), "pageviews", s.pageviews(),
          "events", s.pageviews() + custom)));
    } else {
      switch (q.dimension()) {
        case "event:page" -> s.pages().forEach(p -> rows.add(new Row(p.path(), Map.of(
            "visitors", p.visitors(), "pageviews", p.pageviews(), "events", p.pageviews()))));
        case "event:goal" -> s.events().forEach(e -> rows.add(new Row(e.name(), Map.of(
            "visitors", e.visitors(), "pageviews", 0L, "events", e.count()))));
        case "visit:source" -> s.referrers().forEach(r -> rows.add(visitors(r.domain(),
            r.visitors())));
        case "visit:country" -> s.countries().forEach(c -> rows.add(visitors(c.code(),
            c.visitors())));
        // Plausible names devices "Desktop", "Mobile", "Tablet"
        case "visit:device" -> s.devices().forEach(d -> rows.add(visitors(capitalised(d.name()),
            d.visitors())));
        case "visit:browser" -> s.browsers().forEach(b -> rows.add(visitors(b.name(),
            b.visitors())));
        default -> throw new IllegalArgumentException("dimension " + q.dimension());
      }
    }
    return answer(rows, q, dateRange);
  }

  static JsonObject ofDay(DayFiguresService.Day day, PlausibleQuery q, JsonArray dateRange) {
    return answer(List.of(new Row(null, Map.of("visitors", day.visitors(),
        "pageviews", day.pageviews()))), q, dateRange);
  }

  private static Row visitors(String value, long visitors) {
    return new Row(value, Map.of("visitors", visitors));
  }

  private static JsonObject answer(List<Row> rows, PlausibleQuery q, JsonArray dateRange) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(order(q));
    JsonArray results = new JsonArray();
    for (int i = q.offset(); i < sorted.size() && results.size() < q.limit(); i++) {
      Row row = sorted.get(i);
      JsonArray metrics = new JsonArray();
      q.metrics().forEach(m -> metrics.add(row.metrics().getOrDefault(m, 0L)));
      results.add(new JsonObject()
          .put("dimensions", row.value() == null ? new JsonArray() : new JsonArray().add(
              row.value()))
          .put("metrics", metrics));
    }
    JsonArray orderBy = new JsonArray();
    q.orderBy().forEach(o -> orderBy.add(new JsonArray(o)));
    return new JsonObject()
        .put("results", results)
        .put("meta", new JsonObject())
        .put("query", new JsonObject()
            .put("site_id", q.siteId())
            .put("metrics", new JsonArray(q.metrics()))
            .put("date_range", dateRange)
            .put("filters", new JsonArray())
            .put("dimensions", q.dimension() == null ? new JsonArray()
                : new JsonArray().add(q.dimension()))
            .put("order_by", orderBy)
            .put("include", new JsonObject())
            .put("pagination", new JsonObject().put("limit", q.limit())
                .put("offset", q.offset())));
  }

  /** The query's order_by, then the dimension's value, so equal rows keep one order. */
  private static Comparator<Row> order(PlausibleQuery q) {
    Comparator<Row> order = (a, b) -> 0;
    for (List<String> entry : q.orderBy()) {
      String by = entry.get(0);
      Comparator<Row> one = by.equals(q.dimension())
          ? Comparator.comparing(Row::value, Comparator.nullsFirst(Comparator.naturalOrder()))
          : Comparator.comparingLong(r -> r.metrics().getOrDefault(by, 0L));
      order = order.thenComparing(entry.get(1).equals("desc") ? one.reversed() : one);
    }
    return order.thenComparing(Row::value, Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  private static String capitalised(String name) {
    return name == null || name.isEmpty() ? name
        : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
  }
}
