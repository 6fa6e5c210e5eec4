package pulse.store;

import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The embedded store: the same model as {@link RedisEventStore} in this JVM's memory, for one
 * instance with nothing to set up. Its day figures, history, states and salts can be saved and
 * put back across a restart ({@link #image()}, {@link #restore}, {@link EmbeddedStoreFile}); the
 * realtime window is lost on restart. Unique visitors are counted with a
 * HyperLogLog as in Redis, and every site's data is capped (see {@link StoreLimits#forHeap}), so
 * no client can grow the heap without end.
 */
public final class MemoryEventStore implements EventStore {
  private final Clock clock;
  private final StoreLimits limits;
  private final Map<String, MemorySiteData> sites = new ConcurrentHashMap<>();
  /** day → its salt and when it was made; forgotten after {@link #SALT_TTL_SECONDS}, as in Redis. */
  private final Map<String, Salt> salts = new ConcurrentHashMap<>();

  private record Salt(String value, long createdMillis) {}

  private final Map<String, MemoryHistory> histories = new ConcurrentHashMap<>();
  /** site and lease name → when the lease ends (ms). */
  private final Map<String, Long> leases = new ConcurrentHashMap<>();
  /** site and state name → its JSON text. */
  private final Map<String, String> states = new ConcurrentHashMap<>();
  /** What closing does first (the last save); none by default. */
  private volatile Supplier<Future<Void>> beforeClose = Future::succeededFuture;

  public MemoryEventStore(Clock clock, StoreLimits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  private MemorySiteData site(String siteId) {
    return sites.computeIfAbsent(siteId, id -> new MemorySiteData());
  }

  @Override
  public Future<Void> append(String siteId, List<Event> events) {
    site(siteId).append(events, clock.millis(), limits);
    return Future.succeededFuture();
  }

  @Override
  public Future<WindowData> window(WindowQuery query) {
    return Future.succeededFuture(site(query.siteId()).window(query, clock.millis()));
  }

  @Override
  public Future<List<WindowPageview>> pageviews(WindowQuery query) {
    return Future.succeededFuture(site(query.siteId()).pageviews(query));
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
    MemorySiteData data = sites.get(siteId);
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
  public Future<Recorded> recordMinute(String siteId, long minute, long active, long present) {
    MinutePoint point = site(siteId).minuteCounts(minute, active, present);
    MemoryHistory history = history(siteId);
    synchronized (history) {
      if (history.record(point, clock.millis())) {
        return Future.succeededFuture(new Recorded(true, point));
      }
      return Future.succeededFuture(new Recorded(false, history.at(minute)));
    }
  }

  @Override
  public Future<MinutePoint> minuteSoFar(String siteId, long minute, long active, long present) {
    return Future.succeededFuture(site(siteId).minuteCounts(minute, active, present));
  }

  @Override
  public Future<List<MinutePoint>> history(String siteId, long fromMinute, long toMinute) {
    return Future.succeededFuture(history(siteId).between(fromMinute, toMinute));
  }

  private MemoryHistory history(String siteId) {
    return histories.computeIfAbsent(siteId, id -> new MemoryHistory());
  }

  @Override
  public Future<Boolean> lease(String siteId, String name, long ttlMillis) {
    long now = clock.millis();
    leases.values().removeIf(until -> until <= now);
    return Future.succeededFuture(leases.putIfAbsent(siteId + "\t" + name, now + ttlMillis) == null);
  }

  @Override
  public Future<String> readState(String siteId, String name) {
    return Future.succeededFuture(states.get(siteId + "\t" + name));
  }

  @Override
  public Future<Void> writeState(String siteId, String name, String value) {
    states.put(siteId + "\t" + name, value);
    return Future.succeededFuture();
  }

  /**
   * What the caps bound for a site: pageviews, custom events and visitors held, and their
   * estimated heap bytes.
   */
  public long[] held(String siteId) {
    return site(siteId).held();
  }

  /**
   * What survives a restart, for saving while the store goes on taking events: the salts and
   * states copied now, each site's figures and history copied when the save reaches it.
   */
  StoreImageSource image() {
    long now = clock.millis();
    List<StoreImage.Salt> saltList = new ArrayList<>();
    salts.forEach((day, salt) -> {
      // an old salt never reaches the disk again: its day's ids cannot be recomputed from it
      if (now - salt.createdMillis() < SALT_TTL_SECONDS * 1000L) {
        saltList.add(new StoreImage.Salt(day, salt.value(), salt.createdMillis()));
      }
    });
    Map<String, String> stateCopy = new TreeMap<>(states);
    Set<String> siteIds = new TreeSet<>(sites.keySet());
    siteIds.addAll(histories.keySet());
    return new StoreImageSource() {
      @Override
      public long savedAt() {
        return now;
      }

      @Override
      public List<StoreImage.Salt> salts() {
        return saltList;
      }

      @Override
      public Map<String, String> states() {
        return stateCopy;
      }

      @Override
      public Collection<String> siteIds() {
        return siteIds;
      }

      @Override
      public StoreImage.Site site(String siteId) {
        MemorySiteData data = sites.get(siteId);
        MemoryHistory history = histories.get(siteId);
        return new StoreImage.Site(data == null ? StoreImage.Figures.NONE : data.figures(),
            history == null ? Map.of() : history.days());
      }
    };
  }

  /**
   * Puts back a saved image, at start before any event: what expired since it was saved stays
   * out, as it would have gone had Pulse run on.
   */
  void restore(StoreImage image) {
    long now = clock.millis();
    for (StoreImage.Salt salt : image.salts()) {
      if (now - salt.createdMillis() < SALT_TTL_SECONDS * 1000L) {
        salts.putIfAbsent(salt.day(), new Salt(salt.value(), salt.createdMillis()));
      }
    }
    states.putAll(image.states());
    long oldestDay = MemoryHistory.dayOf(now / 60_000L) - HistorySlots.KEEP_DAYS;
    image.sites().forEach((siteId, saved) -> {
      site(siteId).restore(saved.figures(), now);
      MemoryHistory history = history(siteId);
      saved.history().forEach((epochDay, bytes) -> {
        if (epochDay >= oldestDay) {
          history.restore(epochDay, bytes);
        }
      });
    });
  }

  /** Runs before the store closes, after the last events are written: the last save. */
  public void beforeClose(Supplier<Future<Void>> last) {
    beforeClose = last;
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
    return beforeClose.get();
  }
}
