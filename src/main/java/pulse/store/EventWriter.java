package pulse.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;
import pulse.metrics.PulseMetrics;

/**
 * The write-behind buffer between ingest and the store. Ingest hands it events and answers 202
 * at once; the writer stores them per site in batches of at most {@value SiteQueue#MAX_BATCH}
 * (one script call per batch). A visitor's events are stored in order: a busy site has up to
 * {@value SiteQueue#MAX_WRITES} writes in flight, each of visitors the others do not hold
 * ({@link SiteQueue}), so that building and sending one batch overlaps the store running
 * another. When the store is unreachable the events wait here, bounded, and are written in order
 * when it returns; they keep their original times. Full means full: {@link #offer} refuses, and
 * ingest answers 503.
 */
public final class EventWriter {
  private static final Logger LOG = Logger.getLogger(EventWriter.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final EventStore store;
  private final Context context;
  private final int capacity;
  private final Consumer<String> onStored;
  private final PulseMetrics metrics;
  private final RetryTimer retryTimer;

  // guarded by this
  private final Map<String, SiteQueue> sites = new HashMap<>();
  /** sites that can write, each at most once ({@link SiteQueue#listed}) */
  private final ArrayDeque<String> ready = new ArrayDeque<>();
  private int buffered;
  private boolean drainScheduled;

  // on the writer's context only
  private long backoffMillis;
  private boolean retryScheduled;
  private final List<Promise<Void>> flushWaiters = new ArrayList<>();

  /** An offer was refused for room and no write has made room since. */
  private volatile boolean refusing;
  private volatile boolean storeDown;
  private volatile String lastError;
  private volatile long written;

  /** Runs the retry after a failed write once the backoff has passed. */
  interface RetryTimer {
    void schedule(long delayMillis, Runnable retry);
  }

  public EventWriter(Vertx vertx, EventStore store, int capacity, Consumer<String> onStored,
      PulseMetrics metrics) {
    this(vertx, store, capacity, onStored, metrics, null);
  }

  /** {@code retryTimer}: null for a Vert.x timer; tests pass one that records the delays. */
  EventWriter(Vertx vertx, EventStore store, int capacity, Consumer<String> onStored,
      PulseMetrics metrics, RetryTimer retryTimer) {
    this.store = store;
    this.metrics = metrics;
    this.context = vertx.getOrCreateContext();
    this.capacity = capacity;
    this.onStored = onStored;
    this.retryTimer = retryTimer != null ? retryTimer
        : (delay, retry) -> context.owner().setTimer(delay, t -> retry.run());
  }

  /** Takes all of these events or none (when the buffer cannot hold them all). */
  public boolean offer(Map<String, List<Event>> bySite) {
    int count = 0;
    for (List<Event> events : bySite.values()) {
      count += events.size();
    }
    synchronized (this) {
      if (buffered + count > capacity) {
        // full until a write makes room; an offer larger than the whole buffer fills nothing
        if (buffered > 0) {
          refusing = true;
        }
        return false;
      }
      buffered += count;
      bySite.forEach((siteId, events) -> {
        SiteQueue queue = sites.computeIfAbsent(siteId, s -> new SiteQueue());
        queue.add(events);
        list(siteId, queue, false);
      });
    }
    scheduleDrain();
    return true;
  }

  /**
   * Drains on the writer's context, once for any number of calls before it runs. (Never drains
   * in place: a store that completes at once, like the embedded one, would recurse per batch.)
   */
  private void scheduleDrain() {
    synchronized (this) {
      if (drainScheduled) {
        return;
      }
      drainScheduled = true;
    }
    context.runOnContext(v -> drain());
  }

  private void drain() {
    synchronized (this) {
      drainScheduled = false;
    }
    if (retryScheduled) {
      return; // backing off after a failure: the retry timer drains
    }
    while (true) {
      String siteId;
      List<Event> batch;
      synchronized (this) {
        siteId = ready.poll();
        if (siteId == null) {
          break;
        }
        SiteQueue queue = sites.get(siteId);
        if (queue == null) {
          continue; // cannot happen: a listed site has events waiting, so it is never forgotten
        }
        queue.listed = false;
        if (!queue.canWrite()) {
          continue;
        }
        batch = queue.take();
        // another write of the same site goes after the other sites' next ones
        list(siteId, queue, false);
      }
      if (!batch.isEmpty()) {
        write(siteId, batch);
      }
    }
  }

  private void write(String siteId, List<Event> batch) {
    metrics.timeWrite(() -> store.append(siteId, batch)).onComplete(ar -> {
      if (ar.succeeded()) {
        written += batch.size();
        backoffMillis = 0;
        if (storeDown) {
          storeDown = false;
          LOG.info("store reachable again; writing buffered events");
        }
        synchronized (this) {
          buffered -= batch.size();
          refusing = false;
          SiteQueue queue = sites.get(siteId);
          queue.stored(batch);
          if (queue.idle()) {
            sites.remove(siteId);
          } else {
            list(siteId, queue, false);
          }
        }
        onStored.accept(siteId);
        scheduleDrain();
        notifyFlushWaiters();
      } else {
        synchronized (this) {
          // retried as it was, before the site's other events; this site goes first
          SiteQueue queue = sites.get(siteId);
          queue.failed(batch);
          list(siteId, queue, true);
        }
        lastError = ar.cause().getMessage();
        if (!storeDown) {
          storeDown = true;
          LOG.warning("store unavailable (" + lastError + "); buffering events");
        }
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis == 0 ? 100 : backoffMillis * 2);
        if (!retryScheduled) {
          retryScheduled = true;
          retryTimer.schedule(backoffMillis, () -> {
            retryScheduled = false;
            drain();
          });
        }
      }
    });
  }

  /** Puts a site that can write on the ready list, unless it is there already. Holds the lock. */
  private void list(String siteId, SiteQueue queue, boolean first) {
    if (queue.listed || !queue.canWrite()) {
      return;
    }
    queue.listed = true;
    if (first) {
      ready.addFirst(siteId);
    } else {
      ready.add(siteId);
    }
  }

  /** Completes when every buffered event is stored, or fails after the timeout. */
  public Future<Void> flush(long timeoutMillis) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (buffered() == 0) {
        done.tryComplete();
        return;
      }
      flushWaiters.add(done);
      context.owner().setTimer(timeoutMillis, t -> done.tryFail(
          "flush timed out with " + buffered() + " events still buffered"));
    });
    return done.future();
  }

  private void notifyFlushWaiters() {
    if (!flushWaiters.isEmpty() && buffered() == 0) {
      flushWaiters.forEach(Promise::tryComplete);
      flushWaiters.clear();
    }
  }

  public synchronized int buffered() {
    return buffered;
  }

  /**
   * Whether the buffer counts as full: it refused an offer and no write has stored anything since.
   * Ingest then refuses a request before parsing it (it would be refused after), so that a burst
   * does not spend on refused requests the time the writes need.
   */
  public boolean refusing() {
    return refusing;
  }

  public int capacity() {
    return capacity;
  }

  public boolean storeDown() {
    return storeDown;
  }

  public String lastError() {
    return lastError;
  }

  public long written() {
    return written;
  }
}
