package pulse.demo;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pulse.store.EventStore;

/**
 * A past for the demo site, so that its 24-hour chart and its baseline show something at once:
 * the last day, and two days around this time one to four weeks earlier, of active visitors
 * that follow a day's rhythm (quiet at night, busiest in the afternoon, UTC) around today's
 * count. Minutes already recorded are left as they are.
 */
final class DemoHistory {
  private static final long WEEK = 7 * 1440L;
  private static final int BATCH = 500;

  private DemoHistory() {}

  static Future<Void> seed(EventStore store, String site, long nowMillis, long onlineNow,
      Random random) {
    long now = nowMillis / 60_000L;
    List<long[]> ranges = new ArrayList<>();
    ranges.add(new long[] {now - 1440, now - 1});
    for (int w = 1; w <= 4; w++) {
      ranges.add(new long[] {now - w * WEEK - 1440, now - w * WEEK + 1440});
    }
    double scale = Math.max(5, onlineNow) / shape(now);
    List<long[]> points = new ArrayList<>();
    for (long[] r : ranges) {
      for (long m = r[0]; m <= r[1]; m++) {
        long active = Math.round(scale * shape(m) * (0.85 + 0.3 * random.nextDouble()));
        points.add(new long[] {m, active, Math.round(active * 0.6)});
      }
    }
    return write(store, site, points, 0);
  }

  /** A day's rhythm: 0.15 at 03:00 UTC, 1 at 15:00 UTC. */
  static double shape(long minute) {
    double hour = Math.floorMod(minute, 1440L) / 60.0;
    return 0.575 - 0.425 * Math.cos((hour - 3) / 24 * 2 * Math.PI);
  }

  /** In batches, one after another, so that a store is never sent thousands of calls at once. */
  private static Future<Void> write(EventStore store, String site, List<long[]> points, int from) {
    if (from >= points.size()) {
      return Future.succeededFuture();
    }
    List<Future<EventStore.Recorded>> batch = new ArrayList<>();
    for (long[] p : points.subList(from, Math.min(points.size(), from + BATCH))) {
      batch.add(store.recordMinute(site, p[0], p[1], p[2]));
    }
    return Future.all(batch).compose(done -> write(store, site, points, from + BATCH));
  }
}
