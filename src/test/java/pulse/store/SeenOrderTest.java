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
 * arrays fill, are squeezed, grow and shrink; every range lists what the sorted set lists.
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
        if (random.nextInt(50) == 0 || step % 5_000 == 0) {
          // the oldest go, as a horizon passes them; now and then all of them (after a flood)
          long horizon = step % 5_000 == 0 ? now + 1 : now - random.nextInt(2_000);
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

  @Test
  void afterAFloodTheFewLeftStayInOrder() {
    SeenOrder order = new SeenOrder();
    List<ActiveVisitor> flood = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ActiveVisitor v = visitor("f" + i, i);
      order.add(v);
      flood.add(v);
    }
    flood.subList(0, 9_990).forEach(order::remove);
    // the ten left change again and again: the arrays fill with gaps, are squeezed and shrink
    ActiveVisitor[] left = flood.subList(9_990, 10_000).toArray(new ActiveVisitor[0]);
    for (int t = 10_000; t < 40_000; t++) {
      int k = t % left.length;
      order.remove(left[k]);
      left[k] = visitor(left[k].visitorId(), t);
      order.add(left[k]);
    }
    assertEquals(10, order.size());
    List<ActiveVisitor> expected = new ArrayList<>(List.of(left));
    expected.sort(BY_SEEN);
    assertArrayEquals(expected.toArray(), order.seen(0, Long.MAX_VALUE));
    assertSame(expected.get(0), order.first());
    order.clear();
    assertEquals(0, order.size());
    assertEquals(0, order.seen(0, Long.MAX_VALUE).length);
  }

  private static ActiveVisitor visitor(String id, long seen) {
    return new ActiveVisitor(id, seen, 0, "/", "", "", "", "", "", 0);
  }
}
