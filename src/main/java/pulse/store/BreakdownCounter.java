package pulse.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts visitors into {@link Breakdowns}, and takes them out again: a visitor whose state changed
 * is removed as it was and added as it is, so counts kept per window follow the changed visitors
 * instead of being recounted over every active visitor per snapshot.
 *
 * <p>Whether a visitor is in the window is the caller's business; this counts whom it is given.
 * Engaged times are kept in whole seconds: the lower median of times cut to seconds is the lower
 * median cut to seconds, and a page has far fewer distinct seconds than milliseconds.
 */
final class BreakdownCounter {
  private static final int PATH = 0;
  private static final int REFERRER = 1;
  private static final int COUNTRY = 2;
  private static final int BROWSER = 3;
  private static final int OS = 4;
  private static final int DEVICE = 5;
  private static final int ENTRY = 6;
  private static final int SOURCE = 7;
  private static final int MEDIUM = 8;
  private static final int CAMPAIGN = 9;
  private static final int KINDS = 10;

  /** A mutable count, so counting allocates nothing per visitor. */
  private static final class Count {
    long n;
  }

  @SuppressWarnings("unchecked")
  private final Map<String, Count>[] counts = new Map[KINDS];
  /** Per path, its visitors' engaged times (whole seconds) as a multiset: time to how many. */
  private final Map<String, TreeMap<Long, Count>> engaged = new HashMap<>();
  private long visitors;

  BreakdownCounter() {
    for (int k = 0; k < KINDS; k++) {
      counts[k] = new HashMap<>();
    }
  }

  /** The visitors of a window counted in one pass (what a snapshot without kept counts does). */
  static Breakdowns of(List<ActiveVisitor> active, long from) {
    BreakdownCounter c = new BreakdownCounter();
    long pageviewVisitors = 0;
    for (ActiveVisitor v : active) {
      c.add(v);
      if (v.lastPageview() >= from) {
        pageviewVisitors++;
      }
    }
    return c.freeze(pageviewVisitors);
  }

  /** How many visitors are counted. */
  long visitors() {
    return visitors;
  }

  void add(ActiveVisitor v) {
    change(v, 1);
  }

  void remove(ActiveVisitor v) {
    change(v, -1);
  }

  /**
   * The same visitor counted as {@code now} instead of as {@code was}: only the values that
   * differ move (a pageview changes the path and the engaged time, seldom the session's
   * referrer, country, browser or campaign), which is what removing and adding gives.
   */
  void replace(ActiveVisitor was, ActiveVisitor now) {
    move(PATH, was.path(), now.path());
    move(REFERRER, was.referrer(), now.referrer());
    move(COUNTRY, was.country(), now.country());
    move(BROWSER, was.browser(), now.browser());
    move(OS, was.os(), now.os());
    move(DEVICE, was.device(), now.device());
    move(ENTRY, was.entryPath(), now.entryPath());
    move(SOURCE, was.utmSource(), now.utmSource());
    move(MEDIUM, was.utmMedium(), now.utmMedium());
    move(CAMPAIGN, was.utmCampaign(), now.utmCampaign());
    boolean engagedWas = engagedCounted(was);
    boolean engagedNow = engagedCounted(now);
    if (engagedWas && engagedNow && was.engagedMillis() / 1000 == now.engagedMillis() / 1000
        && was.path().equals(now.path())) {
      return;
    }
    if (engagedWas) {
      engage(was, -1);
    }
    if (engagedNow) {
      engage(now, 1);
    }
  }

  private void move(int kind, String was, String now) {
    if (was == now || (was != null && was.equals(now))) {
      return;
    }
    count(kind, was, -1);
    count(kind, now, 1);
  }

  private static boolean engagedCounted(ActiveVisitor v) {
    return v.engagedMillis() >= 0 && v.path() != null && !v.path().isEmpty();
  }

  private void engage(ActiveVisitor v, int by) {
    long seconds = v.engagedMillis() / 1000;
    TreeMap<Long, Count> times = engaged.computeIfAbsent(v.path(), p -> new TreeMap<>());
    adjust(times, seconds, by);
    if (times.isEmpty()) {
      engaged.remove(v.path());
    }
  }

  private void change(ActiveVisitor v, int by) {
    visitors += by;
    count(PATH, v.path(), by);
    count(REFERRER, v.referrer(), by);
    count(COUNTRY, v.country(), by);
    count(BROWSER, v.browser(), by);
    count(OS, v.os(), by);
    count(DEVICE, v.device(), by);
    count(ENTRY, v.entryPath(), by);
    count(SOURCE, v.utmSource(), by);
    count(MEDIUM, v.utmMedium(), by);
    count(CAMPAIGN, v.utmCampaign(), by);
    if (engagedCounted(v)) {
      engage(v, by);
    }
  }

  private void count(int kind, String value, int by) {
    if (value != null && !value.isEmpty()) {
      adjust(counts[kind], value, by);
    }
  }

  /** Adds {@code by} to a key's count; a count back at 0 is no entry, as in a fresh count. */
  private static <K> void adjust(Map<K, Count> map, K key, int by) {
    Count c = map.get(key);
    if (c == null) {
      c = new Count();
      map.put(key, c);
    }
    c.n += by;
    if (c.n == 0) {
      map.remove(key);
    }
  }

  /**
   * The counts as they are now, copied: later changes do not reach them.
   *
   * @param pageviewVisitors how many of the visitors had a pageview in the window (their latest
   *     pageview is a matter of time, which the caller counts while it lists them)
   */
  Breakdowns freeze(long pageviewVisitors) {
    Map<String, Long> medians = new HashMap<>(engaged.size() * 2);
    engaged.forEach((path, times) -> medians.put(path, lowerMedian(times)));
    return new Breakdowns(visitors, pageviewVisitors, copy(PATH), copy(REFERRER), copy(COUNTRY),
        copy(BROWSER), copy(OS), copy(DEVICE), copy(ENTRY), copy(SOURCE), copy(MEDIUM),
        copy(CAMPAIGN), medians);
  }

  private Map<String, Long> copy(int kind) {
    Map<String, Long> out = new HashMap<>(counts[kind].size() * 2);
    counts[kind].forEach((value, c) -> out.put(value, c.n));
    return out;
  }

  /** The lower median of a multiset of times. */
  private static long lowerMedian(TreeMap<Long, Count> times) {
    long n = 0;
    for (Count c : times.values()) {
      n += c.n;
    }
    long rank = (n - 1) / 2;
    for (Map.Entry<Long, Count> e : times.entrySet()) {
      rank -= e.getValue().n;
      if (rank < 0) {
        return e.getKey();
      }
    }
    return 0;
  }
}
