package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import pulse.realtime.SnapshotBuilder;
import pulse.realtime.SnapshotService;

/**
 * The visitor cache's kept counts against a recount: visitors change (a changed visitor moves only
 * the values that differ, equal values being the same object or not), leave and come back, time
 * passes, windows of several lengths are read, some of them for the first time, reads arrive out
 * of order, events land while a read is on its way and one instance's clock runs ahead (a new
 * visitor first read with an event after the read's time waits for a later read, and a session
 * that started after a read's time is not in it, even when a newer read brought it in first); every read
 * lists the window's visitors in last-seen order, and its counts and snapshot JSON are what
 * counting the same visitors from scratch gives.
 */
class CountedWindowTest {
  private static final String[] PATHS = {"/", "/a", "/b", "/c", "/pricing", ""};
  private static final String[] VALUES = {"", "x", "y", "z"};

  @Test
  void keptCountsAreWhatARecountGives() {
    for (long seed = 1; seed <= 12; seed++) {
      check(new SplittableRandom(seed));
    }
  }

  private static void check(SplittableRandom random) {
    ActiveVisitorCache.Entry entry = new ActiveVisitorCache.Entry();
    Map<String, ActiveVisitor> truth = new HashMap<>();
    Set<String> waiting = new HashSet<>();
    long now = 1_700_000_000_000L;
    long horizon = 300_000;
    entry.replaceAll(List.of(), 0, horizon, now - horizon, now, now);
    int[] windows = {300, 60, 30, 1800, 120, 10, 45, 300};
    for (int step = 0; step < 400; step++) {
      now += random.nextInt(3_000);
      Map<String, ActiveVisitor> changed = new HashMap<>();
      int changes = random.nextInt(40);
      for (int c = 0; c < changes; c++) {
        String id = "v" + random.nextInt(300);
        ActiveVisitor was = truth.get(id);
        if (was != null && random.nextInt(20) == 0) {
          changed.put(id, null); // gone (dropped by the cap, or expired)
          continue;
        }
        // mostly now, sometimes a little ahead (another instance's clock) or behind
        long seen = now + random.nextInt(-2_000, 1_500);
        if (was != null && seen < was.lastSeen()) {
          seen = was.lastSeen();
        }
        changed.put(id, visitor(random, id, seen, was));
      }
      int windowSeconds = windows[random.nextInt(windows.length)];
      long windowMillis = windowSeconds * 1000L;
      long readNow = random.nextInt(15) == 0 ? now - random.nextInt(1_000) : now;
      // the reader's clock when the read came back: events stamped since readNow count
      long upTo = readNow + (random.nextInt(3) == 0 ? random.nextInt(800) : 0);
      boolean fullRead = windowMillis > horizon || random.nextInt(60) == 0;
      // a visitor the cache does not hold, first read with an event after the read's time,
      // waits for a read whose time reaches it (a full read lists everyone up to upTo)
      long waitUntil = readNow;
      waiting.removeIf(id -> !truth.containsKey(id) || truth.get(id).lastSeen() <= waitUntil);
      Set<String> held = new HashSet<>(truth.keySet());
      held.removeAll(waiting);
      changed.forEach((id, v) -> {
        ActiveVisitor was = truth.get(id);
        if (v == null) {
          truth.remove(id);
          waiting.remove(id);
        } else if (was == null || v.lastSeen() >= was.lastSeen()) {
          truth.put(id, v);
        }
        if (v != null && !held.contains(id) && v.lastSeen() > waitUntil) {
          waiting.add(id);
        }
      });
      if (fullRead) {
        waiting.clear();
      }
      List<ActiveVisitor> read;
      if (fullRead) {
        horizon = Math.max(horizon, windowMillis);
        read = entry.replaceAll(new ArrayList<>(truth.values()), step, horizon,
            readNow - windowMillis, readNow, upTo);
      } else {
        read = entry.update(changed, step, readNow - windowMillis, readNow, upTo);
      }
      long from = readNow - windowMillis;
      long cut = readNow - horizon;
      truth.values().removeIf(v -> v.lastSeen() < cut);
      List<ActiveVisitor> expected = new ArrayList<>();
      for (ActiveVisitor v : truth.values()) {
        // a session that started after the read's time is not in it (its first pageview is not)
        if (v.lastSeen() >= from && v.lastSeen() <= upTo && !waiting.contains(v.visitorId())
            && v.sessionStart() <= readNow) {
          expected.add(v);
        }
      }
      assertTrue(read instanceof CountedVisitors, "the cache answers counted visitors");
      expected.sort(Comparator.comparingLong(ActiveVisitor::lastSeen)
          .thenComparing(ActiveVisitor::visitorId));
      assertEquals(expected, new ArrayList<>(read),
          "the window's visitors, in last-seen order, at step " + step);
      assertEquals(Breakdowns.of(expected, from), ((CountedVisitors) read).breakdowns(),
          "the counts at step " + step + ", window " + windowSeconds + " s");
      WindowQuery q = new WindowQuery("s", readNow, windowSeconds);
      assertEquals(json(q, expected), json(q, read), "the snapshot at step " + step);
    }
  }

  private static String json(WindowQuery q, List<ActiveVisitor> visitors) {
    long[] minutes = new long[q.minuteCount()];
    WindowData d = new WindowData(visitors, 0, Map.of("/a", 3L), minutes, minutes, List.of(),
        0, 0);
    return SnapshotService.serialise(SnapshotBuilder.build("s", q, d, true)).toString();
  }

  /** A state as append.lua keeps it: pageview and page-open times never after the last seen. */
  private static ActiveVisitor visitor(SplittableRandom r, String id, long seen, ActiveVisitor was) {
    long lastPageview = r.nextInt(4) == 0 && was != null ? was.lastPageview()
        : seen - r.nextInt(200_000);
    long lastActive = r.nextInt(3) == 0 ? 0 : seen - r.nextInt(90_000);
    long left = r.nextInt(4) == 0 ? lastActive + 1 : 0;
    // a new visitor's session often starts with this event; a returning one's goes on
    long sessionStart = was != null ? was.sessionStart()
        : r.nextInt(2) == 0 ? seen : seen - r.nextInt(600_000);
    return new ActiveVisitor(id, seen, sessionStart, pick(r, PATHS), pick(r, VALUES),
        pick(r, VALUES), pick(r, VALUES), pick(r, VALUES), pick(r, VALUES), lastPageview,
        pick(r, PATHS), pick(r, VALUES), pick(r, VALUES), pick(r, VALUES), lastActive, left,
        r.nextInt(3) == 0 ? -1 : r.nextInt(5) * 1000L + r.nextInt(1000));
  }

  /** A value, sometimes as a new String: counts must follow equal values, not the same objects. */
  private static String pick(SplittableRandom r, String[] values) {
    String value = values[r.nextInt(values.length)];
    return r.nextInt(3) == 0 ? new String(value) : value;
  }
}
