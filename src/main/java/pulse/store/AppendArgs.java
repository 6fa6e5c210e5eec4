package pulse.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of append.lua, by name. The script reads them by position; it declares the same
 * names and numbers in its tables {@code ARG} (= {@link Arg}) and {@code F} (= {@link Field}),
 * and AppendArgsTest checks that the two agree, so neither side can move a field alone.
 *
 * <p>Everything that does not depend on what Redis holds is built here, once per batch: each
 * second's pageview log lines ({@link Records#pageviewLine}), the members of the recent and
 * events sets, the per-second pageview counts, the per-second and per-minute path counts and
 * the day's pageview counters summed up ({@link BatchSums}), the visitors of each day, hour and
 * minute without repeats, and the TTL of each key of a period (second, minute, hour, day), counted
 * from the period's end so that the call that creates the key sets it once for good. The script
 * keeps each visitor's session, which needs the stored state. Whether the call also trims and
 * refreshes the realtime keys' TTLs is {@link SiteUpkeep}'s decision.
 */
final class AppendArgs {
  /** Positions in ARGV (1-based, as Lua counts) of the batch's arguments, before the sections. */
  static final class Arg {
    static final int PREFIX = 1;
    static final int NOW = 2;
    static final int SESSION_GAP = 3;
    static final int RETAIN = 4;
    static final int MAX_PAGEVIEWS = 5;
    static final int MAX_VISITORS = 6;
    static final int DAY_TTL = 7;
    static final int SITE_ID = 8;
    /** "1" when this call trims and caps the site's sets ({@link SiteUpkeep}), else "0". */
    static final int TRIM = 9;
    /** "1" when this call refreshes the realtime keys' TTLs ({@link SiteUpkeep}), else "0". */
    static final int REFRESH = 10;
    /** The batch's id ({@link #batchId}): a batch the store holds already is not stored again. */
    static final int BATCH = 11;
    /** The length in ARGV entries of each section, which follow in this order. */
    static final int PAGEVIEWS = 12;
    static final int RECENT = 13;
    static final int EVENTS = 14;
    static final int COUNTS = 15;
    static final int UNIQUES = 16;
    static final int SETS = 17;
    static final int EXPIRIES = 18;
    static final int FORGET = 19;
    static final int VISITS = 20;

    private Arg() {}
  }

  /** How many arguments come before the first section. */
  static final int BATCH_ARGS = 20;

  /**
   * Positions (1-based, as Lua counts) of a visit's fields (an event a visitor's session sees) in
   * its one argument, where they are tab-separated.
   */
  static final class Field {
    static final int TYPE = 1;
    static final int TIME = 2;
    static final int VISITOR = 3;
    static final int PATH = 4;
    static final int REFERRER = 5;
    static final int COUNTRY = 6;
    static final int BROWSER = 7;
    static final int OS = 8;
    static final int DEVICE = 9;
    /** "1", "0", or "" when the tracker did not say. */
    static final int RETURNING = 10;
    /** yyyyMMdd (UTC) of the event's time. */
    static final int DAY = 11;
    /** Epoch minute of the event's time. */
    static final int MINUTE = 12;
    /** Engaged ms on the page, "-1" when the event did not say. */
    static final int ENGAGED = 13;
    static final int UTM_SOURCE = 14;
    static final int UTM_MEDIUM = 15;
    static final int UTM_CAMPAIGN = 16;

    private Field() {}
  }

  /** How many fields a visit's argument holds. */
  static final int FIELDS = 16;

  /**
   * The field of pvcount that sums its seconds' fields: the pageviews the cap counts
   * (append.lua's {@code TOTAL}).
   */
  static final String PAGEVIEWS_HELD = "total";

  /** The newest pageviews with details a site keeps (append.lua's RECENT_KEPT). */
  static final int RECENT_KEPT = 200;

  /** Hourly visitor HyperLogLogs only serve "yesterday up to this hour": three days. */
  static final long HOUR_TTL_SECONDS = 3 * 86_400L;

  private AppendArgs() {}

  /**
   * The member a pageview or custom event is known by within a batch, null for other kinds: a
   * batch holding the same event twice stores it once.
   */
  private static String memberOf(Event e) {
    if (Event.PAGEVIEW.equals(e.type())) {
      return Records.windowMember(e);
    }
    if (Event.CUSTOM.equals(e.type())) {
      return Records.customEventMember(e);
    }
    return null;
  }

