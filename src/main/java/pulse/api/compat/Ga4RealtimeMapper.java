package pulse.api.compat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulse.ingest.Countries;
import pulse.realtime.Snapshot;

/**
 * Google Analytics 4's realtime report from Pulse snapshots, one snapshot per minute range (a
 * range of the last N minutes is the snapshot of an N-minute window). Pure: no I/O.
 *
 * <p>What each dimension can say exactly: visitors (activeUsers) by any of them; page views by
 * page (unifiedScreenName: the page's title where the snapshot's newest pageviews know it, else
 * its path), by minute and by event; event counts overall and by event (page_view and each custom
 * event). Pulse has no key events: keyEvents is 0. A metric a dimension cannot say is refused
 * before anything is computed ({@link #check}), never guessed.
 */
final class Ga4RealtimeMapper {
  static final String KIND = "analyticsData#runRealtimeReport";
  static final String NOT_SET = "(not set)";
  private static final int LIST_TOP = 20;

  private Ga4RealtimeMapper() {}

  /** A metric the dimension cannot count exactly: Google's INVALID_ARGUMENT, named. */
  static void check(Ga4ReportRequest r) throws Ga4ReportRequest.Invalid {
    String d = r.dimensions().isEmpty() ? "" : r.dimensions().get(0);
    for (String m : r.metrics()) {
      boolean ok = switch (d) {
        case "country", "countryId", "deviceCategory" -> m.equals("activeUsers")
            || m.equals("keyEvents");
        case "unifiedScreenName", "minutesAgo" -> !m.equals("eventCount");
        default -> true;
      };
      if (!ok) {
        throw new Ga4ReportRequest.Invalid("Pulse does not count " + m + " by " + d
            + "; it answers activeUsers" + (d.equals("unifiedScreenName")
            || d.equals("minutesAgo") ? " and screenPageViews" : "") + " by " + d + ".");
      }
    }
  }

  private record Row(String dimension, String range, long[] values) {}

