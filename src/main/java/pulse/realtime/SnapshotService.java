package pulse.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import pulse.metrics.PulseMetrics;
import pulse.store.EventStore;
import pulse.store.WindowData;
import pulse.store.WindowPageview;
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
 *
 * <p>Filtered snapshots ({@link SnapshotFilter}) are cached the same way by site, window and
 * filter: one computation per distinct filter per tick, all of a tick's filters of one window
 * built from one shared raw read. A site has at most {@code maxFiltersPerSite} distinct filters
 * read within a minute ({@link #admitFilter}) and holds at most that many filtered snapshots.
 */
public final class SnapshotService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long READ_TIMEOUT_SECONDS = 5;

  /** A snapshot with its JSON, serialised once for every reader. */
  public record Computed(Snapshot snapshot, Buffer json) {}

  /** More distinct windows than any dashboard, poller and compatible API use together. */
  public static final int MAX_WINDOWS_PER_SITE = 32;

  private final EventStore store;
  private final PulseMetrics metrics;
  private final Clock clock;
  private final long tickMillis;
  private final int maxFiltersPerSite;
  private final Map<String, SiteSnapshots> cache = new ConcurrentHashMap<>();
  /** The windows whose snapshots list every active visitor's session. */
  private final Set<Integer> sessionWindows = ConcurrentHashMap.newKeySet();
  private final AtomicLong computations = new AtomicLong();
  /** Computations per site; a site's series appears at its first computation (sites file only). */
  private final Map<String, AtomicLong> siteComputations = new ConcurrentHashMap<>();
  private volatile BaselineReader baselines;
  private volatile java.util.function.Consumer<Snapshot> observer = s -> { };

  public SnapshotService(EventStore store, Clock clock, long tickMillis, int maxFiltersPerSite,
      PulseMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    metrics.counter("pulse_snapshot_computations", "snapshots computed", computations,
        AtomicLong::get);
    this.clock = clock;
    this.tickMillis = tickMillis;
    this.maxFiltersPerSite = maxFiltersPerSite;
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
    return current(siteId, windowSeconds, SnapshotFilter.NONE);
  }

  /** The snapshot of this tick of the visitors the filter matches. */
  public Future<Computed> current(String siteId, int windowSeconds, SnapshotFilter filter) {
    return since(siteId, windowSeconds, filter, clock.millis() - tickMillis + 1);
  }

  /**
   * A snapshot computed at or after {@code notBefore} (ms): the cached one if it is that new,
   * otherwise a new computation that later readers share.
   */
  public Future<Computed> since(String siteId, int windowSeconds, long notBefore) {
    return since(siteId, windowSeconds, SnapshotFilter.NONE, notBefore);
  }

  /** As {@link #since(String, int, long)}, of the visitors the filter matches. */
  public Future<Computed> since(String siteId, int windowSeconds, SnapshotFilter filter,
      long notBefore) {
    long now = clock.millis();
    SiteSnapshots site = site(siteId);
    synchronized (site) {
      if (filter.isNone()) {
        return SiteSnapshots.fresh(site.windows, windowSeconds, notBefore, now,
            () -> new SiteSnapshots.Entry<>(now, compute(siteId, windowSeconds, now))).result();
      }
      site.admission.touch(filter, now);
      return SiteSnapshots.fresh(site.filtered, new SiteSnapshots.Slot(windowSeconds, filter),
          notBefore, now, () -> {
            // a filtered snapshot is as new as the raw read it is built from
            SiteSnapshots.Entry<FilterInput> input = input(site, siteId, windowSeconds,
                notBefore, now);
            return new SiteSnapshots.Entry<>(input.startedAt(), input.result().map(in -> {
              counted(siteId);
              // no mapping lists a filtered snapshot's sessions: it holds nothing per visitor
              return computed(SnapshotBuilder.build(siteId, in.query(),
                  FilteredWindow.of(in.query(), in.window(), in.pageviews(), filter), false));
            }));
          }).result();
    }
  }

  /**
   * Admits a filter for a request: 0 when it may be read, otherwise the seconds to wait, the
   * site having its maximum of distinct filters read within the last minute.
   */
  public long admitFilter(String siteId, SnapshotFilter filter) {
    if (filter.isNone()) {
      return 0;
    }
    SiteSnapshots site = site(siteId);
    synchronized (site) {
      return site.admission.admit(filter, clock.millis());
    }
  }

  public int maxFiltersPerSite() {
    return maxFiltersPerSite;
  }

  private SiteSnapshots site(String siteId) {
    return cache.computeIfAbsent(siteId, id -> new SiteSnapshots(maxFiltersPerSite));
  }

  /** Whole-site snapshots carry the baseline this reader gives for their minute. */
  public void readBaselinesFrom(BaselineReader reader) {
    this.baselines = reader;
  }

  /**
   * Who sees every whole-site snapshot computed (the minute recorder, for the highest count of
   * a minute); called on the computing thread, so it must be quick.
   */
  public void observeComputed(java.util.function.Consumer<Snapshot> observer) {
    this.observer = observer;
  }

  /** Counts a computation, in all and for its site (the series a benchmark of one site reads). */
  private void counted(String siteId) {
    computations.incrementAndGet();
    siteComputations.computeIfAbsent(siteId, id -> {
      AtomicLong n = new AtomicLong();
      metrics.counter("pulse_snapshot_site_computations", "snapshots computed, per site", n,
          AtomicLong::get, "site", id);
      return n;
    }).incrementAndGet();
  }

  private Future<Computed> compute(String siteId, int windowSeconds, long now) {
    counted(siteId);
    WindowQuery query = new WindowQuery(siteId, now, windowSeconds);
    Future<WindowData> data = timed(() -> store.window(query));
    BaselineReader reader = baselines;
    // a baseline that cannot be read leaves the snapshot without one; it never fails it
    Future<Baseline> baseline = reader == null ? Future.succeededFuture(null)
        : reader.at(siteId, Math.floorDiv(now, 60_000L))
            .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .otherwise(Baseline.NONE);
    return Future.all(data, baseline).map(all -> {
      Snapshot snapshot = SnapshotBuilder.build(siteId, query, data.result(),
          sessionWindows.contains(windowSeconds)).withBaseline(baseline.result());
      observer.accept(snapshot);
      return computed(snapshot);
    });
  }

  /** The raw read of a window the filtered snapshots of this tick share; held for a tick only. */
  private SiteSnapshots.Entry<FilterInput> input(SiteSnapshots site, String siteId,
      int windowSeconds, long notBefore, long now) {
    site.inputs.values().removeIf(e -> now - e.startedAt() >= tickMillis);
    return SiteSnapshots.fresh(site.inputs, windowSeconds, notBefore, now, () -> {
      WindowQuery query = new WindowQuery(siteId, now, windowSeconds, WindowQuery.RECENT_KEPT);
      return new SiteSnapshots.Entry<>(now, timed(() -> {
        Future<WindowData> window = store.window(query);
        Future<List<WindowPageview>> pageviews = store.pageviews(query);
        return Future.all(window, pageviews).map(all ->
            new FilterInput(query, window.result(), pageviews.result()));
      }));
    });
  }

  /** A store that stops answering must not hold readers forever. */
  private <T> Future<T> timed(Supplier<Future<T>> read) {
    return metrics.timeRead(read).timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static Computed computed(Snapshot snapshot) {
    return new Computed(snapshot, serialise(snapshot));
  }

  /** Forgets cached snapshots that no reader asked for in the last ticks, so idle sites cost nothing. */
  public void evictIdle() {
    long now = clock.millis();
    cache.values().removeIf(site -> {
      synchronized (site) {
        return site.evict(now, 10 * tickMillis, tickMillis);
      }
    });
  }

  /** How many snapshots are held for one site (at most {@link #MAX_WINDOWS_PER_SITE}). */
  public int cachedWindows(String siteId) {
    return held(siteId, site -> site.windows.size());
  }

  /** How many filtered snapshots are held for one site (at most {@link #maxFiltersPerSite}). */
  public int cachedFilterSnapshots(String siteId) {
    return held(siteId, site -> site.filtered.size());
  }

  /** How many raw reads filtered snapshots share are held for one site (a few, for a tick). */
  public int cachedFilterReads(String siteId) {
    return held(siteId, site -> site.inputs.size());
  }

  private int held(String siteId, ToIntFunction<SiteSnapshots> count) {
    SiteSnapshots site = cache.get(siteId);
    if (site == null) {
      return 0;
    }
    synchronized (site) {
      return count.applyAsInt(site);
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
      List<SiteSnapshots.Entry<Computed>> entries = new ArrayList<>(site.windows.values());
      entries.addAll(site.filtered.values());
      for (SiteSnapshots.Entry<Computed> e : entries) {
        if (e.result().succeeded()) {
          n += e.result().result().snapshot().sessions().size();
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
