package pulse.store;

import java.util.ArrayList;
import java.util.List;

/**
 * How a day of history is laid out, in Redis (history.lua writes it) and in the embedded store
 * alike: 1,440 slots of 11 bytes, four unsigned 22-bit numbers each, big-endian, one after
 * another: active visitors plus one (0 marks a minute nobody recorded, so a quiet minute is told
 * apart from a missing one), present, pageviews, events. Figures saturate at 4,194,303 a minute.
 * 11 bytes and not 12: a day is then 15,840 bytes, which Redis's allocator holds in a 16 KiB
 * block; 17,280 would take a 20 KiB one.
 */
public final class HistorySlots {
  public static final int SLOT_BYTES = 11;
  public static final int MINUTES_PER_DAY = 1440;
  public static final int DAY_BYTES = SLOT_BYTES * MINUTES_PER_DAY;
  /** Days of history kept after the day itself ends. */
  public static final int KEEP_DAYS = 31;
  static final long MAX = (1L << 22) - 1;

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
    // two 44-bit halves: active and present, pageviews and events
    long first = (clamp(p.activeVisitors() + 1) << 22) | clamp(p.present());
    long second = (clamp(p.pageviews()) << 22) | clamp(p.events());
    for (int k = 0; k < 5; k++) {
      day[at + k] = (byte) (first >>> (36 - 8 * k));
      day[at + 6 + k] = (byte) (second >>> (32 - 8 * k));
    }
    day[at + 5] = (byte) (((first & 0xf) << 4) | (second >>> 40));
  }

  /** The bytes of one slot as history.lua returns a slot it found recorded. */
  static MinutePoint decode(byte[] slot, long minute) {
    return read(slot, -slot(minute) * SLOT_BYTES, minute);
  }

  /** The point recorded in a minute's slot of a day's bytes, or null when none is. */
  static MinutePoint read(byte[] day, int dayOffset, long minute) {
    int at = dayOffset + slot(minute) * SLOT_BYTES;
    if (day == null || at + SLOT_BYTES > day.length) {
      return null;
    }
    long first = 0;
    long second = 0;
    for (int k = 0; k < 5; k++) {
      first = (first << 8) | (day[at + k] & 0xffL);
      second = (second << 8) | (day[at + 6 + k] & 0xffL);
    }
    int middle = day[at + 5] & 0xff;
    first = (first << 4) | (middle >>> 4);
    second = ((long) (middle & 0xf) << 40) | second;
    long active = first >>> 22;
    if (active == 0) {
      return null;
    }
    return new MinutePoint(minute, active - 1, first & MAX, second >>> 22, second & MAX);
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

  private static long clamp(long value) {
    return Math.max(0, Math.min(MAX, value));
  }
}
