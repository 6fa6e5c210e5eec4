package pulse.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  private final SeenOrder bySeen = new SeenOrder();
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
    for (ActiveVisitor v = bySeen.first(); v != null && v.lastSeen() < horizon;
        v = bySeen.first()) {
      remove(v.visitorId());
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

  /**
   * The visitors last seen in [from, upTo] with their breakdowns, counted once per change: the
   * window [from, now] and those whose events the read saw land after {@code now} (upTo, the
   * reader's clock when the read came back, is at least now).
   */
  CountedVisitors window(long from, long now, long upTo) {
    Counted w = windows.get(now - from);
    if (w == null || from < w.from) {
      Counted counted = new Counted(from);
      bySeen.forEachSeen(from, Long.MAX_VALUE, counted.counter::add);
      w = counted;
      windows.put(now - from, w);
    } else if (from > w.from) {
      moveStart(w, from);
    }
    // a visitor seen while the read was under way was there at now too (a visitor's new event
    // replaces the one that put them in the window, so leaving them out would lose an active
    // visitor); one seen after the reader's clock (another instance's clock ahead of this one's)
    // is not in this window yet: out of the counts for this answer only
    BreakdownCounter counter = w.counter;
    bySeen.forEachSeen(upTo + 1, Long.MAX_VALUE, counter::remove);
    // a session that started after now was not there at now either: its first pageview is not
    // in this read's figures. Held all the same when a newer read, completing first, brought it
    List<ActiveVisitor> notYet = new ArrayList<>(0);
    if (upTo > now) {
      bySeen.forEachSeen(now + 1, upTo + 1, v -> {
        if (v.sessionStart() > now) {
          notYet.add(v);
        }
      });
      notYet.forEach(counter::remove);
    }
    // the list, and whose latest pageview is in the window (a matter of time) on the way
    ActiveVisitor[] inWindow = without(bySeen.seen(from, upTo + 1), notYet);
    long pageviewVisitors = 0;
    for (ActiveVisitor v : inWindow) {
      if (v.lastPageview() >= from) {
        pageviewVisitors++;
      }
    }
    Breakdowns counts = counter.freeze(pageviewVisitors);
    bySeen.forEachSeen(upTo + 1, Long.MAX_VALUE, counter::add);
    notYet.forEach(counter::add);
    return new CountedVisitors(inWindow, counts);
  }

  /** {@code visitors} less the few in {@code left} (found among the newest), order kept. */
  private static ActiveVisitor[] without(ActiveVisitor[] visitors, List<ActiveVisitor> left) {
    if (left.isEmpty()) {
      return visitors;
    }
    ActiveVisitor[] out = new ActiveVisitor[visitors.length - left.size()];
    int n = 0;
    for (ActiveVisitor v : visitors) {
      if (!left.contains(v)) {
        out[n++] = v;
      }
    }
    return out;
  }

  /** Time passed: the window starts at {@code from}; those it passes leave its counts. */
  private void moveStart(Counted w, long from) {
    bySeen.forEachSeen(w.from, from, w.counter::remove);
    w.from = from;
  }
}
