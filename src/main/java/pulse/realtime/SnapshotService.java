package pulse.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>The cache is bounded by what Pulse decides, not by what clients ask: at most
 * {@link #MAX_WINDOWS_PER_SITE} windows per site are held (the least recently read goes first), and
 * sites come only from the sites file. A client sweeping every window from 1 s to an hour costs
 * computations (which the per-address read limit bounds), never memory.
 */
public final class SnapshotService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long READ_TIMEOUT_SECONDS = 5;

  /** A snapshot with its JSON, serialised once for every reader. */
  public record Computed(Snapshot snapshot, Buffer json) {}

  /** More distinct windows than any dashboard, poller and compatible API use together. */
  public static final int MAX_WINDOWS_PER_SITE = 32;

  private record Key(String siteId, int windowSeconds) {}

  private record Entry(long startedAt, Future<Computed> result) {}

  /** One site's snapshots by window, least recently read first. */
  private static final class SiteSnapshots extends LinkedHashMap<Integer, Entry> {
    SiteSnapshots() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Entry> eldest) {
      return size() > MAX_WINDOWS_PER_SITE;
    }
  }

  private final EventStore store;
  private final PulseMetrics metrics;
  private final Clock clock;
  private final long tickMillis;
  private final Map<String, SiteSnapshots> cache = new ConcurrentHashMap<>();
  /** The windows whose snapshots list every active visitor's session. */
  private final Set<Integer> sessionWindows = ConcurrentHashMap.newKeySet();
  private final AtomicLong computations = new AtomicLong();

  public SnapshotService(EventStore store, Clock clock, long tickMillis, PulseMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    metrics.counter("pulse_snapshot_computations", "snapshots computed", computations,
        AtomicLong::get);
    this.clock = clock;
    this.tickMillis = tickMillis;
  }

  /**
   * Snapshots of this window list every active visitor's session ({@link Snapshot#sessions()}),
   * for a mapping that lists sessions; a compatible API asks for it when it is mounted. Other
   * windows leave them out: a cached snapshot then holds its figures only, nothing per visitor,
   * so the {@link #MAX_WINDOWS_PER_SITE} windows a client can make Pulse hold stay small.
   */
  public void retainSessionsFor(int windowSeconds) {
    sessionWindows.add(windowSeconds);
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
    long now = clock.millis();
    SiteSnapshots site = cache.computeIfAbsent(siteId, id -> new SiteSnapshots());
    Entry entry;
    synchronized (site) {
      entry = site.get(windowSeconds);
      boolean fresh = entry != null && entry.startedAt >= notBefore && entry.startedAt <= now
          && !entry.result.failed();
      if (!fresh) {
        entry = new Entry(now, compute(new Key(siteId, windowSeconds), now));
        site.put(windowSeconds, entry);
      }
    }
    return entry.result;
  }

  private Future<Computed> compute(Key key, long now) {
    computations.incrementAndGet();
    WindowQuery query = new WindowQuery(key.siteId(), now, key.windowSeconds());
    // a store that stops answering must not hold readers forever
    return metrics.timeRead(() -> store.window(query)).timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).map(data -> {
      Snapshot snapshot = SnapshotBuilder.build(key.siteId(), query, data,
          sessionWindows.contains(key.windowSeconds()));
      return new Computed(snapshot, serialise(snapshot));
    });
  }

  /** Forgets cached snapshots that no reader asked for in the last ticks, so idle sites cost nothing. */
  public void evictIdle() {
    long now = clock.millis();
    cache.values().removeIf(site -> {
      synchronized (site) {
        site.values().removeIf(e -> now - e.startedAt > 10 * tickMillis);
        return site.isEmpty();
      }
    });
  }

  /** How many snapshots are held for one site (at most {@link #MAX_WINDOWS_PER_SITE}). */
  public int cachedWindows(String siteId) {
    SiteSnapshots site = cache.get(siteId);
    if (site == null) {
      return 0;
    }
    synchronized (site) {
      return site.size();
    }
  }

  /** How many visitor sessions the cached snapshots of one site hold, all windows together. */
  public long heldSessions(String siteId) {
    SiteSnapshots site = cache.get(siteId);
    if (site == null) {
      return 0;
    }
    long n = 0;
    synchronized (site) {
      for (Entry e : site.values()) {
        if (e.result.succeeded()) {
          n += e.result.result().snapshot().sessions().size();
        }
      }
    }
    return n;
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
