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

  /** A pageview by its id, visitor and path: within a batch, one that comes twice counts once. */
  static String windowMember(Event e) {
    return e.id() + '\t' + e.visitorId() + '\t' + clean(e.path());
  }

  /**
   * Appends a pageview's line of its second's log ({@code pvlog:<second>}): the milliseconds
   * within the second, the visitor and the path (clean), tab-separated, ending in a newline.
   * window.lua and {@link WindowPageview#fromLog} read it.
   */
  static void pageviewLine(StringBuilder log, long time, String visitorId, String path) {
    log.append(Math.floorMod(time, 1000L)).append('\t').append(visitorId).append('\t')
        .append(path).append('\n');
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
    return visitor(visitorId, lastSeen, state, null);
  }

  /**
   * A visitor from its state; a field equal to what {@code was} (the same visitor as read
   * before, or null) holds is taken from it rather than copied out of the state again. Most of a
   * changed visitor's fields are as they were (its referrer, country, browser and campaign stay
   * with the session), so reading one allocates little, and counting it
   * ({@link BreakdownCounter#replace}) finds the unchanged fields by reference.
   */
  static ActiveVisitor visitor(String visitorId, long lastSeen, String state, ActiveVisitor was) {
    // the fields' bounds: field k is [bounds[2k], bounds[2k + 1])
    int[] bounds = new int[2 * STATE_FIELDS];
    int fields = 0;
    int start = 0;
    while (fields < STATE_FIELDS) {
      int tab = state.indexOf('\t', start);
      int end = tab < 0 ? state.length() : tab;
      bounds[2 * fields] = start;
      bounds[2 * fields + 1] = end;
      fields++;
      if (tab < 0) {
        break;
      }
      start = tab + 1;
    }
    if (fields <= S_DEVICE) {
      throw new IllegalArgumentException("a visitor state of " + fields + " fields");
    }
    FieldReader f = new FieldReader(state, bounds, fields);
    boolean known = was != null;
    String path = f.text(S_PATH, known ? was.path() : null, null);
    // states written by older versions have fewer fields: the rest take their defaults
    return new ActiveVisitor(visitorId, lastSeen, f.number(S_SESSION_START), path,
        f.text(S_REFERRER, known ? was.referrer() : null, null),
        f.text(S_COUNTRY, known ? was.country() : null, null),
        f.text(S_BROWSER, known ? was.browser() : null, null),
        f.text(S_OS, known ? was.os() : null, null),
        f.text(S_DEVICE, known ? was.device() : null, null),
        f.number(S_LAST_PAGEVIEW, 0),
        f.text(S_ENTRY, known ? was.entryPath() : null, path),
        f.text(S_UTM_SOURCE, known ? was.utmSource() : null, ""),
        f.text(S_UTM_MEDIUM, known ? was.utmMedium() : null, ""),
        f.text(S_UTM_CAMPAIGN, known ? was.utmCampaign() : null, ""),
        f.number(S_LAST_ACTIVE, 0), f.number(S_LEFT, 0), f.number(S_ENGAGED, -1));
  }

  /** The fields of one state, read in place. */
  private record FieldReader(String state, int[] bounds, int fields) {
    /** Field {@code k}, or {@code otherwise} when the state is older than it. */
    String text(int k, String was, String otherwise) {
      if (k >= fields) {
        return otherwise;
      }
      int start = bounds[2 * k];
      int length = bounds[2 * k + 1] - start;
      if (was != null && was.length() == length && state.regionMatches(start, was, 0, length)) {
        return was;
      }
      return state.substring(start, start + length);
    }

    /** A field that every state has (it throws when the state is broken, as before). */
    long number(int k) {
      return Long.parseLong(state, bounds[2 * k], bounds[2 * k + 1], 10);
    }

    /** Field {@code k}, or {@code otherwise} when it is empty or the state is older than it. */
    long number(int k, long otherwise) {
      return k < fields && bounds[2 * k] < bounds[2 * k + 1]
          ? Long.parseLong(state, bounds[2 * k], bounds[2 * k + 1], 10) : otherwise;
    }
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

  static String clean(String s) {
    if (s == null) {
      return "";
    }
    return s.indexOf('\t') < 0 && s.indexOf('\n') < 0 ? s : s.replace('\t', ' ').replace('\n', ' ');
  }
}
