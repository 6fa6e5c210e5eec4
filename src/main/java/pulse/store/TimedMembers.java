package pulse.store;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The embedded store's sorted set of members by time (a Redis ZSET: equal times ordered by
 * member), which knows how many members it holds and about how many heap bytes they take, so it
 * can be held under both caps.
 */
final class TimedMembers {
  /**
   * Heap bytes of one member beyond its string, on a 64-bit JVM with compressed references: the
   * outer and inner tree map entries, the inner map, the boxed time twice (StoreLimits says how
   * this was checked against a measurement).
   */
  static final long ENTRY_OVERHEAD = 200;

  private final TreeMap<Long, TreeMap<String, Long>> byTime = new TreeMap<>();
  private int count;
  private long bytes;

  /** About what a string takes on the heap: header, array header, one byte a char (two if any is not Latin-1). */
  static long stringBytes(String s) {
    int width = 1;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        width = 2;
        break;
      }
    }
    return 24 + ((16L + (long) s.length() * width + 7) & ~7L);
  }

  static long memberBytes(String member) {
    return ENTRY_OVERHEAD + stringBytes(member);
  }

  boolean contains(long time, String member) {
    TreeMap<String, Long> at = byTime.get(time);
    return at != null && at.containsKey(member);
  }

  /** Adds the member; false when it was held already. */
  boolean put(long time, String member) {
    if (byTime.computeIfAbsent(time, t -> new TreeMap<>()).put(member, time) != null) {
      return false;
    }
    count++;
    bytes += memberBytes(member);
    return true;
  }

  /** Removes the members older than cutoff. */
  void removeBefore(long cutoff) {
    NavigableMap<Long, TreeMap<String, Long>> head = byTime.headMap(cutoff, false);
    for (TreeMap<String, Long> members : head.values()) {
      for (String m : members.keySet()) {
        count--;
        bytes -= memberBytes(m);
      }
    }
    head.clear();
  }

  /** Removes the oldest members (as ZREMRANGEBYRANK 0 ...) until both caps hold. */
  void trimOldest(int maxCount, long maxBytes) {
    while ((count > maxCount || bytes > maxBytes) && !byTime.isEmpty()) {
      Map.Entry<Long, TreeMap<String, Long>> first = byTime.firstEntry();
      Iterator<String> it = first.getValue().keySet().iterator();
      while ((count > maxCount || bytes > maxBytes) && it.hasNext()) {
        bytes -= memberBytes(it.next());
        count--;
        it.remove();
      }
      if (first.getValue().isEmpty()) {
        byTime.pollFirstEntry();
      }
    }
  }

  /** The members from from to to, both included, by time. */
  NavigableMap<Long, TreeMap<String, Long>> between(long from, boolean fromIncluded, long to,
      boolean toIncluded) {
    return byTime.subMap(from, fromIncluded, to, toIncluded);
  }

  int count() {
    return count;
  }

  long bytes() {
    return bytes;
  }
}
