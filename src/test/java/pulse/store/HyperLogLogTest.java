package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {
  private static String id(int i) {
    // ids like the ingest's visitor ids: 16 hex digits
    return String.format("%016x", i * 0x9E3779B97F4A7C15L);
  }

  private static void assertWithin(double bound, long expected, long counted) {
    double error = Math.abs(counted - expected) / (double) expected;
    assertTrue(error <= bound, counted + " for " + expected + ": error " + error);
  }

  @Test
  void smallCountsAreExactAndRepeatsCountOnce() {
    HyperLogLog hll = new HyperLogLog();
    for (int i = 0; i < HyperLogLog.SPARSE_MAX; i++) {
      hll.add(id(i));
      hll.add(id(i));
    }
    assertEquals(HyperLogLog.SPARSE_MAX, hll.count());
    assertEquals(0, new HyperLogLog().count());
  }

  @Test
  void aHundredThousandDistinctIdsWithinTwoPercent() {
    // 0.81% standard error: 2% is beyond 2.4 standard errors, for every count on the way
    HyperLogLog hll = new HyperLogLog();
    for (int i = 1; i <= 100_000; i++) {
      hll.add(id(i));
      hll.add("visitor-" + (i % 1000)); // the same 1000 ids again and again count once
      if (i % 1_000 == 0) {
        assertWithin(0.02, i + 1000, hll.count());
      }
    }
  }

  @Test
  void aUnionCountsEachIdOnceAcrossCounters() {
    HyperLogLog a = new HyperLogLog();
    HyperLogLog b = new HyperLogLog();
    HyperLogLog small = new HyperLogLog();
    for (int i = 0; i < 60_000; i++) {
      a.add(id(i));
      b.add(id(i + 30_000)); // half of b is in a
    }
    for (int i = 0; i < 100; i++) {
      small.add(id(i)); // all in a
      small.add("only-small-" + i);
    }
    assertWithin(0.02, 90_100, HyperLogLog.countUnion(List.of(small, a, b)));
    assertEquals(200, HyperLogLog.countUnion(List.of(small, small)));
    assertEquals(0, HyperLogLog.countUnion(List.of()));
  }

  @Test
  void aRestoredCounterCountsAsTheOneSavedAndCountsOnFromThere() {
    for (int n : new int[] {0, 7, HyperLogLog.SPARSE_MAX, 20_000}) {
      HyperLogLog saved = new HyperLogLog();
      for (int i = 0; i < n; i++) {
        saved.add(id(i));
      }
      HyperLogLog restored = HyperLogLog.restore(saved.image());
      assertEquals(saved.count(), restored.count(), n + " ids");
      assertEquals(HyperLogLog.countUnion(List.of(saved)),
          HyperLogLog.countUnion(List.of(saved, restored)), "the same ids, not more");
      // an id seen before the restart is not counted again; a new one is
      restored.add(id(0));
      saved.add(id(0));
      assertEquals(saved.count(), restored.count());
      restored.add("new");
      saved.add("new");
      assertEquals(saved.count(), restored.count());
    }
  }

  @Test
  void anImageNoCounterCouldHoldIsRefused() {
    byte[] registers = new byte[1 << 14];
    registers[5] = 52;
    assertThrows(IllegalArgumentException.class, () -> new HyperLogLog.Image(null, registers));
    assertThrows(IllegalArgumentException.class, () -> new HyperLogLog.Image(null, new byte[99]));
    assertThrows(IllegalArgumentException.class, () -> new HyperLogLog.Image(new long[] {0}, null));
    assertThrows(IllegalArgumentException.class,
        () -> new HyperLogLog.Image(new long[HyperLogLog.SPARSE_MAX + 1], null));
    assertThrows(IllegalArgumentException.class, () -> new HyperLogLog.Image(null, null));
  }
}
