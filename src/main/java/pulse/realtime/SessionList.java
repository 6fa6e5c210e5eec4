package pulse.realtime;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import pulse.store.ActiveVisitor;
import pulse.store.CountedVisitors;

/**
 * A snapshot's sessions as a view of its active visitors: a session is made when a mapping reads
 * it, not ten thousand of them per computation whether an Umami or Matomo client asks that tick
 * or not. The visitors are held as the store read them (a visitor cache's list is made for this
 * read and never changes; any other list is copied), so the sessions are those of the snapshot's
 * instant.
 */
final class SessionList extends AbstractList<Snapshot.Session> implements RandomAccess {
  private final List<ActiveVisitor> visitors;

  SessionList(List<ActiveVisitor> visitors) {
    this.visitors = visitors instanceof CountedVisitors ? visitors : List.copyOf(visitors);
  }

  @Override
  public Snapshot.Session get(int index) {
    ActiveVisitor v = visitors.get(index);
    return new Snapshot.Session(v.visitorId(), v.sessionStart(), v.country(), v.browser(),
        v.os(), v.device());
  }

  @Override
  public int size() {
    return visitors.size();
  }
}
