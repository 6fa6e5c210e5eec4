package pulse.store;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The active visitors of a window as the visitor cache holds them, oldest last-seen first, with
 * their {@link Breakdowns} already counted: a snapshot reads the counts instead of recounting
 * every visitor, and finds the recently seen ones (presence) at the end of the list.
 */
public final class CountedVisitors extends AbstractList<ActiveVisitor> implements RandomAccess {
  private final ActiveVisitor[] visitors;
  private final Breakdowns breakdowns;

  CountedVisitors(ActiveVisitor[] visitorsBySeen, Breakdowns breakdowns) {
    this.visitors = visitorsBySeen;
    this.breakdowns = breakdowns;
  }

  public Breakdowns breakdowns() {
    return breakdowns;
  }

  /** The visitors last seen at or after {@code since}: a tail of this list. */
  public List<ActiveVisitor> seenSince(long since) {
    int lo = 0;
    int hi = visitors.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (visitors[mid].lastSeen() < since) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return subList(lo, visitors.length);
  }

  @Override
  public ActiveVisitor get(int index) {
    return visitors[index];
  }

  @Override
  public int size() {
    return visitors.length;
  }
}
