package pulse.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import pulse.metrics.PulseMetrics;
import pulse.store.EventStore;
import pulse.store.WindowQuery;

/**
 * One snapshot per site and window per tick, computed once and serialised once, shared by every
 * reader in that tick (REST polls and streams alike). A computation in flight is shared too, so a
 * burst of readers costs one store read.
 */
public final class SnapshotService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long READ_TIMEOUT_SECONDS = 5;

  /** A snapshot with its JSON, serialised once for every reader. */
  public record Computed(Snapshot snapshot, Buffer json) {}

  private record Key(String siteId, int windowSeconds) {}

  private record Entry(long startedAt, Future<Computed> result) {}

  private final EventStore store;
  private final PulseMetrics metrics;
  private final Clock clock;
  private final long tickMillis;
  private final Map<Key, Entry> cache = new ConcurrentHashMap<>();
  private final AtomicLong computations = new AtomicLong();

  public SnapshotService(EventStore store, Clock clock, long tickMillis, PulseMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    metrics.counter("pulse_snapshot_computations", "snapshots computed", computations,
        AtomicLong::get);
    this.clock = clock;
    this.tickMillis = tickMillis;
  }

  /** The snapshot of this tick, computing it if no reader has yet. */
  public Future<Computed> current(String siteId, int windowSeconds) {
    return since(siteId, windowSeconds, clock.millis() - tickMillis + 1);
  }

  /**
   * A snapshot computed at or after {@code notBefore} (ms): the cached one if it is that new,
   * otherwise a new computation that later readers share.
   */
  public Future<Computed> since(String siteId, int windowSeconds, long notBefore) {
    Key key = new Key(siteId, windowSeconds);
    long now = clock.millis();
    Entry entry = cache.compute(key, (k, old) -> {
      boolean fresh = old != null && old.startedAt >= notBefore && old.startedAt <= now
          && !old.result.failed();
      return fresh ? old : new Entry(now, compute(k, now));
    });
    return entry.result;
  }

  private Future<Computed> compute(Key key, long now) {
    computations.incrementAndGet();
    WindowQuery query = new WindowQuery(key.siteId(), now, key.windowSeconds());
    // a store that stops answering must not hold readers forever
    return metrics.timeRead(() -> store.window(query)).timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).map(data -> {
      Snapshot snapshot = SnapshotBuilder.build(key.siteId(), query, data);
      return new Computed(snapshot, serialise(snapshot));
    });
  }

  /** Forgets cached snapshots that no reader asked for in the last ticks, so idle sites cost nothing. */
  public void evictIdle() {
    long now = clock.millis();
    cache.values().removeIf(e -> now - e.startedAt > 10 * tickMillis);
  }

  /** How many snapshots were computed since start (the tests and /metrics read it). */
  public long computations() {
    return computations.get();
  }

  public long tickMillis() {
    return tickMillis;
  }

  public static Buffer serialise(Object value) {
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
