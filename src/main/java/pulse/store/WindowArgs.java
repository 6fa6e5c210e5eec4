package pulse.store;

import java.util.Arrays;
import java.util.List;

/**
 * The arguments of window.lua, by name. The script reads them by position; it declares the same
 * names and numbers in its table {@code ARG} (= {@link Arg}), and WindowArgsTest checks that the
 * two agree.
 */
final class WindowArgs {
  /** Positions in ARGV (1-based, as Lua counts). */
  static final class Arg {
    static final int PREFIX = 1;
    /** Start of the window (ms). */
    static final int FROM = 2;
    static final int NOW = 3;
    /** How many of the newest pageviews to return. */
    static final int RECENT_LIMIT = 4;
    /** Epoch minute of the per-minute chart's first minute. */
    static final int FIRST_MINUTE = 5;
    static final int MINUTE_COUNT = 6;
    /** yyyyMMdd (UTC). */
    static final int TODAY = 7;
    /** The batch number whose changes the reader holds: the visitors changed after it are read. */
    static final int SINCE_SEQ = 8;

    private Arg() {}
  }

  /** How many arguments the script takes. */
  static final int COUNT = 8;

  private WindowArgs() {}

  /**
   * ARGV for one window of a site ({@code prefix}: the site's key prefix) and the visitors
   * changed after batch {@code sinceSeq} (negative: none read).
   */
  static List<String> of(String prefix, WindowQuery q, long sinceSeq) {
    String[] args = new String[COUNT];
    args[Arg.PREFIX - 1] = prefix;
    args[Arg.FROM - 1] = Long.toString(q.from());
    args[Arg.NOW - 1] = Long.toString(q.now());
    args[Arg.RECENT_LIMIT - 1] = Integer.toString(q.recentLimit());
    args[Arg.FIRST_MINUTE - 1] = Long.toString(q.firstMinute());
    args[Arg.MINUTE_COUNT - 1] = Integer.toString(q.minuteCount());
    args[Arg.TODAY - 1] = q.today();
    args[Arg.SINCE_SEQ - 1] = sinceSeq < 0 ? "" : Long.toString(sinceSeq);
    return List.of(args);
  }
}
