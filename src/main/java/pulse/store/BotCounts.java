package pulse.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests dropped as bots, per second and class, in the embedded store: as Redis keeps them in
 * its per-second hashes, a window sums whole seconds. At most a handful of classes per second,
 * and seconds past the longest window are dropped, so it stays small under a bot flood.
 */
final class BotCounts {
  private final TreeMap<Long, Map<String, Long>> bySecond = new TreeMap<>();

  void count(long time, String botClass) {
    bySecond.computeIfAbsent(time / 1000, s -> new HashMap<>(4)).merge(botClass, 1L, Long::sum);
  }

  void removeBefore(long cutoff) {
    bySecond.headMap(cutoff / 1000).clear();
  }

  /** Requests per class in the seconds of [from, now], the second holding {@code from} counted
   *  when {@code from} lies in its first half (as window.lua takes whole seconds). */
  Map<String, Long> between(long from, long now) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map<String, Long> second : bySecond.subMap(Math.round(from / 1000.0), true,
        Math.floorDiv(now, 1000), true).values()) {
      second.forEach((name, n) -> out.merge(name, n, Long::sum));
    }
    return out;
  }
}
