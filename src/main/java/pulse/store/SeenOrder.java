package pulse.store;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Visitors in last-seen order (then by id), in arrays: a changed visitor leaves a gap where it
 * was and is appended at the end, as it is almost always the newest (seen now), so a change costs
 * a search and a store instead of two red-black tree updates, and listing a window's visitors is
 * a copy of a stretch of one array instead of a walk of ten thousand tree nodes. A visitor seen
 * earlier than the newest (another instance's clock behind this one's) is put in its place by
 * moving the few after it. A gap keeps its time and id, so the order stays searchable; gaps are
 * squeezed out when the arrays fill, and arrays grown for a flood of visitors shrink then or at
 * the next full read. Not thread-safe.
 */
final class SeenOrder {
  private static final int INITIAL = 64;
  private ActiveVisitor[] visitors = new ActiveVisitor[INITIAL];
  private long[] seen = new long[INITIAL];
  private String[] ids = new String[INITIAL];
  /** The first slot in use and one past the last. */
  private int head;
  private int tail;
  private int size;

  int size() {
    return size;
  }

  /** Empties it, letting go of arrays grown for more visitors than it now holds. */
  void clear() {
    if (visitors.length > INITIAL) {
      visitors = new ActiveVisitor[INITIAL];
      seen = new long[INITIAL];
      ids = new String[INITIAL];
    } else {
      Arrays.fill(visitors, head, tail, null);
      Arrays.fill(ids, head, tail, null);
    }
    head = 0;
    tail = 0;
    size = 0;
  }

  void add(ActiveVisitor v) {
    if (tail == visitors.length) {
      makeRoom();
    }
    int at = tail;
    if (tail > head && compare(tail - 1, v.lastSeen(), v.visitorId()) > 0) {
      at = search(v.lastSeen(), v.visitorId());
      int after = tail - at;
      System.arraycopy(visitors, at, visitors, at + 1, after);
      System.arraycopy(seen, at, seen, at + 1, after);
      System.arraycopy(ids, at, ids, at + 1, after);
    }
    visitors[at] = v;
    seen[at] = v.lastSeen();
    ids[at] = v.visitorId();
    tail++;
    size++;
  }

  /** Takes out the visitor held as {@code v} (the same last seen and id). */
  void remove(ActiveVisitor v) {
    // a gap may hold the same time and id (the visitor changed without being seen later)
    for (int at = search(v.lastSeen(), v.visitorId());
        at < tail && compare(at, v.lastSeen(), v.visitorId()) == 0; at++) {
      if (visitors[at] != null) {
        visitors[at] = null;
        size--;
        while (head < tail && visitors[head] == null) {
          ids[head] = null;
          head++;
        }
        return;
      }
    }
  }

  /** The oldest visitor, or null when none is held. */
  ActiveVisitor first() {
    return size == 0 ? null : visitors[head];
  }

  /** The visitors last seen in [from, to), oldest first. */
  void forEachSeen(long from, long to, Consumer<ActiveVisitor> action) {
    for (int i = atOrAfter(from), end = atOrAfter(to); i < end; i++) {
      if (visitors[i] != null) {
        action.accept(visitors[i]);
      }
    }
  }

  /** The visitors last seen in [from, to), oldest first, copied out. */
  ActiveVisitor[] seen(long from, long to) {
    int start = atOrAfter(from);
    int end = atOrAfter(to);
    ActiveVisitor[] out = new ActiveVisitor[end - start];
    int n = 0;
    for (int i = start; i < end; i++) {
      if (visitors[i] != null) {
        out[n++] = visitors[i];
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** The first slot whose visitor (or gap) was last seen at or after {@code time}. */
  private int atOrAfter(long time) {
    int lo = head;
    int hi = tail;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (seen[mid] < time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first slot at or after ({@code time}, {@code id}) in last-seen, then id order. */
  private int search(long time, String id) {
    int lo = head;
    int hi = tail;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(mid, time, id) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int compare(int slot, long time, String id) {
    int c = Long.compare(seen[slot], time);
    return c != 0 ? c : ids[slot].compareTo(id);
  }

  /**
   * Squeezes the gaps out to the front, growing the arrays when they are over half full and
   * shrinking them when under an eighth (a flood's visitors have gone).
   */
  private void makeRoom() {
    int capacity = visitors.length;
    if (size + 1 > capacity / 2) {
      capacity *= 2;
    } else {
      while (capacity > INITIAL && size < capacity / 8) {
        capacity /= 2;
      }
    }
    ActiveVisitor[] v = new ActiveVisitor[capacity];
    long[] s = new long[capacity];
    String[] d = new String[capacity];
    int n = 0;
    for (int i = head; i < tail; i++) {
      if (visitors[i] != null) {
        v[n] = visitors[i];
        s[n] = seen[i];
        d[n] = ids[i];
        n++;
      }
    }
    visitors = v;
    seen = s;
    ids = d;
    head = 0;
    tail = n;
  }
}
