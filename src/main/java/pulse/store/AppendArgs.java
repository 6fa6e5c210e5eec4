package pulse.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments of append.lua, by name. The script reads them by position; it declares the same
 * names and numbers in its tables {@code ARG} (= {@link Arg}) and {@code F} (= {@link Field}),
 * and AppendArgsTest checks that the two agree, so neither side can move a field alone.
 */
final class AppendArgs {
  /** Positions in ARGV (1-based, as Lua counts) of the batch's arguments, before the events. */
  static final class Arg {
    static final int PREFIX = 1;
    static final int NOW = 2;
    static final int SESSION_GAP = 3;
    static final int RETAIN = 4;
    static final int MAX_PAGEVIEWS = 5;
    static final int MAX_VISITORS = 6;
    static final int DAY_TTL = 7;
    static final int SITE_ID = 8;

    private Arg() {}
  }

  /** How many arguments come before the first event. */
  static final int BATCH_ARGS = 8;

  /** Offsets of one event's fields from its first argument. */
  static final class Field {
    static final int ID = 0;
    static final int TYPE = 1;
    static final int TIME = 2;
    static final int VISITOR = 3;
    static final int PATH = 4;
    static final int QUERY = 5;
    static final int TITLE = 6;
    static final int REFERRER = 7;
    static final int NAME = 8;
    static final int PROPS = 9;
    static final int COUNTRY = 10;
    static final int BROWSER = 11;
    static final int OS = 12;
    static final int DEVICE = 13;
    /** "1", "0", or "" when the tracker did not say. */
    static final int RETURNING = 14;
    /** yyyyMMdd (UTC) of the event's time. */
    static final int DAY = 15;
    /** Epoch minute of the event's time. */
    static final int MINUTE = 16;
    /** Engaged ms on the page, "-1" when the event did not say. */
    static final int ENGAGED = 17;
    static final int UTM_SOURCE = 18;
    static final int UTM_MEDIUM = 19;
    static final int UTM_CAMPAIGN = 20;

    private Field() {}
  }

  /** How many arguments each event takes. */
  static final int FIELDS = 21;

  private AppendArgs() {}

  /** ARGV for one batch of a site's events ({@code prefix}: the site's key prefix). */
  static List<String> of(String prefix, String siteId, long now, StoreLimits limits,
      List<Event> events) {
    String[] batch = new String[BATCH_ARGS];
    batch[Arg.PREFIX - 1] = prefix;
    batch[Arg.NOW - 1] = Long.toString(now);
    batch[Arg.SESSION_GAP - 1] = Long.toString(limits.sessionGapMillis());
    batch[Arg.RETAIN - 1] = Long.toString(limits.retainMillis());
    batch[Arg.MAX_PAGEVIEWS - 1] = Integer.toString(limits.maxPageviewsPerSite());
    batch[Arg.MAX_VISITORS - 1] = Integer.toString(limits.maxVisitorsPerSite());
    batch[Arg.DAY_TTL - 1] = Long.toString(limits.dayTtlSeconds());
    batch[Arg.SITE_ID - 1] = siteId;
    List<String> args = new ArrayList<>(BATCH_ARGS + events.size() * FIELDS);
    args.addAll(Arrays.asList(batch));
    String[] fields = new String[FIELDS];
    for (Event e : events) {
      fields[Field.ID] = e.id();
      fields[Field.TYPE] = e.type();
      fields[Field.TIME] = Long.toString(e.time());
      fields[Field.VISITOR] = e.visitorId();
      fields[Field.PATH] = Records.clean(e.path());
      fields[Field.QUERY] = Records.clean(e.query());
      fields[Field.TITLE] = Records.clean(e.title());
      fields[Field.REFERRER] = Records.clean(e.referrer());
      fields[Field.NAME] = Records.clean(e.name());
      fields[Field.PROPS] = Records.clean(e.props());
      fields[Field.COUNTRY] = Records.clean(e.country());
      fields[Field.BROWSER] = Records.clean(e.browser());
      fields[Field.OS] = Records.clean(e.os());
      fields[Field.DEVICE] = Records.clean(e.device());
      fields[Field.RETURNING] = e.returning() == null ? "" : e.returning() ? "1" : "0";
      fields[Field.DAY] = WindowQuery.day(e.time());
      fields[Field.MINUTE] = Long.toString(e.time() / 60_000L);
      fields[Field.ENGAGED] = Long.toString(e.engagedMillis());
      fields[Field.UTM_SOURCE] = Records.clean(e.utmSource());
      fields[Field.UTM_MEDIUM] = Records.clean(e.utmMedium());
      fields[Field.UTM_CAMPAIGN] = Records.clean(e.utmCampaign());
      args.addAll(Arrays.asList(fields));
    }
    return args;
  }
}
