package pulse.store;

import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded store: the same model as {@link RedisEventStore} in this JVM's memory, for one
 * instance with nothing to set up. Data is lost on restart. Unique visitors are counted exactly
 * here, where Redis uses HyperLogLog (identical for small counts, within 1% for large ones).
 */
public final class MemoryEventStore implements EventStore {
  private final Clock clock;
  private final StoreLimits limits;
  private final Map<String, SiteData> sites = new ConcurrentHashMap<>();
  /** day → its salt and when it was made; forgotten after {@link #SALT_TTL_SECONDS}, as in Redis. */
  private final Map<String, Salt> salts = new ConcurrentHashMap<>();

  private record Salt(String value, long createdMillis) {}

  public MemoryEventStore(Clock clock, StoreLimits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  private SiteData site(String siteId) {
    return sites.computeIfAbsent(siteId, id -> new SiteData());
  }

  @Override
  public Future<Void> append(String siteId, List<Event> events) {
    site(siteId).append(events, clock.millis(), limits);
    return Future.succeededFuture();
  }

  @Override
  public Future<WindowData> window(WindowQuery query) {
    return Future.succeededFuture(site(query.siteId()).window(query));
  }

  @Override
  public Future<DayFigures> day(String siteId, String day) {
    return Future.succeededFuture(site(siteId).day(day));
  }

  @Override
  public Future<Long> uniqueVisitors(String siteId, List<String> days) {
    return Future.succeededFuture(site(siteId).uniqueVisitors(days));
  }

  @Override
  public Future<DayPart> dayHours(String siteId, String day, int hours) {
    return Future.succeededFuture(site(siteId).dayHours(day, hours));
  }

  @Override
  public Future<Long> lastEventTime(String siteId) {
    SiteData data = sites.get(siteId);
    return Future.succeededFuture(data == null ? null : data.lastEventTime());
  }

  @Override
  public Future<String> dailySalt(String day) {
    long now = clock.millis();
    salts.values().removeIf(s -> now - s.createdMillis() >= SALT_TTL_SECONDS * 1000L);
    return Future.succeededFuture(salts.computeIfAbsent(day, d -> {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      return new Salt(java.util.HexFormat.of().formatHex(bytes), now);
    }).value());
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** One site's data; every method holds the lock, as a Lua script holds Redis. */
  private static final class SiteData {
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Map<String, String[]> states = new HashMap<>();
    /** time → (member → time), ordered like a sorted set with equal scores ordered by member. */
    private final TreeMap<Long, TreeMap<String, Long>> pageviews = new TreeMap<>();
    private final TreeMap<Long, TreeMap<String, Long>> customEvents = new TreeMap<>();
    private int pageviewCount;
    private int customEventCount;
    private final TreeMap<Long, Set<String>> minuteVisitors = new TreeMap<>();
    private final Map<String, Map<String, Long>> days = new HashMap<>();
    /** day → (visitor → the first hour of that day they were seen), for day parts. */
    private final Map<String, Map<String, Integer>> dayVisitors = new HashMap<>();
    private final TreeMap<String, Long> dayExpiry = new TreeMap<>();
    private Long lastEvent;

    synchronized void append(List<Event> events, long now, StoreLimits limits) {
      for (Event e : events) {
        if (replayed(e)) {
          continue;
        }
        String vid = e.visitorId();
        Long prevSeen = lastSeen.get(vid);
        String[] s = states.get(vid);
        String day = WindowQuery.day(e.time());
        if (s != null && prevSeen != null && e.time() - prevSeen < limits.sessionGapMillis()) {
          if (e.time() > prevSeen) {
            add(s[Records.S_SESSION_DAY], "duration", e.time() - prevSeen);
          }
        } else {
          s = new String[] {Long.toString(e.time()), "0", day, e.path(), e.referrer(),
              e.country(), e.browser(), e.os(), e.device(), "0"};
          add(day, "sessions", 1);
          if (e.returning() != null) {
            add(day, e.returning() ? "returning" : "new", 1);
          }
        }
        if (e.isPageview()) {
          int spv = Integer.parseInt(s[Records.S_SESSION_PAGEVIEWS]) + 1;
          s[Records.S_SESSION_PAGEVIEWS] = Integer.toString(spv);
          s[Records.S_PATH] = e.path();
          if (!e.referrer().isEmpty()) {
            s[Records.S_REFERRER] = e.referrer();
          }
          if (Long.parseLong(s[Records.S_LAST_PAGEVIEW]) < e.time()) {
            s[Records.S_LAST_PAGEVIEW] = Long.toString(e.time());
          }
          if (spv == 1) {
            add(s[Records.S_SESSION_DAY], "bounces", 1);
          } else if (spv == 2) {
            add(s[Records.S_SESSION_DAY], "bounces", -1);
          }
          add(day, "pageviews", 1);
          add(day, Records.hourPageviewsField(WindowQuery.hourOfDay(e.time())), 1);
          if (put(pageviews, e.time(), Records.pageviewMember(e))) {
            pageviewCount++;
          }
        } else if (Event.CUSTOM.equals(e.type())) {
          if (put(customEvents, e.time(), Records.customEventMember(e))) {
            customEventCount++;
          }
        }
        if (!e.country().isEmpty()) {
          s[Records.S_COUNTRY] = e.country();
        }
        s[Records.S_BROWSER] = e.browser();
        s[Records.S_OS] = e.os();
        s[Records.S_DEVICE] = e.device();
        states.put(vid, s);
        if (prevSeen == null || e.time() > prevSeen) {
          lastSeen.put(vid, e.time());
        }
        dayVisitors.computeIfAbsent(day, d -> new HashMap<>())
            .merge(vid, WindowQuery.hourOfDay(e.time()), Math::min);
        dayExpiry.put(day, now + limits.dayTtlSeconds() * 1000L);
        minuteVisitors.computeIfAbsent(e.time() / 60_000L, m -> new HashSet<>()).add(vid);
        if (lastEvent == null || e.time() > lastEvent) {
          lastEvent = e.time();
        }
      }
      trim(now, limits);
    }

    /** Already stored (a retried batch): as in append.lua, it must not count twice. */
    private boolean replayed(Event e) {
      if (e.isPageview()) {
        return contains(pageviews, e.time(), Records.pageviewMember(e));
      }
      return Event.CUSTOM.equals(e.type())
          && contains(customEvents, e.time(), Records.customEventMember(e));
    }

    private static boolean contains(TreeMap<Long, TreeMap<String, Long>> set, long time,
        String member) {
      TreeMap<String, Long> at = set.get(time);
      return at != null && at.containsKey(member);
    }

    private static boolean put(TreeMap<Long, TreeMap<String, Long>> set, long time, String member) {
      return set.computeIfAbsent(time, t -> new TreeMap<>()).put(member, time) == null;
    }

    private void add(String day, String field, long delta) {
      days.computeIfAbsent(day, d -> new HashMap<>()).merge(field, delta, Long::sum);
    }

    private void trim(long now, StoreLimits limits) {
      long cutoff = now - limits.retainMillis();
      lastSeen.entrySet().removeIf(en -> {
        if (en.getValue() < cutoff) {
          states.remove(en.getKey());
          return true;
        }
        return false;
      });
      pageviewCount -= removeBefore(pageviews, cutoff);
      customEventCount -= removeBefore(customEvents, cutoff);
      minuteVisitors.headMap((cutoff - 600_000L) / 60_000L).clear();
      if (lastSeen.size() > limits.maxVisitorsPerSite()) {
        List<Map.Entry<String, Long>> oldest = new ArrayList<>(lastSeen.entrySet());
        oldest.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < oldest.size() - limits.maxVisitorsPerSite(); i++) {
          lastSeen.remove(oldest.get(i).getKey());
          states.remove(oldest.get(i).getKey());
        }
      }
      pageviewCount -= removeOldest(pageviews, pageviewCount - limits.maxPageviewsPerSite());
      customEventCount -= removeOldest(customEvents, customEventCount - limits.maxPageviewsPerSite());
      // day figures expire like the Redis keys do
      dayExpiry.entrySet().removeIf(en -> {
        if (en.getValue() < now) {
          days.remove(en.getKey());
          dayVisitors.remove(en.getKey());
          return true;
        }
        return false;
      });
    }

    private static int removeBefore(TreeMap<Long, TreeMap<String, Long>> set, long cutoff) {
      NavigableMap<Long, TreeMap<String, Long>> head = set.headMap(cutoff, false);
      int removed = 0;
      for (TreeMap<String, Long> members : head.values()) {
        removed += members.size();
      }
      head.clear();
      return removed;
    }

    private static int removeOldest(TreeMap<Long, TreeMap<String, Long>> set, int excess) {
      int removed = 0;
      while (removed < excess && !set.isEmpty()) {
        Map.Entry<Long, TreeMap<String, Long>> first = set.firstEntry();
        Iterator<String> it = first.getValue().keySet().iterator();
        while (removed < excess && it.hasNext()) {
          it.next();
          it.remove();
          removed++;
        }
        if (first.getValue().isEmpty()) {
          set.pollFirstEntry();
        }
      }
      return removed;
    }

    synchronized WindowData window(WindowQuery q) {
      long from = q.from();
      long now = q.now();
      List<ActiveVisitor> active = new ArrayList<>();
      lastSeen.forEach((vid, seen) -> {
        if (seen >= from && seen <= now) {
          active.add(Records.visitor(vid, seen, String.join("\t", states.get(vid))));
        }
      });
      NavigableMap<Long, TreeMap<String, Long>> inWindow = pageviews.subMap(from, true, now, true);
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
          if (recent.size() >= WindowQuery.RECENT_LIMIT) {
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
            pageviews.subMap(minute * 60_000L, true, (minute + 1) * 60_000L, false).values()) {
          minutePageviews[k] += members.size();
        }
        Set<String> seen = minuteVisitors.get(minute);
        minuteVisitorCounts[k] = seen == null ? 0 : seen.size();
      }
      Map<String, Integer> today = dayVisitors.get(q.today());
      long todayPageviews = days.getOrDefault(q.today(), Map.of()).getOrDefault("pageviews", 0L);
      return new WindowData(active, count, byPath, minutePageviews, minuteVisitorCounts, recent,
          today == null ? 0 : today.size(), todayPageviews);
    }

    synchronized DayFigures day(String day) {
      Map<String, Long> f = days.get(day);
      Map<String, Integer> visitors = dayVisitors.get(day);
      if (f == null && visitors == null) {
        return DayFigures.EMPTY;
      }
      Map<String, Long> c = f == null ? Map.of() : f;
      return new DayFigures(visitors == null ? 0 : visitors.size(), c.getOrDefault("pageviews", 0L),
          c.getOrDefault("sessions", 0L), c.getOrDefault("bounces", 0L),
          c.getOrDefault("duration", 0L), c.getOrDefault("new", 0L),
          c.getOrDefault("returning", 0L));
    }

    synchronized long uniqueVisitors(List<String> dayList) {
      Set<String> all = new HashSet<>();
      for (String day : dayList) {
        all.addAll(dayVisitors.getOrDefault(day, Map.of()).keySet());
      }
      return all.size();
    }

    synchronized DayPart dayHours(String day, int hours) {
      long visitors = 0;
      for (int firstHour : dayVisitors.getOrDefault(day, Map.of()).values()) {
        if (firstHour < hours) {
          visitors++;
        }
      }
      Map<String, Long> fields = days.getOrDefault(day, Map.of());
      long pageviews = 0;
      for (int h = 0; h < hours; h++) {
        pageviews += fields.getOrDefault(Records.hourPageviewsField(h), 0L);
      }
      return new DayPart(visitors, pageviews);
    }

    synchronized Long lastEventTime() {
      return lastEvent;
    }
  }
}