  /**
   * A batch's id: a digest of its events (id, type, time, visitor). The store keeps the id of a
   * batch it stored until the writer has the reply ({@link Arg#FORGET}); a batch sent again
   * because its reply was lost has the same events, so the same id, and is not stored twice.
   * Empty for a batch of heartbeats and leaves only: stored twice, they change nothing (the same
   * times give no duration and no new session, and sets take a member once), so it needs no mark.
   */
  static String batchId(List<Event> events) {
    boolean counts = false;
    for (Event e : events) {
      if (!Event.HEARTBEAT.equals(e.type()) && !Event.LEAVE.equals(e.type())) {
        counts = true;
        break;
      }
    }
    if (!counts) {
      return "";
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    StringBuilder text = new StringBuilder();
    for (Event e : events) {
      text.setLength(0);
      text.append(e.id()).append('\t').append(e.type()).append('\t').append(e.time())
          .append('\t').append(e.visitorId()).append('\n');
      digest.update(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Arrays.copyOf(digest.digest(), BATCH_ID_BYTES));
  }

  /** 128 bits: no two batches a site has in flight or unanswered share an id. */
  private static final int BATCH_ID_BYTES = 16;

  /**
   * ARGV for one batch of a site's events ({@code prefix}: the site's key prefix), a repeated
   * pageview or custom event within it stored once, with the upkeep and no earlier batch to
   * forget.
   */
  static List<String> of(String prefix, String siteId, long now, StoreLimits limits,
      List<Event> events) {
    return of(prefix, siteId, now, limits, new SiteUpkeep.Due(true, true), List.of(), events);
  }

  /**
   * The same, with the upkeep this call does besides its writes and the ids of earlier batches
   * whose replies came back ({@code forget}): the store need not know them any longer.
   */
  static List<String> of(String prefix, String siteId, long now, StoreLimits limits,
      SiteUpkeep.Due upkeep, List<String> forget, List<Event> events) {
    long dayTtl = limits.dayTtlSeconds();
    Map<String, StringBuilder> logs = new LinkedHashMap<>();
    List<Event> pageviewEvents = new ArrayList<>();
    List<String> customs = new ArrayList<>();
    List<String> visits = new ArrayList<>();
    BatchSums sums = new BatchSums();
    Set<String> members = new HashSet<>();
    String[] fields = new String[FIELDS];
    TimeKeys keys = new TimeKeys(prefix, now, limits);
    for (Event e : events) {
      String member = memberOf(e);
      if (member != null && !members.add(member)) {
        continue; // a repeat within the batch (see withoutHeld)
      }
      long t = e.time();
      String time = Long.toString(t);
      keys.at(t);
      if (Event.BOT.equals(e.type())) {
        String field = "bot:" + Records.clean(e.name());
        sums.count(keys.second, field, 1, keys.secondTtl);
        sums.count(keys.minute, field, 1, keys.minuteTtl);
        continue;
      }
      String path = Records.clean(e.path());
      if (e.isPageview()) {
        StringBuilder log = logs.get(keys.pageviewLog);
        if (log == null) {
          log = new StringBuilder();
          logs.put(keys.pageviewLog, log);
          sums.expire(keys.pageviewLog, keys.logTtl);
        }
        Records.pageviewLine(log, t, e.visitorId(), path);
        pageviewEvents.add(e);
        if (t >= now - limits.retainMillis()) {
          // (older ones are in no window: the cap need not count them)
          sums.count(keys.pageviewCounts, keys.secondText, 1, keys.realtimeTtl);
          sums.count(keys.pageviewCounts, PAGEVIEWS_HELD, 1, keys.realtimeTtl);
        }
        sums.count(keys.second, path, 1, keys.secondTtl);
        sums.count(keys.minute, path, 1, keys.minuteTtl);
        sums.count(keys.day, "pageviews", 1, keys.dayTtl);
        sums.count(keys.day, keys.hourField, 1, keys.dayTtl);
      } else if (Event.CUSTOM.equals(e.type())) {
        customs.add(time);
        customs.add(member);
      }
      // the TTLs of keys the script may write itself: the day's session counters, and the
      // visitor sets of a leave, which counts its visitor only within a session (the script knows)
      sums.expire(keys.day, keys.dayTtl);
      if (Event.LEAVE.equals(e.type())) {
        sums.expire(keys.dayVisitors, keys.dayTtl);
        sums.expire(keys.hourVisitors, keys.hourTtl);
        sums.expire(keys.minuteVisitors, keys.minuteTtl);
      } else {
        sums.unique(keys.dayVisitors, e.visitorId(), keys.dayTtl);
        sums.unique(keys.hourVisitors, e.visitorId(), keys.hourTtl);
        sums.setMember(keys.minuteVisitors, e.visitorId(), keys.minuteTtl);
      }
      fields[Field.TYPE - 1] = e.type();
      fields[Field.TIME - 1] = time;
      fields[Field.VISITOR - 1] = e.visitorId();
      fields[Field.PATH - 1] = path;
      fields[Field.REFERRER - 1] = Records.clean(e.referrer());
      fields[Field.COUNTRY - 1] = Records.clean(e.country());
      fields[Field.BROWSER - 1] = Records.clean(e.browser());
      fields[Field.OS - 1] = Records.clean(e.os());
      fields[Field.DEVICE - 1] = Records.clean(e.device());
      fields[Field.RETURNING - 1] = e.returning() == null ? "" : e.returning() ? "1" : "0";
      fields[Field.DAY - 1] = keys.dayText;
      fields[Field.MINUTE - 1] = keys.minuteText;
      fields[Field.ENGAGED - 1] = Long.toString(e.engagedMillis());
      fields[Field.UTM_SOURCE - 1] = Records.clean(e.utmSource());
      fields[Field.UTM_MEDIUM - 1] = Records.clean(e.utmMedium());
      fields[Field.UTM_CAMPAIGN - 1] = Records.clean(e.utmCampaign());
      // one argument per visit: each argument costs its own encoding here and parsing in Redis
      visits.add(String.join("\t", fields));
    }
    // the batch's newest pageviews with their details
    List<String> recent = new ArrayList<>();
    for (Event e : pageviewEvents.subList(Math.max(0, pageviewEvents.size() - RECENT_KEPT),
        pageviewEvents.size())) {
      recent.add(Long.toString(e.time()));
      recent.add(Records.pageviewMember(e));
    }
    List<String> counts = new ArrayList<>();
    sums.addCountArgs(counts);
    List<String> uniques = new ArrayList<>();
    BatchSums.addMemberArgs(sums.uniques(), uniques);
    List<String> sets = new ArrayList<>();
    BatchSums.addMemberArgs(sums.sets(), sets);
    List<String> expiries = new ArrayList<>();
    sums.addExpiryArgs(expiries);
    List<String> pageviews = new ArrayList<>(2 * logs.size());
    logs.forEach((key, log) -> {
      pageviews.add(key);
      pageviews.add(log.toString());
    });

    String[] head = new String[BATCH_ARGS];
    head[Arg.PREFIX - 1] = prefix;
    head[Arg.NOW - 1] = Long.toString(now);
    head[Arg.SESSION_GAP - 1] = Long.toString(limits.sessionGapMillis());
    head[Arg.RETAIN - 1] = Long.toString(limits.retainMillis());
    head[Arg.MAX_PAGEVIEWS - 1] = Integer.toString(limits.maxPageviewsPerSite());
    head[Arg.MAX_VISITORS - 1] = Integer.toString(limits.maxVisitorsPerSite());
    head[Arg.DAY_TTL - 1] = Long.toString(dayTtl);
    head[Arg.SITE_ID - 1] = siteId;
    head[Arg.TRIM - 1] = upkeep.trim() ? "1" : "0";
    head[Arg.REFRESH - 1] = upkeep.refresh() ? "1" : "0";
    head[Arg.BATCH - 1] = batchId(events);
    head[Arg.PAGEVIEWS - 1] = Integer.toString(pageviews.size());
    head[Arg.RECENT - 1] = Integer.toString(recent.size());
    head[Arg.EVENTS - 1] = Integer.toString(customs.size());
    head[Arg.COUNTS - 1] = Integer.toString(counts.size());
    head[Arg.UNIQUES - 1] = Integer.toString(uniques.size());
    head[Arg.SETS - 1] = Integer.toString(sets.size());
    head[Arg.EXPIRIES - 1] = Integer.toString(expiries.size());
    head[Arg.FORGET - 1] = Integer.toString(forget.size());
    head[Arg.VISITS - 1] = Integer.toString(visits.size());
    List<String> args = new ArrayList<>(BATCH_ARGS + pageviews.size() + recent.size()
        + customs.size() + counts.size() + uniques.size() + sets.size() + expiries.size()
        + forget.size() + visits.size());
    args.addAll(Arrays.asList(head));
    args.addAll(pageviews);
    args.addAll(recent);
    args.addAll(customs);
    args.addAll(counts);
    args.addAll(uniques);
    args.addAll(sets);
    args.addAll(expiries);
    args.addAll(forget);
    args.addAll(visits);
    return args;
  }

  /**
   * The TTL (s) of a key of one period (a second, minute, hour or day) that ends at
   * {@code endMillis}: {@code keepSeconds} after the period's end, counted from {@code now}. Set
   * once, when a call creates the key (append.lua), it holds for every later write of the period,
   * so no write needs to refresh it. Never less than {@code keepSeconds} from now (a late event's
   * period has ended), nor more than a period beyond it (an event ahead of this clock).
   */
  static long periodTtl(long keepSeconds, long endMillis, long periodMillis, long now) {
    long left = Math.max(0, Math.min(periodMillis, endMillis - now));
    return keepSeconds + (left + 999) / 1000;
  }

  /**
   * The keys of an event's second, minute, hour and day with their TTLs, built once per batch for
   * each (a batch spans a few seconds): formatting a day per event would cost more than the rest
   * of it.
   */
  private static final class TimeKeys {
    private final String prefix;
    private final long now;
    /** Per-second and per-minute counts are read only inside the longest window. */
    private final long bucketKeep;
    private final long dayKeep;
    private long atSecond = Long.MIN_VALUE;
    private long atMinute = Long.MIN_VALUE;
    private long atHour = Long.MIN_VALUE;
    /** The realtime keys live as long as the longest window and ten minutes more. */
    final long realtimeTtl;
    final String pageviewCounts;
    /**
     * A second's pageview log is read only inside the longest window (its reads reach back the
     * retention less a minute), and kept no longer: it is most of what a pageview costs Redis.
     */
    private final long logKeep;
    long logTtl;
    String second;
    String secondText;
    String pageviewLog;
    String minute;
    String minuteText;
    String minuteVisitors;
    String dayText;
    String day;
    String dayVisitors;
    String hourField;
    String hourVisitors;
    long secondTtl;
    long minuteTtl;
    long hourTtl;
    long dayTtl;

    TimeKeys(String prefix, long now, StoreLimits limits) {
      this.prefix = prefix;
      this.now = now;
      this.bucketKeep = limits.retainMillis() / 1000 + 60;
      this.dayKeep = limits.dayTtlSeconds();
      this.realtimeTtl = limits.retainMillis() / 1000 + 600;
      this.pageviewCounts = prefix + "pvcount";
      this.logKeep = limits.retainMillis() / 1000;
    }

    void at(long t) {
      long s = t / 1000;
      if (s != atSecond) {
        atSecond = s;
        secondText = Long.toString(s);
        second = prefix + "ps:" + secondText;
        pageviewLog = prefix + "pvlog:" + secondText;
        logTtl = periodTtl(logKeep, (s + 1) * 1000, 1000, now);
        secondTtl = periodTtl(bucketKeep, (s + 1) * 1000, 1000, now);
      }
      long m = t / 60_000;
      if (m != atMinute) {
        atMinute = m;
        minuteText = Long.toString(m);
        minute = prefix + "pm:" + minuteText;
        minuteVisitors = prefix + "vm:" + minuteText;
        minuteTtl = periodTtl(bucketKeep, (m + 1) * 60_000, 60_000, now);
      }
      long h = t / 3_600_000L;
      if (h != atHour) {
        atHour = h;
        hourTtl = periodTtl(HOUR_TTL_SECONDS, (h + 1) * 3_600_000L, 3_600_000L, now);
        String d = WindowQuery.day(t);
        if (!d.equals(dayText)) {
          dayText = d;
          day = prefix + "day:" + d;
          dayVisitors = prefix + "uv:" + d;
          long dayStart = Math.floorDiv(t, 86_400_000L) * 86_400_000L;
          dayTtl = periodTtl(dayKeep, dayStart + 86_400_000L, 86_400_000L, now);
        }
        int hour = (int) (h % 24);
        hourField = Records.hourPageviewsField(hour);
        hourVisitors = prefix + "uvh:" + d + (hour < 10 ? "0" + hour : Integer.toString(hour));
      }
    }
  }
}
