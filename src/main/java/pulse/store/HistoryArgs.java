package pulse.store;

import java.util.List;

/**
 * The arguments of history.lua, by name. The script reads them by position; it declares the same
 * names and numbers in its table {@code ARG}, and HistoryArgsTest checks that the two agree.
 */
final class HistoryArgs {
  /** Positions in ARGV (1-based, as Lua counts). */
  static final class Arg {
    /** "record" or "peek". */
    static final int MODE = 1;
    static final int MINUTE = 2;
    /** The minute's slot in its day (0 to 1439). */
    static final int SLOT = 3;
    static final int ACTIVE = 4;
    static final int PRESENT = 5;
    /** Seconds the day's key is kept from now: to {@link HistorySlots#KEEP_DAYS} after the day. */
    static final int TTL = 6;

    private Arg() {}
  }

  static final int COUNT = 6;

  private HistoryArgs() {}

  static List<String> of(boolean record, long minute, long active, long present, long nowMillis) {
    String[] args = new String[COUNT];
    args[Arg.MODE - 1] = record ? "record" : "peek";
    args[Arg.MINUTE - 1] = Long.toString(minute);
    args[Arg.SLOT - 1] = Integer.toString(HistorySlots.slot(minute));
    args[Arg.ACTIVE - 1] = Long.toString(active);
    args[Arg.PRESENT - 1] = Long.toString(present);
    args[Arg.TTL - 1] =
        Long.toString(Math.max(60, HistorySlots.expireAtSeconds(minute) - nowMillis / 1000));
    return List.of(args);
  }
}