  /**
   * @param snapshots one per range of the request, in its order
   * @param enumsAsNumbers the official clients ask for enum numbers ({@code enum-encoding=int})
   */
  static JsonObject map(Ga4ReportRequest r, List<Snapshot> snapshots, boolean enumsAsNumbers) {
    boolean byRange = r.ranges().size() > 1;
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < snapshots.size(); i++) {
      for (Row row : rows(r, snapshots.get(i), r.ranges().get(i))) {
        if (r.dimensions().isEmpty() || r.filter().matches(row.dimension())) {
          rows.add(row);
        }
      }
    }
    rows.sort(order(r));
    JsonObject out = new JsonObject();
    List<String> dims = new ArrayList<>(r.dimensions());
    if (byRange) {
      dims.add("dateRange");
    }
    if (!dims.isEmpty()) {
      JsonArray headers = new JsonArray();
      dims.forEach(d -> headers.add(new JsonObject().put("name", d)));
      out.put("dimensionHeaders", headers);
    }
    JsonArray metricHeaders = new JsonArray();
    for (String m : r.metrics()) {
      metricHeaders.add(new JsonObject().put("name", m)
          .put("type", enumsAsNumbers ? (Object) 1 : "TYPE_INTEGER"));
    }
    out.put("metricHeaders", metricHeaders);
    JsonArray shown = new JsonArray();
    rows.stream().limit(r.limit()).forEach(row -> shown.add(json(row, r, byRange)));
    if (!shown.isEmpty()) {
      out.put("rows", shown);
    }
    aggregate(out, r, rows, byRange);
    return out.put("rowCount", rows.size()).put("kind", KIND);
  }

  private static JsonObject json(Row row, Ga4ReportRequest r, boolean byRange) {
    JsonArray dims = new JsonArray();
    if (!r.dimensions().isEmpty()) {
      dims.add(new JsonObject().put("value", row.dimension()));
    }
    if (byRange) {
      dims.add(new JsonObject().put("value", row.range()));
    }
    JsonArray metrics = new JsonArray();
    for (long v : row.values()) {
      metrics.add(new JsonObject().put("value", Long.toString(v)));
    }
    JsonObject o = new JsonObject();
    if (!dims.isEmpty()) {
      o.put("dimensionValues", dims);
    }
    return o.put("metricValues", metrics);
  }

  /** totals, maximums, minimums: one row per range, marked RESERVED_TOTAL, _MAX, _MIN. */
  private static void aggregate(JsonObject out, Ga4ReportRequest r, List<Row> rows,
      boolean byRange) {
    Set<Integer> asked = r.aggregations();
    String[][] kinds = {{"totals", "RESERVED_TOTAL"}, {"maximums", "RESERVED_MAX"},
        {"minimums", "RESERVED_MIN"}};
    int[] codes = {Ga4ReportRequest.TOTAL, Ga4ReportRequest.MAXIMUM, Ga4ReportRequest.MINIMUM};
    for (int k = 0; k < 3; k++) {
      if (!asked.contains(codes[k])) {
        continue;
      }
      JsonArray list = new JsonArray();
      for (Ga4ReportRequest.Range range : r.ranges()) {
        long[] agg = new long[r.metrics().size()];
        boolean first = true;
        for (Row row : rows) {
          if (!row.range().equals(range.name())) {
            continue;
          }
          for (int m = 0; m < agg.length; m++) {
            long v = row.values()[m];
            agg[m] = first ? v : codes[k] == Ga4ReportRequest.TOTAL ? agg[m] + v
                : codes[k] == Ga4ReportRequest.MAXIMUM ? Math.max(agg[m], v) : Math.min(agg[m], v);
          }
          first = false;
        }
        list.add(json(new Row(kinds[k][1], range.name(), agg), r, byRange));
      }
      out.put(kinds[k][0], list);
    }
  }

  private static Comparator<Row> order(Ga4ReportRequest r) {
    Comparator<Row> c = null;
    List<Ga4ReportRequest.Order> orders = r.orderBys().isEmpty()
        ? List.of(new Ga4ReportRequest.Order(r.metrics().get(0), null, true)) : r.orderBys();
    for (Ga4ReportRequest.Order o : orders) {
      Comparator<Row> next;
      if (o.metric() != null) {
        int m = r.metrics().indexOf(o.metric());
        next = Comparator.comparingLong(row -> row.values()[m]);
      } else {
        next = Comparator.comparing(Row::dimension);
      }
      next = o.desc() ? next.reversed() : next;
      c = c == null ? next : c.thenComparing(next);
    }
    return c.thenComparing(Row::dimension).thenComparing(Row::range);
  }

  private static List<Row> rows(Ga4ReportRequest r, Snapshot s,
      Ga4ReportRequest.Range minutes) {
    String range = minutes.name();
    String d = r.dimensions().isEmpty() ? "" : r.dimensions().get(0);
    List<Row> out = new ArrayList<>();
    long events = s.events().stream().mapToLong(Snapshot.EventStat::count).sum();
    switch (d) {
      case "", "platform" -> {
        if (s.activeVisitors() > 0 || s.pageviews() > 0) {
          out.add(row(r, d.isEmpty() ? "" : "web", range, s.activeVisitors(), s.pageviews(),
              s.pageviews() + events));
        }
      }
      case "country", "countryId" -> {
        long listed = 0;
        for (Snapshot.CountryStat c : s.countries()) {
          listed += c.visitors();
          String name = d.equals("countryId") ? c.code() : Countries.name(c.code());
          out.add(row(r, name == null ? c.code() : name, range, c.visitors(), 0, 0));
        }
        notSet(out, r, range, s, listed, s.countries().size());
      }
      case "deviceCategory" -> {
        long listed = 0;
        for (Snapshot.NameStat n : s.devices()) {
          listed += n.visitors();
          out.add(row(r, n.name().toLowerCase(java.util.Locale.ROOT), range, n.visitors(), 0, 0));
        }
        notSet(out, r, range, s, listed, s.devices().size());
      }
      case "unifiedScreenName" -> {
        Map<String, String> titles = new HashMap<>();
        for (Snapshot.PageviewDetail p : s.recentDetails()) {
          if (p.title() != null && !p.title().isEmpty()) {
            titles.putIfAbsent(p.path(), p.title());
          }
        }
        for (Snapshot.PageStat p : s.pages()) {
          out.add(row(r, titles.getOrDefault(p.path(), p.path()), range, p.visitors(),
              p.pageviews(), 0));
        }
      }
      case "eventName" -> {
        if (s.pageviews() > 0) {
          out.add(row(r, "page_view", range, s.pageviewVisitors(), s.pageviews(), s.pageviews()));
        }
        for (Snapshot.EventStat e : s.events()) {
          out.add(row(r, e.name(), range, e.visitors(), 0, e.count()));
        }
      }
      case "minutesAgo" -> {
        List<Snapshot.MinuteStat> perMinute = s.perMinute();
        for (int i = 0; i < perMinute.size(); i++) {
          Snapshot.MinuteStat m = perMinute.get(i);
          int ago = perMinute.size() - 1 - i;
          // the window's first clock minute is only partly in it: not one of the range's minutes
          if (ago <= minutes.startMinutesAgo() && (m.visitors() > 0 || m.pageviews() > 0)) {
            out.add(row(r, String.format("%02d", ago), range, m.visitors(), m.pageviews(), 0));
          }
        }
      }
      default -> throw new IllegalArgumentException(d);
    }
    return out;
  }

  /** Visitors without the value: the rest of the active visitors, when the list is whole. */
  private static void notSet(List<Row> out, Ga4ReportRequest r, String range, Snapshot s,
      long listed, int listSize) {
    if (listSize < LIST_TOP && s.activeVisitors() > listed) {
      out.add(row(r, NOT_SET, range, s.activeVisitors() - listed, 0, 0));
    }
  }

  private static Row row(Ga4ReportRequest r, String dimension, String range, long activeUsers,
      long pageViews, long eventCount) {
    long[] values = new long[r.metrics().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (r.metrics().get(i)) {
        case "activeUsers" -> activeUsers;
        case "screenPageViews" -> pageViews;
        case "eventCount" -> eventCount;
        default -> 0;
      };
    }
    return new Row(dimension, range, values);
  }
}
