package pulse.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One site's data in the embedded store; every method holds the lock, as a Lua script holds
 * Redis. Everything is bounded: pageviews, custom events and visitors by {@link StoreLimits}'
 * counts and bytes (the oldest go first, as append.lua's flood cap drops them), distinct visitors
 * of days, hours and minutes by fixed-size {@link HyperLogLog}s that expire like the Redis keys.
 */
final class MemorySiteData {
  /**
   * Heap bytes of one visitor beyond its strings: two hash map entries and table slots, the
   * boxed last-seen time, the state array, its place in the by-time index (StoreLimits says how
   * this was checked).
   */
  static final long VISITOR_OVERHEAD = 290;
  /** How long hourly visitor counts live; as append.lua's hourTtl. */
  private static final long HOUR_TTL_MILLIS = 3 * 86_400_000L;

  private final Map<String, Long> lastSeen = new HashMap<>();
  /** The visitors by last-seen time, equal times by id: the order the cap and expiry drop them. */
  private final TreeMap<Long, TreeSet<String>> bySeen = new TreeMap<>();
  private final Map<String, String[]> states = new HashMap<>();
  private long visitorBytes;
  private final TimedMembers pageviews = new TimedMembers();
  private final TimedMembers customEvents = new TimedMembers();
  private final BotCounts bots = new BotCounts();
  private final TreeMap<Long, HyperLogLog> minuteVisitors = new TreeMap<>();
  private final Map<String, Map<String, Long>> days = new HashMap<>();
  /** day → its distinct visitors (uv:<day> in Redis). */
  private final Map<String, HyperLogLog> dayVisitors = new HashMap<>();
  /** day and hour (yyyyMMddHH) → distinct visitors of that hour (uvh:<day><hh>). */
  private final TreeMap<String, HyperLogLog> hourVisitors = new TreeMap<>();
  private final Map<String, Long> dayExpiry = new HashMap<>();
  private final Map<String, Long> hourExpiry = new HashMap<>();
  private Long lastEvent;

  static long visitorBytes(String vid, String[] state) {
    long bytes = VISITOR_OVERHEAD + TimedMembers.stringBytes(vid);
    for (String field : state) {
      // an empty field is the one shared empty string (most campaigns are empty)
      bytes += field.isEmpty() ? 0 : TimedMembers.stringBytes(field);
    }
    return bytes;
  }

  synchronized void append(List<Event> events, long now, StoreLimits limits) {
    for (Event e : events) {
      if (Event.BOT.equals(e.type())) {
        bots.count(e.time(), e.name());
        continue;
      }
      if (replayed(e)) {
        continue;
      }
      String vid = e.visitorId();
      Long prevSeen = lastSeen.get(vid);
      String[] s = states.get(vid);
      boolean inSession = s != null && prevSeen != null
          && e.time() - prevSeen < limits.sessionGapMillis();
      // a page closed after its session ended has nobody to take out of the present
      if (Event.LEAVE.equals(e.type()) && !inSession) {
        continue;
      }
      if (s != null) {
        visitorBytes -= visitorBytes(vid, s);
      }
      String day = WindowQuery.day(e.time());
      if (inSession) {
        s = Records.withDefaults(s);
        if (e.time() > prevSeen) {
          add(s[Records.S_SESSION_DAY], "duration", e.time() - prevSeen);
        }
      } else {
        s = Records.newState(e, day);
        add(day, "sessions", 1);
        if (e.returning() != null) {
          add(day, e.returning() ? "returning" : "new", 1);
        }
      }
      if (e.isPageview()) {
        int spv = Integer.parseInt(s[Records.S_SESSION_PAGEVIEWS]) + 1;
        s[Records.S_SESSION_PAGEVIEWS] = Integer.toString(spv);
        if (spv == 1) {
          s[Records.S_ENTRY] = e.path();
        }
        // engaged time is per page view: a new one starts unreported
        s[Records.S_ENGAGED] = "-1";
        s[Records.S_PATH] = e.path();
        if (!e.referrer().isEmpty()) {
          s[Records.S_REFERRER] = e.referrer();
        }
        if (Long.parseLong(s[Records.S_LAST_PAGEVIEW]) < e.time()) {
          s[Records.S_LAST_PAGEVIEW] = Long.toString(e.time());
        }
        // a campaign in the page URL attributes the session, as a referrer does
        if (!e.utmSource().isEmpty() || !e.utmMedium().isEmpty() || !e.utmCampaign().isEmpty()) {
          s[Records.S_UTM_SOURCE] = e.utmSource();
          s[Records.S_UTM_MEDIUM] = e.utmMedium();
          s[Records.S_UTM_CAMPAIGN] = e.utmCampaign();
        }
        if (spv == 1) {
          add(s[Records.S_SESSION_DAY], "bounces", 1);
        } else if (spv == 2) {
          add(s[Records.S_SESSION_DAY], "bounces", -1);
        }
        add(day, "pageviews", 1);
        add(day, Records.hourPageviewsField(WindowQuery.hourOfDay(e.time())), 1);
        pageviews.put(e.time(), Records.pageviewMember(e));
      } else if (Event.CUSTOM.equals(e.type())) {
        customEvents.put(e.time(), Records.customEventMember(e));
      }
      notePresence(s, e);
      if (!e.country().isEmpty()) {
        s[Records.S_COUNTRY] = e.country();
      }
      s[Records.S_BROWSER] = e.browser();
      s[Records.S_OS] = e.os();
      s[Records.S_DEVICE] = e.device();
      states.put(vid, s);
      visitorBytes += visitorBytes(vid, s);
      if (prevSeen == null || e.time() > prevSeen) {
        lastSeen.put(vid, e.time());
        if (prevSeen != null) {
          unindex(prevSeen, vid);
        }
        bySeen.computeIfAbsent(e.time(), t -> new TreeSet<>()).add(vid);
      }
      dayVisitors.computeIfAbsent(day, d -> new HyperLogLog()).add(vid);
      dayExpiry.put(day, now + limits.dayTtlSeconds() * 1000L);
      String hour = hourKey(day, WindowQuery.hourOfDay(e.time()));
      hourVisitors.computeIfAbsent(hour, h -> new HyperLogLog()).add(vid);
      hourExpiry.put(hour, now + HOUR_TTL_MILLIS);
      minuteVisitors.computeIfAbsent(e.time() / 60_000L, m -> new HyperLogLog()).add(vid);
      if (lastEvent == null || e.time() > lastEvent) {
        lastEvent = e.time();
      }
    }
    trim(now, limits);
  }

  /** As append.lua: pageviews and heartbeats show the page open, a leave closes it. */
  private static void notePresence(String[] s, Event e) {
    String type = e.type();
    long t = e.time();
    if (e.isPageview() || Event.HEARTBEAT.equals(type)) {
      if (t >= Long.parseLong(s[Records.S_LAST_ACTIVE])) {
        s[Records.S_LAST_ACTIVE] = Long.toString(t);
      }
      if (t >= Long.parseLong(s[Records.S_LEFT])) {
        s[Records.S_LEFT] = "0";
      }
    } else if (Event.LEAVE.equals(type) && t >= Long.parseLong(s[Records.S_LAST_ACTIVE])) {
      s[Records.S_LEFT] = Long.toString(t);
    }
    if (e.engagedMillis() != Event.NO_ENGAGED && !e.isPageview() && !Event.CUSTOM.equals(type)
        && e.path().equals(s[Records.S_PATH])) {
      s[Records.S_ENGAGED] = Long.toString(e.engagedMillis());
    }
  }

  private static String hourKey(String day, int hour) {
    return hour < 10 ? day + "0" + hour : day + hour;
  }

  /** Already stored (a retried batch): as in append.lua, it must not count twice. */
  private boolean replayed(Event e) {
    if (e.isPageview()) {
      return pageviews.contains(e.time(), Records.pageviewMember(e));
    }
    return Event.CUSTOM.equals(e.type())
        && customEvents.contains(e.time(), Records.customEventMember(e));
  }

  private void add(String day, String field, long delta) {
    days.computeIfAbsent(day, d -> new HashMap<>()).merge(field, delta, Long::sum);
  }

  private void trim(long now, StoreLimits limits) {
    long cutoff = now - limits.retainMillis();
    NavigableMap<Long, TreeSet<String>> expired = bySeen.headMap(cutoff, false);
    for (TreeSet<String> vids : expired.values()) {
      for (String vid : vids) {
        lastSeen.remove(vid);
        forget(vid);
      }
    }
    expired.clear();
    pageviews.removeBefore(cutoff);
    customEvents.removeBefore(cutoff);
    bots.removeBefore(cutoff);
    minuteVisitors.headMap((cutoff - 600_000L) / 60_000L).clear();
    while (!bySeen.isEmpty() && (lastSeen.size() > limits.maxVisitorsPerSite()
        || visitorBytes > limits.maxVisitorBytesPerSite())) {
      Map.Entry<Long, TreeSet<String>> oldest = bySeen.firstEntry();
      String vid = oldest.getValue().pollFirst();
      if (oldest.getValue().isEmpty()) {
        bySeen.pollFirstEntry();
      }
      lastSeen.remove(vid);
      forget(vid);
    }
    pageviews.trimOldest(limits.maxPageviewsPerSite(), limits.maxPageviewBytesPerSite());
    customEvents.trimOldest(limits.maxPageviewsPerSite(), limits.maxPageviewBytesPerSite());
    // day and hour figures expire like the Redis keys do
    dayExpiry.entrySet().removeIf(en -> {
      if (en.getValue() < now) {
        days.remove(en.getKey());
        dayVisitors.remove(en.getKey());
        return true;
      }
      return false;
    });
    hourExpiry.entrySet().removeIf(en -> {
      if (en.getValue() < now) {
        hourVisitors.remove(en.getKey());
        return true;
      }
      return false;
    });
  }

  private void unindex(long seen, String vid) {
    TreeSet<String> at = bySeen.get(seen);
    if (at != null && at.remove(vid) && at.isEmpty()) {
      bySeen.remove(seen);
    }
  }

  private void forget(String vid) {
    String[] state = states.remove(vid);
    if (state != null) {
      visitorBytes -= visitorBytes(vid, state);
    }
  }

  /**
   * The window's figures; its visitors are those seen in [from, now] and those seen after now up
   * to {@code upTo}, the clock at the read (an event that came in while the read was on its way),
   * but for those whose session started after now: they were not there at now, and their
   * pageview is not counted in this window (the Redis store's cache waits for them alike).
   */
  synchronized WindowData window(WindowQuery q, long upTo) {
    long from = q.from();
    long now = q.now();
    long visitorsUpTo = Math.max(now, upTo);
    List<ActiveVisitor> active = new ArrayList<>();
    lastSeen.forEach((vid, seen) -> {
      if (seen >= from && seen <= visitorsUpTo) {
        ActiveVisitor v = Records.visitor(vid, seen, String.join("\t", states.get(vid)));
        if (seen <= now || v.sessionStart() <= now) {
          active.add(v);
        }
      }
    });
    NavigableMap<Long, TreeMap<String, Long>> inWindow = pageviews.between(from, true, now, true);
    Map<String, Long> byPath = new LinkedHashMap<>();
    long count = 0;
    for (TreeMap<String, Long> members : inWindow.values()) {
      for (String m : members.keySet()) {
        byPath.merge(m.split("\t", 4)[2], 1L, Long::sum);
        count++;
      }
    }
    List<StoredPageview> recent = new ArrayList<>();
    outer:
    for (Map.Entry<Long, TreeMap<String, Long>> en : inWindow.descendingMap().entrySet()) {
      for (String m : en.getValue().descendingKeySet()) {
        if (recent.size() >= q.recentLimit()) {
          break outer;
        }
        recent.add(Records.pageview(m, en.getKey()));
      }
    }
    int minutes = q.minuteCount();
    long[] minutePageviews = new long[minutes];
    long[] minuteVisitorCounts = new long[minutes];
    for (int k = 0; k < minutes; k++) {
      long minute = q.firstMinute() + k;
      for (TreeMap<String, Long> members :
          pageviews.between(minute * 60_000L, true, (minute + 1) * 60_000L, false).values()) {
        minutePageviews[k] += members.size();
      }
      HyperLogLog seen = minuteVisitors.get(minute);
      minuteVisitorCounts[k] = seen == null ? 0 : seen.count();
    }
    HyperLogLog today = dayVisitors.get(q.today());
    long todayPageviews = days.getOrDefault(q.today(), Map.of()).getOrDefault("pageviews", 0L);
    List<WindowEvent> events = new ArrayList<>();
    for (Map.Entry<Long, TreeMap<String, Long>> en
        : customEvents.between(from, true, now, true).entrySet()) {
      for (String m : en.getValue().keySet()) {
        events.add(WindowEvent.of(m, en.getKey()));
      }
    }
    return new WindowData(active, count, byPath, minutePageviews, minuteVisitorCounts, recent,
        today == null ? 0 : today.count(), todayPageviews, events, bots.between(from, now));
  }

  /** Pageviews and custom events that happened in one epoch minute, as history.lua counts them. */
  synchronized MinutePoint minuteCounts(long minute, long active, long present) {
    long from = minute * 60_000L;
    return new MinutePoint(minute, active, present,
        held(pageviews.between(from, true, from + 60_000L, false)),
        held(customEvents.between(from, true, from + 60_000L, false)));
  }

  private static long held(NavigableMap<Long, TreeMap<String, Long>> byTime) {
    long n = 0;
    for (TreeMap<String, Long> members : byTime.values()) {
      n += members.size();
    }
    return n;
  }

  synchronized List<WindowPageview> pageviews(WindowQuery q) {
    NavigableMap<Long, TreeMap<String, Long>> inWindow =
        pageviews.between(q.from(), true, q.now(), true);
    List<WindowPageview> out = new ArrayList<>();
    for (Map.Entry<Long, TreeMap<String, Long>> en : inWindow.entrySet()) {
      for (String m : en.getValue().keySet()) {
        out.add(WindowPageview.of(m, en.getKey()));
      }
    }
    return out;
  }

  synchronized DayFigures day(String day) {
    Map<String, Long> f = days.get(day);
    HyperLogLog visitors = dayVisitors.get(day);
    if (f == null && visitors == null) {
      return DayFigures.EMPTY;
    }
    Map<String, Long> c = f == null ? Map.of() : f;
    return new DayFigures(visitors == null ? 0 : visitors.count(),
        c.getOrDefault("pageviews", 0L), c.getOrDefault("sessions", 0L),
        c.getOrDefault("bounces", 0L), c.getOrDefault("duration", 0L), c.getOrDefault("new", 0L),
        c.getOrDefault("returning", 0L));
  }

  synchronized long uniqueVisitors(List<String> dayList) {
    List<HyperLogLog> counters = new ArrayList<>();
    for (String day : dayList) {
      HyperLogLog visitors = dayVisitors.get(day);
      if (visitors != null) {
        counters.add(visitors);
      }
    }
    return HyperLogLog.countUnion(counters);
  }

  /** As Redis: PFCOUNT of the hourly counters of the first hours of the day. */
  synchronized DayPart dayHours(String day, int hours) {
    List<HyperLogLog> counters = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      HyperLogLog visitors = hourVisitors.get(hourKey(day, h));
      if (visitors != null) {
        counters.add(visitors);
      }
    }
    Map<String, Long> fields = days.getOrDefault(day, Map.of());
    long pageviewCount = 0;
    for (int h = 0; h < hours; h++) {
      pageviewCount += fields.getOrDefault(Records.hourPageviewsField(h), 0L);
    }
    return new DayPart(HyperLogLog.countUnion(counters), pageviewCount);
  }

  synchronized Long lastEventTime() {
    return lastEvent;
  }

  /** The day and hour figures and the newest event time, copied for saving. */
  synchronized StoreImage.Figures figures() {
    List<StoreImage.Day> dayList = new ArrayList<>();
    TreeSet<String> dayKeys = new TreeSet<>(days.keySet());
    dayKeys.addAll(dayVisitors.keySet());
    for (String day : dayKeys) {
      HyperLogLog visitors = dayVisitors.get(day);
      dayList.add(new StoreImage.Day(day, dayExpiry.getOrDefault(day, 0L),
          new TreeMap<>(days.getOrDefault(day, Map.of())),
          visitors == null ? null : visitors.image()));
    }
    List<StoreImage.Hour> hourList = new ArrayList<>();
    hourVisitors.forEach((hour, visitors) -> hourList.add(
        new StoreImage.Hour(hour, hourExpiry.getOrDefault(hour, 0L), visitors.image())));
    return new StoreImage.Figures(lastEvent, dayList, hourList);
  }

  /**
   * Puts saved figures back (a restart), leaving out those that expired meanwhile: the day figures
   * read after a restart are the ones read before it.
   */
  synchronized void restore(StoreImage.Figures saved, long now) {
    for (StoreImage.Day day : saved.days()) {
      if (day.expiresAt() != 0 && day.expiresAt() < now) {
        continue;
      }
      if (!day.fields().isEmpty()) {
        days.put(day.day(), new HashMap<>(day.fields()));
      }
      if (day.visitors() != null) {
        dayVisitors.put(day.day(), HyperLogLog.restore(day.visitors()));
      }
      if (day.expiresAt() != 0) {
        dayExpiry.put(day.day(), day.expiresAt());
      }
    }
    for (StoreImage.Hour hour : saved.hours()) {
      if (hour.expiresAt() != 0 && hour.expiresAt() < now) {
        continue;
      }
      hourVisitors.put(hour.hour(), HyperLogLog.restore(hour.visitors()));
      if (hour.expiresAt() != 0) {
        hourExpiry.put(hour.hour(), hour.expiresAt());
      }
    }
    if (saved.lastEvent() != null && (lastEvent == null || saved.lastEvent() > lastEvent)) {
      lastEvent = saved.lastEvent();
    }
  }

  /** Pageviews, custom events and visitors held, and their bytes: what the caps bound. */
  synchronized long[] held() {
    return new long[] {pageviews.count(), customEvents.count(), lastSeen.size(),
        pageviews.bytes() + customEvents.bytes() + visitorBytes};
  }
}
