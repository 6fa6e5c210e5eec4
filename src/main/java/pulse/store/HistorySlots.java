package pulse.store;

import java.util.ArrayList;
import java.util.List;

/**
 * How a day of history is laid out, in Redis (history.lua writes it) and in the embedded store
 * alike: 1,440 slots of 12 bytes, four unsigned 24-bit big-endian numbers each: active visitors
 * plus one (0 marks a minute nobody recorded, so a quiet minute is told apart from a missing
 * one), present, pageviews, events. Figures saturate at 16,777,215.
 */
public final class HistorySlots {
  public static final int SLOT_BYTES = 12;
  public static final int MINUTES_PER_DAY = 1440;
  public static final int DAY_BYTES = SLOT_BYTES * MINUTES_PER_DAY;
  /** Days of history kept after the day itself ends. */
  public static final int KEEP_DAYS = 31;
  static final long MAX = 16_777_215L;

  private HistorySlots() {}

  /** The slot of an epoch minute within its UTC day. */
  public static int slot(long minute) {
    return (int) Math.floorMod(minute, (long) MINUTES_PER_DAY);
  }

  /** When the key of the day holding this minute expires (epoch seconds). */
  static long expireAtSeconds(long minute) {
    long dayStartMinute = minute - slot(minute);
    return (dayStartMinute + (KEEP_DAYS + 1L) * MINUTES_PER_DAY) * 60L;
  }

  /** Writes a point into its slot of a day's bytes. */
  static void write(byte[] day, MinutePoint p) {
    int at = slot(p.minute()) * SLOT_BYTES;
    put(day, at, p.activeVisitors() + 1);
    put(day, at + 3, p.present());
    put(day, at + 6, p.pageviews());
    put(day, at + 9, p.events());
  }

  /** The point recorded in a minute's slot of a day's bytes, or null when none is. */
  static MinutePoint read(byte[] day, int dayOffset, long minute) {
    int at = dayOffset + slot(minute) * SLOT_BYTES;
    if (day == null || at + SLOT_BYTES > day.length) {
      return null;
    }
    long active = get(day, at);
    if (active == 0) {
      return null;
    }
    return new MinutePoint(minute, active - 1, get(day, at + 3), get(day, at + 6),
        get(day, at + 9));
  }

  /**
   * The points recorded in [fromMinute, toMinute] of one day, whose bytes from slot
   * {@code slot(fromMinute)} on are {@code bytes} (a range read may return fewer).
   */
  static List<MinutePoint> points(byte[] bytes, long fromMinute, long toMinute) {
    List<MinutePoint> out = new ArrayList<>();
    int first = slot(fromMinute);
    for (long m = fromMinute; m <= toMinute; m++) {
      MinutePoint p = read(bytes, -first * SLOT_BYTES, m);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private static void put(byte[] b, int at, long value) {
    long v = Math.max(0, Math.min(MAX, value));
    b[at] = (byte) (v >>> 16);
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) v;
  }

  private static long get(byte[] b, int at) {
    return ((b[at] & 0xffL) << 16) | ((b[at + 1] & 0xffL) << 8) | (b[at + 2] & 0xffL);
  }
}
