package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedLruCacheTest {

  @Test
  void returnsWhatWasPutAndNullForAMiss() {
    BoundedLruCache<String, Integer> cache = new BoundedLruCache<>(64);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.put("a", 3);
    assertEquals(3, cache.get("a"));
    assertEquals(2, cache.get("b"));
    assertNull(cache.get("c"));
    assertEquals(2, cache.size());
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    BoundedLruCache<String, Integer> cache = new BoundedLruCache<>(256);
    for (int i = 0; i < 10_000; i++) {
      cache.put("key-" + i, i);
      assertTrue(cache.size() <= 256, "size " + cache.size() + " after " + (i + 1) + " puts");
    }
    // The newest entry is always kept.
    assertEquals(9_999, cache.get("key-9999"));
  }

  @Test
  void evictsTheLeastRecentlyUsedEntry() {
    // One segment: exact LRU order.
    BoundedLruCache<String, Integer> cache = new BoundedLruCache<>(3, 1);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.put("c", 3);
    assertEquals(1, cache.get("a")); // a is now the most recently used; b the least
    cache.put("d", 4);
    assertNull(cache.get("b"));
    assertEquals(1, cache.get("a"));
    assertEquals(3, cache.get("c"));
    assertEquals(4, cache.get("d"));
    assertEquals(3, cache.size());
  }

  @Test
  void eachSegmentHoldsAtLeastOneEntry() {
    BoundedLruCache<String, Integer> cache = new BoundedLruCache<>(1, 4);
    for (int i = 0; i < 100; i++) {
      cache.put("key-" + i, i);
    }
    assertTrue(cache.size() <= 4, "size " + cache.size());
    assertEquals(99, cache.get("key-99"));
  }

  @Test
  void segmentCountMustBeAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedLruCache<String, String>(8, 3));
    assertThrows(IllegalArgumentException.class, () -> new BoundedLruCache<String, String>(8, 0));
  }

  /** Segments are locked independently: concurrent puts and gets never see a wrong value. */
  @Test
  void concurrentUseKeepsEntriesConsistentAndBounded() throws Exception {
    BoundedLruCache<String, String> cache = new BoundedLruCache<>(512);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            String key = "k" + ((i * 7 + thread) % 2_000);
            String seen = cache.get(key);
            if (seen != null) {
              assertEquals("v" + key, seen);
            }
            cache.put(key, "v" + key);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES); // rethrows a wrong value one thread saw
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(cache.size() <= 512, "size " + cache.size());
  }
}
