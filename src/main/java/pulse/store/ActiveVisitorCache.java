package pulse.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active visitors of each site as last read from Redis, so that the next snapshot reads only
 * the visitors changed since ({@code append.lua} numbers its batches and lists the visitors each
 * changed in the site's {@code touched} set) instead of all of them: a snapshot of a site with
 * 10,000 active visitors then reads the few hundred that changed in the last second.
 *
 * <p>One state per site, whatever windows are read: it holds the visitors seen within the longest
 * window read so far (its horizon), and each window takes those seen since its start. A cache per
 * window would let a client that asks for many windows hold every active visitor once per window.
 *
 * <p>A full read replaces a site's state at first use, when a longer window than the horizon is
 * read, when the clock or the batch number goes back (the site's keys expired while it was idle),
 * when a flood past the visitor cap made append.lua drop changes the cache has not read, and every
 * {@link #FULL_READ_MILLIS} as a safety net (rarely: a full read of a busy site costs what the rest
 * of ten minutes do).
 *
 * <p>The visitors of a window come back counted ({@link CountedVisitors}): the held visitors keep
 * each recently read window's breakdowns up to date per changed visitor ({@link HeldVisitors}).
 */
final class ActiveVisitorCache {
  static final long FULL_READ_MILLIS = 600_000;
  private static final long IDLE_MILLIS = 120_000;

  /** One site: visitors by id, and when they were read. */
  static final class Entry {
    private final HeldVisitors held = new HeldVisitors();
    /**
     * Visitors first read with a last-seen after the snapshot they were read for: they wait for
     * the first snapshot whose time reaches it.
     */
    private final Map<String, ActiveVisitor> ahead = new HashMap<>();
    private long readAt;
    private long fullAt;
    /** How far back the held visitors reach: the longest window read since the last full read. */
    private long horizonMillis;
    /** The newest batch whose changes the cache holds. */
    private long seq;
    private long usedAt;

    /** Whether the read of {@code windowMillis} at {@code now} must read every visitor. */
    synchronized boolean needsFullRead(long now, long windowMillis) {
      usedAt = now;
      return fullAt == 0 || now < readAt || now - fullAt >= FULL_READ_MILLIS
          || windowMillis > horizonMillis;
    }

    /** How far back a full read at this point must reach: this window, or the horizon if longer. */
    synchronized long fullReadMillis(long windowMillis) {
      return Math.max(windowMillis, horizonMillis);
    }

    /** The visitor as held, or null. */
    synchronized ActiveVisitor heldVisitor(String visitorId) {
      return held.get(visitorId);
    }

    /** The newest batch whose changes the cache holds: read the visitors changed after it. */
    synchronized long seq() {
      return seq;
    }

    /**
     * A full read of the visitors seen in the last {@code spanMillis} before {@code now};
     * {@code seq} is the batch number read before the visitors were. Returns those in [from, now]
     * and those seen after now up to {@code upTo}, the clock when the read came back.
     */
    synchronized List<ActiveVisitor> replaceAll(List<ActiveVisitor> visitors, long seq,
        long spanMillis, long from, long now, long upTo) {
      this.seq = seq;
      held.clear();
      ahead.clear();
      for (ActiveVisitor v : visitors) {
        // a session that started after now was not there at now (see update)
        if (v.lastSeen() > now && v.sessionStart() > now) {
          ahead.put(v.visitorId(), v);
        } else {
          held.put(v);
        }
      }
      horizonMillis = spanMillis;
      readAt = Math.max(readAt, now);
      fullAt = now;
      return inWindow(from, now, upTo);
    }

    /**
     * Applies the visitors read since the last read ({@code null} for one that is gone) and
     * returns those active in [from, now] and after it up to {@code upTo}, the clock when the
     * read came back. A visitor's newer last-seen wins, so two reads that complete out of order
     * cannot bring an older state back.
     *
     * <p>A visitor the cache did not hold, read with a last-seen after {@code now}, was not
     * there at {@code now}: they wait for a later snapshot. The window's pageviews are counted up
     * to {@code now}, so listing them would show a new visitor on a page whose pageview is not
     * counted yet, for one tick. A visitor held is listed with the newest state read (the event
     * replaced the one that put them in the window: leaving them out would make a continuously
     * active visitor blink out of the count), unless their session started after {@code now}:
     * then a newer read, completing before this one, brought them in (see HeldVisitors#window).
     */
    synchronized List<ActiveVisitor> update(Map<String, ActiveVisitor> changed, long seq,
        long from, long now, long upTo) {
      this.seq = Math.max(this.seq, seq);
      if (!ahead.isEmpty()) {
        ahead.values().removeIf(v -> {
          if (v.lastSeen() > now) {
            return false;
          }
          hold(v);
          return true;
        });
      }
      changed.forEach((id, v) -> {
        if (v == null) {
          held.remove(id);
          ahead.remove(id);
        } else if (v.lastSeen() > now && held.get(id) == null) {
          ahead.merge(id, v, (a, b) -> b.lastSeen() >= a.lastSeen() ? b : a);
        } else {
          hold(v);
        }
      });
      readAt = Math.max(readAt, now);
      return inWindow(from, now, upTo);
    }

    /** Holds {@code v} unless a state seen later is held. */
    private void hold(ActiveVisitor v) {
      ActiveVisitor was = held.get(v.visitorId());
      if (was == null || v.lastSeen() >= was.lastSeen()) {
        held.put(v);
      }
    }

    /** The visitors seen in [from, upTo], counted; drops those past the horizon, gone for good. */
    private List<ActiveVisitor> inWindow(long from, long now, long upTo) {
      // no window read here reaches back past the horizon: they would only take up room
      held.dropSeenBefore(now - horizonMillis);
      return held.window(from, now, Math.max(now, upTo));
    }

    synchronized int size() {
      return held.size();
    }
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile long evictedAt;

  Entry entry(String siteId, long now) {
    if (now - evictedAt > IDLE_MILLIS) {
      evictedAt = now;
      entries.values().removeIf(e -> {
        synchronized (e) {
          return now - e.usedAt > IDLE_MILLIS;
        }
      });
    }
    return entries.computeIfAbsent(siteId, k -> new Entry());
  }

  /** How many sites have a state held (one per site, whatever windows were read). */
  int sites() {
    return entries.size();
  }

  /** How many visitors are held across all sites. */
  long visitors() {
    long n = 0;
    for (Entry e : entries.values()) {
      n += e.size();
    }
    return n;
  }
}
