package pulse.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulse.store.WindowEvent;

/**
 * A window's custom events per name: how many, from how many visitors, and for the most frequent
 * names the most frequent values of each property. Both stores hand over the same events, so the
 * counting happens once, here.
 */
final class EventTally {
  /** Events listed, most frequent first. */
  static final int TOP_EVENTS = 20;
  /** Events whose property values are counted. */
  static final int EVENTS_WITH_PROPS = 5;
  /** Values listed per property. */
  static final int TOP_VALUES = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventTally() {}

  static List<Snapshot.EventStat> of(List<WindowEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    Map<String, Tally> byName = new HashMap<>();
    for (WindowEvent e : events) {
      byName.computeIfAbsent(e.name(), n -> new Tally()).add(e);
    }
    List<Map.Entry<String, Tally>> ranked = new ArrayList<>(byName.entrySet());
    ranked.sort(Comparator.<Map.Entry<String, Tally>>comparingLong(en -> -en.getValue().count)
        .thenComparing(Map.Entry::getKey));
    List<Snapshot.EventStat> out = new ArrayList<>(Math.min(TOP_EVENTS, ranked.size()));
    for (int i = 0; i < ranked.size() && i < TOP_EVENTS; i++) {
      Tally t = ranked.get(i).getValue();
      Map<String, List<Snapshot.PropValue>> props =
          i < EVENTS_WITH_PROPS ? t.topValues() : Map.of();
      out.add(new Snapshot.EventStat(ranked.get(i).getKey(), t.count, t.visitors.size(), props));
    }
    return List.copyOf(out);
  }

  private static final class Tally {
    long count;
    final Set<String> visitors = new HashSet<>();
    final List<String> props = new ArrayList<>();

    void add(WindowEvent e) {
      count++;
      visitors.add(e.visitorId());
      if (!e.props().isEmpty()) {
        props.add(e.props());
      }
    }

    /** Property name → its values, most frequent first (ties by value), as strings. */
    Map<String, List<Snapshot.PropValue>> topValues() {
      Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
      for (String json : props) {
        JsonNode node;
        try {
          node = JSON.readTree(json);
        } catch (IOException e) {
          continue; // the parser stored it as JSON; anything else is not a property set
        }
        if (node == null || !node.isObject()) {
          continue;
        }
        node.fields().forEachRemaining(f -> {
          if (!f.getValue().isNull()) {
            counts.computeIfAbsent(f.getKey(), k -> new HashMap<>())
                .merge(f.getValue().asText(), 1L, Long::sum);
          }
        });
      }
      Map<String, List<Snapshot.PropValue>> out = new LinkedHashMap<>();
      List<String> names = new ArrayList<>(counts.keySet());
      names.sort(null);
      for (String name : names) {
        List<Map.Entry<String, Long>> values = new ArrayList<>(counts.get(name).entrySet());
        values.sort(Comparator.<Map.Entry<String, Long>>comparingLong(en -> -en.getValue())
            .thenComparing(Map.Entry::getKey));
        List<Snapshot.PropValue> top = new ArrayList<>();
        for (int k = 0; k < values.size() && k < TOP_VALUES; k++) {
          top.add(new Snapshot.PropValue(values.get(k).getKey(), values.get(k).getValue()));
        }
        out.put(name, List.copyOf(top));
      }
      return out;
    }
  }
}
