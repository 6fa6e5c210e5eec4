package pulse.store;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a batch adds to keys whose new value does not depend on what Redis holds, summed up once
 * in Java so that append.lua only writes it: counters per hash and field (HINCRBY), members per
 * HyperLogLog and per set without repeats (PFADD, SADD), and each key's TTL once. Insertion
 * order is kept, so the same batch always gives the same arguments.
 */
final class BatchSums {
  private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
  private final Map<String, Set<String>> uniques = new LinkedHashMap<>();
  private final Map<String, Set<String>> sets = new LinkedHashMap<>();
  private final Map<String, Long> expiries = new LinkedHashMap<>();

  /** Adds {@code delta} to a counter of a hash that lives {@code ttlSeconds}. */
  void count(String key, String field, long delta, long ttlSeconds) {
    Map<String, Long> fields = counts.get(key);
    if (fields == null) {
      fields = new LinkedHashMap<>();
      counts.put(key, fields);
      expire(key, ttlSeconds);
    }
    fields.merge(field, delta, Long::sum);
  }

  /** A member of a HyperLogLog that lives {@code ttlSeconds}. */
  void unique(String key, String member, long ttlSeconds) {
    members(uniques, key, ttlSeconds).add(member);
  }

  /** A member of a set that lives {@code ttlSeconds}. */
  void setMember(String key, String member, long ttlSeconds) {
    members(sets, key, ttlSeconds).add(member);
  }

  private Set<String> members(Map<String, Set<String>> byKey, String key, long ttlSeconds) {
    Set<String> members = byKey.get(key);
    if (members == null) {
      members = new LinkedHashSet<>();
      byKey.put(key, members);
      expire(key, ttlSeconds);
    }
    return members;
  }

  /**
   * Sets a key's TTL (also of a key that this batch may not write: then a no-op in Redis). A key
   * keeps the TTL it was first given in the batch (each key has one TTL).
   */
  void expire(String key, long ttlSeconds) {
    expiries.putIfAbsent(key, ttlSeconds);
  }

  Map<String, Map<String, Long>> counts() {
    return counts;
  }

  Map<String, Set<String>> uniques() {
    return uniques;
  }

  Map<String, Set<String>> sets() {
    return sets;
  }

  Map<String, Long> expiries() {
    return expiries;
  }

  /** key, n, then n field, delta pairs per hash (counters summed to 0 are left out). */
  void addCountArgs(List<String> out) {
    counts.forEach((key, fields) -> {
      long nonZero = fields.values().stream().filter(d -> d != 0).count();
      if (nonZero == 0) {
        return;
      }
      out.add(key);
      out.add(Long.toString(nonZero));
      fields.forEach((field, delta) -> {
        if (delta != 0) {
          out.add(field);
          out.add(Long.toString(delta));
        }
      });
    });
  }

  /** key, n, then n members per key. */
  static void addMemberArgs(Map<String, Set<String>> byKey, List<String> out) {
    byKey.forEach((key, members) -> {
      out.add(key);
      out.add(Integer.toString(members.size()));
      out.addAll(members);
    });
  }

  /** key, ttl pairs. */
  void addExpiryArgs(List<String> out) {
    expiries.forEach((key, ttl) -> {
      out.add(key);
      out.add(Long.toString(ttl));
    });
  }
}
