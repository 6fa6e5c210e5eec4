package pulse.store;

/**
 * One pageview of a window as the window's sorted set keeps it: who saw which page when. A
 * filtered snapshot counts the pageviews of its visitors from these.
 */
public record WindowPageview(String id, String visitorId, String path, long time) {
  /** From a member of the pageviews set: id, visitor and path first, tab-separated. */
  static WindowPageview of(String member, long time) {
    int a = member.indexOf('\t');
    int b = member.indexOf('\t', a + 1);
    int c = member.indexOf('\t', b + 1);
    return new WindowPageview(member.substring(0, a), member.substring(a + 1, b),
        member.substring(b + 1, c < 0 ? member.length() : c), time);
  }
}
