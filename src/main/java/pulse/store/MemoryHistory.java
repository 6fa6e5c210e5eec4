package pulse.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One site's history in the embedded store: a day's bytes laid out as in Redis
 * ({@link HistorySlots}), kept {@link HistorySlots#KEEP_DAYS} days after the day. Every method
 * holds the lock.
 */
final class MemoryHistory {
  /** epoch day (first minute of the day / 1440) → the day's 15,840 bytes. */
  private final TreeMap<Long, byte[]> days = new TreeMap<>();

  synchronized boolean record(MinutePoint point, long nowMillis) {
    forgetBefore(nowMillis);
    byte[] day = days.computeIfAbsent(dayOf(point.minute()), d -> new byte[HistorySlots.DAY_BYTES]);
    if (HistorySlots.read(day, 0, point.minute()) != null) {
      return false;
    }
    HistorySlots.write(day, point);
    return true;
  }

  synchronized MinutePoint at(long minute) {
    return HistorySlots.read(days.get(dayOf(minute)), 0, minute);
  }

  synchronized List<MinutePoint> between(long fromMinute, long toMinute) {
    List<MinutePoint> out = new ArrayList<>();
    for (Map.Entry<Long, byte[]> day : days.subMap(dayOf(fromMinute), true, dayOf(toMinute), true)
        .entrySet()) {
      long first = Math.max(fromMinute, day.getKey() * HistorySlots.MINUTES_PER_DAY);
      long last = Math.min(toMinute, (day.getKey() + 1) * HistorySlots.MINUTES_PER_DAY - 1);
      for (long m = first; m <= last; m++) {
        MinutePoint p = HistorySlots.read(day.getValue(), 0, m);
        if (p != null) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** Copies of the days held (epoch day → bytes), for saving. */
  synchronized Map<Long, byte[]> days() {
    Map<Long, byte[]> copy = new TreeMap<>();
    days.forEach((d, b) -> copy.put(d, b.clone()));
    return copy;
  }

  /** Puts back a saved day (a restart); a day of the wrong size is skipped. */
  synchronized void restore(long epochDay, byte[] bytes) {
    if (bytes.length == HistorySlots.DAY_BYTES) {
      days.put(epochDay, bytes.clone());
    }
  }

  private void forgetBefore(long nowMillis) {
    long today = dayOf(nowMillis / 60_000L);
    days.headMap(today - HistorySlots.KEEP_DAYS).clear();
  }

  static long dayOf(long minute) {
    return Math.floorDiv(minute, (long) HistorySlots.MINUTES_PER_DAY);
  }
}
