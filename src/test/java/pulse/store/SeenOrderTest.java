package pulse.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The arrays in last-seen order against a sorted set: visitors seen now, earlier and at the same
 * time as before, taken out from the front, the middle and the end, thousands of them so the
 * arrays fill, are squeezed and grow; every range lists what the sorted set lists.
 */
class SeenOrderTest {
  private static final Comparator<ActiveVisitor> BY_SEEN =
      Comparator.comparingLong(ActiveVisitor::lastSeen).thenComparing(ActiveVisitor::visitorId);

  @Test
  void listsWhatASortedSetLists() {
    for (long seed = 1; seed <= 6; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      SeenOrder order = new SeenOrder();
      TreeSet<ActiveVisitor> model = new TreeSet<>(BY_SEEN);
      Map<String, ActiveVisitor> byId = new HashMap<>();
      long now = 1_000_000;
      for (int step = 0; step < 20_000; step++) {
        now += random.nextInt(3);
        String id = "v" + random.nextInt(2_000);
        ActiveVisitor was = byId.get(id);
        int what = random.nextInt(10);
        if (was != null && what == 0) {
          order.remove(was);
          model.remove(was);
          byId.remove(id);
        } else {
          long seen = what == 1 && was != null ? was.lastSeen() // changed, not seen later
              : now - (what == 2 ? random.nextInt(500) : 0);
          ActiveVisitor v = new ActiveVisitor(id, seen, 0, "/", "", "", "", "", "", 0);
          if (was != null) {
            order.remove(was);
            model.remove(was);
          }
          order.add(v);
          model.add(v);
          byId.put(id, v);
        }
        if (random.nextInt(50) == 0) {
          // the oldest go, as a horizon passes them
          long horizon = now - random.nextInt(2_000);
          for (ActiveVisitor v = order.first(); v != null && v.lastSeen() < horizon;
              v = order.first()) {
            assertSame(model.first(), v);
            order.remove(v);
            model.remove(v);
            byId.remove(v.visitorId());
          }
        }
        assertEquals(model.size(), order.size());
        if (random.nextInt(20) == 0) {
          long from = now - random.nextInt(3_000);
          long to = from + random.nextInt(3_000);
          List<ActiveVisitor> expected = new ArrayList<>();
          for (ActiveVisitor v : model) {
            if (v.lastSeen() >= from && v.lastSeen() < to) {
              expected.add(v);
            }
          }
          assertArrayEquals(expected.toArray(), order.seen(from, to), "step " + step);
          List<ActiveVisitor> each = new ArrayList<>();
          order.forEachSeen(from, to, each::add);
          assertEquals(expected, each);
        }
      }
    }
  }
}
