package pulse.realtime;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pulse.store.EventStore;
import pulse.store.MinutePoint;

/**
 * Reads a minute's {@link Baseline} from the history: the same minute 1 to 4 weeks earlier. A
 * baseline changes once a minute, so each site's is read once a minute however many snapshots ask
 * (a few sites' are held; the oldest goes first).
 */
public final class BaselineReader {
  public static final long WEEK_MINUTES = 7 * 1440L;
  private static final int HELD = 4096;

  private final EventStore store;
  private final Map<String, Held> held = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
      return size() > HELD;
    }
  };

  private record Held(long minute, Future<Baseline> baseline) {}

  public BaselineReader(EventStore store) {
    this.store = store;
  }

  /** The baseline of an epoch minute (without a ratio). A failed read is not held. */
  public Future<Baseline> at(String siteId, long minute) {
    synchronized (held) {
      Held h = held.get(siteId);
      if (h != null && h.minute() == minute) {
        return h.baseline();
      }
      Future<Baseline> read = read(siteId, minute);
      held.put(siteId, new Held(minute, read));
      read.onFailure(err -> {
        synchronized (held) {
          held.remove(siteId);
        }
      });
      return read;
    }
  }

  private Future<Baseline> read(String siteId, long minute) {
    List<Future<List<MinutePoint>>> weeks = new ArrayList<>();
    for (int w = 1; w <= 4; w++) {
      long m = minute - w * WEEK_MINUTES;
      weeks.add(store.history(siteId, m, m));
    }
    return Future.all(weeks).map(all -> {
      MinutePoint[] points = new MinutePoint[4];
      for (int w = 0; w < 4; w++) {
        List<MinutePoint> got = all.resultAt(w);
        points[w] = got.isEmpty() ? null : got.get(0);
      }
      return of(points);
    });
  }

  /** The baseline of the same minute 1 to 4 weeks earlier (null: not recorded). */
  static Baseline of(MinutePoint[] weeksEarlier) {
    MinutePoint weekAgo = weeksEarlier[0];
    Double median = null;
    if (Arrays.stream(weeksEarlier).allMatch(p -> p != null)) {
      long[] active = Arrays.stream(weeksEarlier).mapToLong(MinutePoint::activeVisitors).sorted()
          .toArray();
      median = (active[1] + active[2]) / 2.0;
    }
    return new Baseline(weekAgo == null ? null : weekAgo.activeVisitors(),
        weekAgo == null ? null : weekAgo.present(), median, null);
  }
}
