package pulse.api.compat;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Values computed at most once per key per time-to-live; readers within the TTL share the value
 * (or the computation in flight). A failed computation is not kept. Keys are few (a site and an
 * endpoint), so nothing is evicted.
 */
final class TtlCache<V> {
  private record Entry<V>(long computedAt, Future<V> value) {}

  private final Clock clock;
  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong computations = new AtomicLong();

  TtlCache(Clock clock) {
    this.clock = clock;
  }

  Future<V> get(String key, long ttlMillis, Supplier<Future<V>> compute) {
    long now = clock.millis();
    return entries.compute(key, (k, old) -> {
      boolean fresh = old != null && now >= old.computedAt && now - old.computedAt < ttlMillis
          && !old.value.failed();
      if (fresh) {
        return old;
      }
      computations.incrementAndGet();
      return new Entry<>(now, compute.get());
    }).value;
  }

  long computations() {
    return computations.get();
  }
}
