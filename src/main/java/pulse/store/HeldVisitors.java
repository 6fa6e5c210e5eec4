package pulse.store;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The visitors {@link ActiveVisitorCache} holds for one site, in last-seen order, with the
 * {@link Breakdowns} of the windows read lately kept up to date: a changed visitor is taken out
 * of each window's counts as it was and put in as it is, and as time passes a window's start
 * moves on and the visitors it passes (the oldest, found in last-seen order) are taken out. So a
 * snapshot costs what changed since the last one, not a recount of every visitor held.
 *
 * <p>Counts are kept for the {@link #COUNTED_WINDOWS} window lengths read most recently; a window
 * read for the first time (or after the clock went back) is counted once from the held visitors.
 * Not thread-safe: the cache entry holding it serialises the calls.
 */
final class HeldVisitors {
  /** More window lengths than a dashboard, pollers and the compatible APIs read together. */
  static final int COUNTED_WINDOWS = 4;

  /** Last seen, then id: a plain comparator, as it runs some 14 times per change. */
  private static final Comparator<ActiveVisitor> BY_SEEN = (a, b) -> {
    int c = Long.compare(a.lastSeen(), b.lastSeen());
    return c != 0 ? c : a.visitorId().compareTo(b.visitorId());
  };

  /** One window length's counts: the visitors last seen at or after {@code from}. */
  private static final class Counted {
    long from;
    final BreakdownCounter counter;

    Counted(long from) {
      this.from = from;
      this.counter = new BreakdownCounter();
    }
  }

  private final Map<String, ActiveVisitor> byId = new HashMap<>();
  private final TreeSet<ActiveVisitor> bySeen = new TreeSet<>(BY_SEEN);
  /** By window length (ms), the least recently read first. */
  private final Map<Long, Counted> windows = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Counted> eldest) {
      return size() > COUNTED_WINDOWS;
    }
  };

  void clear() {
    byId.clear();
    bySeen.clear();
    windows.clear();
  }

  ActiveVisitor get(String visitorId) {
    return byId.get(visitorId);
  }

  int size() {
    return byId.size();
  }

  /** Holds the visitor's new state in place of its old one, in every window's counts. */
  void put(ActiveVisitor v) {
    ActiveVisitor old = byId.put(v.visitorId(), v);
    if (old != null) {
      bySeen.remove(old);
    }
    bySeen.add(v);
    for (Counted w : windows.values()) {
      boolean was = old != null && old.lastSeen() >= w.from;
      boolean is = v.lastSeen() >= w.from;
      if (was && is) {
        w.counter.replace(old, v);
      } else if (was) {
        w.counter.remove(old);
      } else if (is) {
        w.counter.add(v);
      }
    }
  }

  void remove(String visitorId) {
    ActiveVisitor old = byId.remove(visitorId);
    if (old != null) {
      unindex(old);
    }
  }

  /** Lets go of the visitors last seen before {@code horizon}: no window read reaches them. */
  void dropSeenBefore(long horizon) {
    while (!bySeen.isEmpty() && bySeen.first().lastSeen() < horizon) {
      remove(bySeen.first().visitorId());
    }
  }

  private void unindex(ActiveVisitor old) {
    bySeen.remove(old);
    for (Counted w : windows.values()) {
      if (old.lastSeen() >= w.from) {
        w.counter.remove(old);
      }
    }
  }

  /** The visitors last seen in [from, now] with their breakdowns, counted once per change. */
  CountedVisitors window(long from, long now) {
    Counted w = windows.get(now - from);
    if (w == null || from < w.from) {
      w = new Counted(from);
      for (ActiveVisitor v : bySeen.tailSet(seenProbe(from), true)) {
        w.counter.add(v);
      }
      windows.put(now - from, w);
    } else if (from > w.from) {
      moveStart(w, from);
    }
    // a visitor seen after now (another instance's clock ahead of this one's) is not in this
    // window yet: out of the counts for this answer only
    NavigableSet<ActiveVisitor> ahead = bySeen.tailSet(seenProbe(now + 1), true);
    ahead.forEach(w.counter::remove);
    // the list, and whose latest pageview is in the window (a matter of time) on the way
    ActiveVisitor[] inWindow = new ActiveVisitor[(int) w.counter.visitors()];
    int n = 0;
    long pageviewVisitors = 0;
    for (ActiveVisitor v : bySeen.subSet(seenProbe(from), true, seenProbe(now + 1), false)) {
      inWindow[n++] = v;
      if (v.lastPageview() >= from) {
        pageviewVisitors++;
      }
    }
    Breakdowns counts = w.counter.freeze(pageviewVisitors);
    ahead.forEach(w.counter::add);
    return new CountedVisitors(inWindow, counts);
  }

  /** Time passed: the window starts at {@code from}; those it passes leave its counts. */
  private void moveStart(Counted w, long from) {
    for (ActiveVisitor v : bySeen.subSet(seenProbe(w.from), true, seenProbe(from), false)) {
      w.counter.remove(v);
    }
    w.from = from;
  }

  /** Sorts before every visitor last seen at {@code time} (no visitor id is empty). */
  private static ActiveVisitor seenProbe(long time) {
    return new ActiveVisitor("", time, 0, "", "", "", "", "", "", 0);
  }
}
