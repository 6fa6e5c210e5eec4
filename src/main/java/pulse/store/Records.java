package pulse.store;

/**
 * The tab-separated encodings the stores keep (a Redis member or hash value costs its bytes, so
 * these are far smaller than JSON). The Lua scripts split the same layouts.
 */
final class Records {
  private Records() {}

  /** Visitor state fields, in order. */
  static final int S_SESSION_START = 0;
  static final int S_SESSION_PAGEVIEWS = 1;
  static final int S_SESSION_DAY = 2;
  static final int S_PATH = 3;
  static final int S_REFERRER = 4;
  static final int S_COUNTRY = 5;
  static final int S_BROWSER = 6;
  static final int S_OS = 7;
  static final int S_DEVICE = 8;
  static final int S_LAST_PAGEVIEW = 9;
  static final int STATE_FIELDS = 10;

  /** The day-hash field counting one hour's pageviews: pv:00 .. pv:23 (append.lua writes it too). */
  static String hourPageviewsField(int hour) {
    return hour < 10 ? "pv:0" + hour : "pv:" + hour;
  }

  static String pageviewMember(Event e) {
    return String.join("\t", e.id(), e.visitorId(), clean(e.path()), clean(e.query()),
        clean(e.title()), clean(e.referrer()), clean(e.country()), clean(e.browser()),
        clean(e.os()), clean(e.device()));
  }

  static StoredPageview pageview(String member, long time) {
    String[] f = member.split("\t", -1);
    return new StoredPageview(f[0], f[1], time, f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]);
  }

  static String customEventMember(Event e) {
    return String.join("\t", e.id(), e.visitorId(), clean(e.name()), clean(e.path()),
        clean(e.props()));
  }

  static ActiveVisitor visitor(String visitorId, long lastSeen, String state) {
    String[] f = state.split("\t", -1);
    // states written before the last-pageview field existed have nine fields
    long lastPageview = f.length > S_LAST_PAGEVIEW && !f[S_LAST_PAGEVIEW].isEmpty()
        ? Long.parseLong(f[S_LAST_PAGEVIEW]) : 0;
    return new ActiveVisitor(visitorId, lastSeen, Long.parseLong(f[S_SESSION_START]), f[S_PATH],
        f[S_REFERRER], f[S_COUNTRY], f[S_BROWSER], f[S_OS], f[S_DEVICE], lastPageview);
  }

  static String clean(String s) {
    if (s == null) {
      return "";
    }
    return s.indexOf('\t') < 0 && s.indexOf('\n') < 0 ? s : s.replace('\t', ' ').replace('\n', ' ');
  }
}
