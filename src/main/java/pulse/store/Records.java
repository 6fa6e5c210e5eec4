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
  static final int S_ENTRY = 10;
  static final int S_UTM_SOURCE = 11;
  static final int S_UTM_MEDIUM = 12;
  static final int S_UTM_CAMPAIGN = 13;
  static final int S_LAST_ACTIVE = 14;
  static final int S_LEFT = 15;
  static final int S_ENGAGED = 16;
  static final int STATE_FIELDS = 17;

  /** The day-hash field counting one hour's pageviews: pv:00 .. pv:23 (append.lua writes it too). */
  static String hourPageviewsField(int hour) {
    return hour < 10 ? "pv:0" + hour : "pv:" + hour;
  }

  /**
   * A pageview as the window's pageviews set keeps it: id, visitor, path, only what counting
   * them needs (append.lua and window.lua read the path as the third field).
   */
  static String windowMember(Event e) {
    return e.id() + '\t' + e.visitorId() + '\t' + clean(e.path());
  }

  /** A pageview with its details, as the recent set keeps the newest. */
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
    // states written by older versions have fewer fields: the rest take their defaults
    return new ActiveVisitor(visitorId, lastSeen, Long.parseLong(f[S_SESSION_START]), f[S_PATH],
        f[S_REFERRER], f[S_COUNTRY], f[S_BROWSER], f[S_OS], f[S_DEVICE],
        number(f, S_LAST_PAGEVIEW, 0), text(f, S_ENTRY, f[S_PATH]), text(f, S_UTM_SOURCE, ""),
        text(f, S_UTM_MEDIUM, ""), text(f, S_UTM_CAMPAIGN, ""), number(f, S_LAST_ACTIVE, 0),
        number(f, S_LEFT, 0), number(f, S_ENGAGED, -1));
  }

  /** A new session's state (append.lua builds the same), before its first event is applied. */
  static String[] newState(Event e, String day) {
    return new String[] {Long.toString(e.time()), "0", day, e.path(), e.referrer(), e.country(),
        e.browser(), e.os(), e.device(), "0", e.path(), "", "", "", "0", "0", "-1"};
  }

  /** An older state with the fields added since at their defaults. */
  static String[] withDefaults(String[] state) {
    if (state.length >= STATE_FIELDS) {
      return state;
    }
    String[] out = java.util.Arrays.copyOf(state, STATE_FIELDS);
    String[] defaults = {"0", state[S_PATH], "", "", "", "0", "0", "-1"};
    for (int k = state.length; k < STATE_FIELDS; k++) {
      out[k] = defaults[k - S_LAST_PAGEVIEW];
    }
    return out;
  }

  private static long number(String[] f, int index, long otherwise) {
    return f.length > index && !f[index].isEmpty() ? Long.parseLong(f[index]) : otherwise;
  }

  private static String text(String[] f, int index, String otherwise) {
    return f.length > index ? f[index] : otherwise;
  }

  static String clean(String s) {
    if (s == null) {
      return "";
    }
    return s.indexOf('\t') < 0 && s.indexOf('\n') < 0 ? s : s.replace('\t', ' ').replace('\n', ' ');
  }
}
