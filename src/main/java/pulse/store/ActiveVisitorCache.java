package pulse.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active visitors of each site and window as last read from Redis, so that the next snapshot
 * reads only the visitors changed since ({@code append.lua} numbers its batches and lists the
 * visitors each changed in the site's {@code touched} set) instead of all of them: a snapshot of a
 * site with 10,000 active visitors then reads the few hundred that changed in the last second.
 *
 * <p>A full read replaces a site's cache at first use, when the clock or the batch number goes
 * back (the site's keys expired while it was idle), when a flood past the visitor cap made
 * append.lua drop changes the cache has not read, and every {@link #FULL_READ_MILLIS} as a
 * safety net (rarely: a full read of a busy site costs what the rest of ten minutes do).
 */
final class ActiveVisitorCache {
  static final long FULL_READ_MILLIS = 600_000;
  private static final long IDLE_MILLIS = 120_000;

  private record Key(String siteId, int windowSeconds) {}

  /** One site and window: visitors by id, and when they were read. */
  static final class Entry {
    private final Map<String, ActiveVisitor> byId = new HashMap<>();
    private long readAt;
    private long fullAt;
    /** The newest batch whose changes the cache holds. */
    private long seq;
    private long usedAt;

    /** Whether the read at {@code now} must read every active visitor. */
    synchronized boolean needsFullRead(long now) {
      usedAt = now;
      return fullAt == 0 || now < readAt || now - fullAt >= FULL_READ_MILLIS;
    }

    /** The newest batch whose changes the cache holds: read the visitors changed after it. */
    synchronized long seq() {
      return seq;
    }

    /** A full read: {@code seq} is the batch number read before the visitors were. */
    synchronized List<ActiveVisitor> replaceAll(List<ActiveVisitor> visitors, long seq, long now) {
      this.seq = seq;
      byId.clear();
      for (ActiveVisitor v : visitors) {
        byId.put(v.visitorId(), v);
      }
      readAt = Math.max(readAt, now);
      fullAt = now;
      return visitors;
    }

    /**
     * Applies the visitors read since the last read ({@code null} for one that is gone) and
     * returns those active in [from, now]. A visitor's newer last-seen wins, so two reads that
     * complete out of order cannot bring an older state back.
     */
    synchronized List<ActiveVisitor> update(Map<String, ActiveVisitor> changed, long seq,
        long from, long now) {
      this.seq = Math.max(this.seq, seq);
      changed.forEach((id, v) -> {
        if (v == null) {
          byId.remove(id);
        } else {
          ActiveVisitor held = byId.get(id);
          if (held == null || v.lastSeen() >= held.lastSeen()) {
            byId.put(id, v);
          }
        }
      });
      readAt = Math.max(readAt, now);
      List<ActiveVisitor> active = new ArrayList<>(byId.size());
      for (Iterator<ActiveVisitor> it = byId.values().iterator(); it.hasNext(); ) {
        ActiveVisitor v = it.next();
        if (v.lastSeen() < from) {
          it.remove(); // the window only moves forward: this visitor is gone for good
        } else if (v.lastSeen() <= now) {
          active.add(v);
        }
      }
      return active;
    }
  }

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private volatile long evictedAt;

  Entry entry(String siteId, int windowSeconds, long now) {
    if (now - evictedAt > IDLE_MILLIS) {
      evictedAt = now;
      entries.values().removeIf(e -> {
        synchronized (e) {
          return now - e.usedAt > IDLE_MILLIS;
        }
      });
    }
    return entries.computeIfAbsent(new Key(siteId, windowSeconds), k -> new Entry());
  }
}
