package pulse.store;

import java.util.List;

/**
 * One pageview of a window: who saw which page when. A filtered snapshot counts the pageviews of
 * its visitors from these.
 */
public record WindowPageview(String visitorId, String path, long time) {
  /** From a member of a pageviews set (the embedded store's, or Redis's before logs): id, visitor, path. */
  static WindowPageview of(String member, long time) {
    int a = member.indexOf('\t');
    int b = member.indexOf('\t', a + 1);
    int c = member.indexOf('\t', b + 1);
    return new WindowPageview(member.substring(a + 1, b),
        member.substring(b + 1, c < 0 ? member.length() : c), time);
  }

  /**
   * Adds the pageviews of one second's log ({@link Records#pageviewLine}) whose times are in
   * [{@code from}, {@code to}], in time order (a log holds its lines in the order they were
   * stored).
   */
  static void fromLog(long second, String log, long from, long to, List<WindowPageview> out) {
    int first = out.size();
    long base = second * 1000;
    int at = 0;
    while (at < log.length()) {
      int a = log.indexOf('\t', at);
      int b = log.indexOf('\t', a + 1);
      int end = log.indexOf('\n', b + 1);
      if (a < 0 || b < 0 || end < 0) {
        break; // (a log is written whole lines at a time)
      }
      long time = base + Integer.parseInt(log, at, a, 10);
      if (time >= from && time <= to) {
        out.add(new WindowPageview(log.substring(a + 1, b), log.substring(b + 1, end), time));
      }
      at = end + 1;
    }
    out.subList(first, out.size()).sort((x, y) -> Long.compare(x.time(), y.time()));
  }
}
