package pulse.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One site's events waiting for the store, and its writes in flight. A visitor's events are
 * stored in the order they came (their session, path and presence depend on it), so a batch never
 * holds a visitor that a write in flight holds: one write in flight takes the head of the queue;
 * while it is out, further writes (up to {@link #MAX_WRITES}) take the waiting events of the other
 * visitors, and a held visitor's events wait, in order, for their write to come back. Different
 * visitors' writes commute (counts add up, sets take members, the trims go by time), so the store
 * may run them in any order.
 *
 * <p>A site that one write keeps up with gets no second one: with fewer than {@link
 * #PARALLEL_FROM} events waiting they wait for the write in flight and go together, one script
 * call rather than several.
 *
 * <p>A failed write is retried as it was, events neither added nor taken away, before anything
 * else of the site: the store may have stored it and lost only the reply, and it recognises a
 * batch it holds by the batch's events ({@link AppendArgs#batchId}). Its visitors stay held
 * meanwhile, so none of their later events goes first. Not thread-safe: {@link EventWriter}
 * guards it.
 */
final class SiteQueue {
  /** The most events one write stores. */
  static final int MAX_BATCH = 500;
  /** The most writes one site has in flight at once. */
  static final int MAX_WRITES = 4;
  /**
   * Events waiting from which a second write goes out while one is in flight: a whole batch, so
   * that a site one write keeps up with stays at one (each write in flight is one more script the
   * snapshots' reads may wait behind in Redis, and smaller batches cost Redis more per event).
   */
  static final int PARALLEL_FROM = MAX_BATCH;
  /** How far into the queue one batch looks past held visitors' events. */
  private static final int SCAN_LIMIT = 4 * MAX_BATCH;

  private final ArrayDeque<Event> waiting = new ArrayDeque<>();
  /** failed writes, oldest first, each to be retried whole; their visitors stay held */
  private final ArrayDeque<List<Event>> failedBatches = new ArrayDeque<>();
  /** visitor id -> how many writes in flight hold its events */
  private final Map<String, Integer> visitorsInFlight = new HashMap<>();
  private int writesInFlight;
  /** every waiting event within reach belongs to a held visitor: wait for a write to return */
  private boolean blocked;
  /** on the writer's list of sites that can write (at most once) */
  boolean listed;

  void add(List<Event> events) {
    waiting.addAll(events);
  }

  int writesInFlight() {
    return writesInFlight;
  }

  /** Nothing waits and nothing is in flight: the writer may forget this site. */
  boolean idle() {
    return waiting.isEmpty() && failedBatches.isEmpty() && writesInFlight == 0;
  }

  /** Whether {@link #take} may find a batch now. */
  boolean canWrite() {
    if (!failedBatches.isEmpty()) {
      return writesInFlight < MAX_WRITES;
    }
    if (waiting.isEmpty()) {
      return false;
    }
    if (writesInFlight == 0) {
      return true;
    }
    return writesInFlight < MAX_WRITES && waiting.size() >= PARALLEL_FROM && !blocked;
  }

  /**
   * The next batch, in order, of visitors no write in flight holds, counted as in flight; empty
   * when there is none (then nothing more is tried until a write returns).
   */
  List<Event> take() {
    if (!failedBatches.isEmpty()) {
      // its visitors are still counted as held (see failed)
      writesInFlight++;
      return failedBatches.poll();
    }
    List<Event> batch = new ArrayList<>(Math.min(MAX_BATCH, waiting.size()));
    if (writesInFlight == 0) {
      while (batch.size() < MAX_BATCH && !waiting.isEmpty()) {
        batch.add(waiting.poll());
      }
    } else {
      takeAroundHeldVisitors(batch);
    }
    if (batch.isEmpty()) {
      blocked = true;
      return batch;
    }
    writesInFlight++;
    for (Event event : batch) {
      visitorsInFlight.merge(event.visitorId(), 1, Integer::sum);
    }
    return batch;
  }

  /** A held visitor's events stay where they are, and so do all later ones of that visitor. */
  private void takeAroundHeldVisitors(List<Event> batch) {
    List<Event> left = new ArrayList<>();
    Set<String> skipped = new HashSet<>();
    int looked = 0;
    while (batch.size() < MAX_BATCH && looked < SCAN_LIMIT && !waiting.isEmpty()) {
      Event event = waiting.poll();
      looked++;
      String visitor = event.visitorId();
      if (visitorsInFlight.containsKey(visitor) || skipped.contains(visitor)) {
        skipped.add(visitor);
        left.add(event);
      } else {
        batch.add(event);
      }
    }
    for (int i = left.size() - 1; i >= 0; i--) {
      waiting.addFirst(left.get(i));
    }
  }

  /** A write of {@link #take}'s batch is stored. */
  void stored(List<Event> batch) {
    release(batch);
  }

  /**
   * A write failed: the batch goes again as it was before anything else of the site, and its
   * visitors stay held until it is stored, so that none of their later events goes first.
   */
  void failed(List<Event> batch) {
    writesInFlight--;
    blocked = false;
    failedBatches.add(batch);
  }

  private void release(List<Event> batch) {
    writesInFlight--;
    blocked = false;
    for (Event event : batch) {
      visitorsInFlight.computeIfPresent(event.visitorId(), (v, n) -> n == 1 ? null : n - 1);
    }
  }
}
