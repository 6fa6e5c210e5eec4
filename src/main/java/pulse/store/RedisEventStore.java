package pulse.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events in Redis sorted sets, one key family per site: {@code pulse:{site}:...}. The braces are a
 * Redis Cluster hash tag, so all of a site's keys share one slot and each Lua script touches one
 * node. docs/architecture.md lists the keys.
 */
public final class RedisEventStore implements EventStore {
  private static final LuaScript APPEND = LuaScript.load("append.lua");
  /** Where window.lua's reply holds the visitors changed since the reader's batch. */
  private static final int WINDOW_CHANGES = 9;
  private static final LuaScript WINDOW = LuaScript.load("window.lua");

  private final Redis redis;
  private final Clock clock;
  private final StoreLimits limits;
  private final ActiveVisitorCache visitorCache = new ActiveVisitorCache();
  private final RedisHistory history;
  private final SiteUpkeep upkeep;
  private final AcknowledgedBatches acknowledged = new AcknowledgedBatches();

  public RedisEventStore(Redis redis, Clock clock, StoreLimits limits) {
    this.redis = redis;
    this.clock = clock;
    this.limits = limits;
    this.history = new RedisHistory(redis, clock);
    this.upkeep = new SiteUpkeep(clock);
  }

  /** A client for one URL, or a cluster client when the URL names several nodes (comma-separated). */
  public static Redis connect(Vertx vertx, String urls) {
    RedisOptions options = new RedisOptions().setMaxPoolSize(16).setMaxPoolWaiting(4096);
    String[] parts = urls.split(",");
    for (String part : parts) {
      options.addConnectionString(part.trim());
    }
    if (parts.length > 1) {
      options.setType(RedisClientType.CLUSTER);
    }
    return Redis.createClient(vertx, options);
  }

  /** The channel every append publishes its site id on (see append.lua). */
  public static final String CHANGES_CHANNEL = "pulse:changes";

  public static String prefix(String siteId) {
    return "pulse:{" + siteId + "}:";
  }

  @Override
  public Future<Void> append(String siteId, List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    String p = prefix(siteId);
    List<String> forget = acknowledged.take(siteId);
    List<String> args = AppendArgs.of(p, siteId, clock.millis(), limits,
        upkeep.next(siteId, events.size()), forget, events);
    String batchId = args.get(AppendArgs.Arg.BATCH - 1);
    // either reply means stored: the visits applied, or "held" when an earlier call whose reply
    // was lost stored this batch (see append.lua)
    return APPEND.call(redis, List.of(p + "visitors"), args).transform(ar -> {
      if (ar.failed()) {
        acknowledged.giveBack(siteId, forget); // the call may not have run
        return Future.failedFuture(ar.cause());
      }
      if (!batchId.isEmpty()) {
        acknowledged.add(siteId, batchId);
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<WindowData> window(WindowQuery q) {
    String p = prefix(q.siteId());
    ActiveVisitorCache.Entry cached = visitorCache.entry(q.siteId(), q.now());
    long windowMillis = q.now() - q.from();
    boolean full = cached.needsFullRead(q.now(), windowMillis);
    long heldSeq = cached.seq();
    // the figures and the visitors changed since the held batch, read at one instant
    Future<Response> figures = WINDOW.call(redis,
        List.of(p + "pvcount", p + "touched", p + "seq", p + "touched-floor"),
        WindowArgs.of(p, q, full ? -1 : heldSeq));
    Future<List<ActiveVisitor>> visitors = full
        ? fullVisitorRead(p, q, cached, cached.fullReadMillis(windowMillis))
        : figures.compose(r -> {
              Response changes = r.get(WINDOW_CHANGES);
              long seq = changes.get(0).toLong();
              // -1: changes were dropped (a flood past the cap); lower: the site's keys expired
              // and its batch numbers started over
              if (seq < heldSeq) {
                return fullVisitorRead(p, q, cached, cached.fullReadMillis(windowMillis));
              }
              return Future.succeededFuture(cached.update(changedVisitors(changes, cached), seq,
                  q.from(), q.now(), clock.millis()));
            });
    return Future.all(figures, visitors)
        .map(done -> windowData(visitors.result(), figures.result()));
  }

  /**
   * The logs of the window's seconds in one MGET (lines: ms within the second, visitor, path),
   * and the pageviews stored before the logs, one sorted-set member each, while they last.
   */
  @Override
  public Future<List<WindowPageview>> pageviews(WindowQuery q) {
    String p = prefix(q.siteId());
    long firstSecond = Math.floorDiv(q.from(), 1000L);
    long lastSecond = Math.floorDiv(q.now(), 1000L);
    Request logs = Request.cmd(Command.MGET);
    for (long s = firstSecond; s <= lastSecond; s++) {
      logs.arg(p + "pvlog:" + s);
    }
    Request legacy = Request.cmd(Command.ZRANGEBYSCORE).arg(p + "pageviews").arg(q.from())
        .arg(q.now()).arg("WITHSCORES");
    return redis.batch(List.of(logs, legacy)).map(r -> {
      List<WindowPageview> out = new ArrayList<>();
      Response old = r.get(1);
      if (pairCount(old) > 0) {
        forEachPair(old, (i, member, score) -> out.add(WindowPageview.of(member, score)));
      }
      boolean merge = !out.isEmpty();
      Response texts = r.get(0);
      for (int i = 0; i < texts.size(); i++) {
        Response text = texts.get(i);
        if (text != null) {
          WindowPageview.fromLog(firstSecond + i, text.toString(), q.from(), q.now(), out);
        }
      }
      if (merge) {
        out.sort(Comparator.comparingLong(WindowPageview::time));
      }
      return out;
    });
  }

  /**
   * Every visitor seen in the last {@code spanMillis}, after the batch number they are at least
   * as new as; returns those in the query's window.
   */
  private Future<List<ActiveVisitor>> fullVisitorRead(String p, WindowQuery q,
      ActiveVisitorCache.Entry cached, long spanMillis) {
    return redis.send(Request.cmd(Command.GET).arg(p + "seq"))
        .compose(seq -> visitorsSeen(p, q.now() - spanMillis)
            .map(all -> cached.replaceAll(all, seq == null ? 0 : seq.toLong(), spanMillis,
                q.from(), q.now(), clock.millis())));
  }

  /**
   * The changed visitors window.lua read (ids, last-seen times, states); null for one that is
   * gone. Each is read against the state the cache holds of it, whose unchanged fields it keeps.
   */
  private static Map<String, ActiveVisitor> changedVisitors(Response changes,
      ActiveVisitorCache.Entry cached) {
    Response ids = changes.get(1);
    if (ids == null || ids.size() == 0) {
      return Map.of();
    }
    Response seen = changes.get(2);
    Response states = changes.get(3);
    Map<String, ActiveVisitor> changed = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i).toString();
      Response score = seen.get(i);
      changed.put(id, score == null ? null : visitorOrNull(id, Math.round(score.toDouble()),
          states.get(i), cached.heldVisitor(id)));
    }
    return changed;
  }

  /**
   * The visitors seen since {@code from} with their states: two plain commands, no script. Those
   * seen after the snapshot's time are read too: the cache decides which the read came in time for.
   */
  private Future<List<ActiveVisitor>> visitorsSeen(String p, long from) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(p + "visitors").arg(from)
            .arg("+inf").arg("WITHSCORES"))
        .compose(seen -> {
          int n = pairCount(seen);
          if (n == 0) {
            return Future.succeededFuture(List.of());
          }
          String[] ids = new String[n];
          long[] lastSeen = new long[n];
          Request states = Request.cmd(Command.HMGET).arg(p + "vstate");
          forEachPair(seen, (i, id, score) -> {
            ids[i] = id;
            lastSeen[i] = score;
            states.arg(id);
          });
          return redis.send(states).map(got -> {
            List<ActiveVisitor> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              ActiveVisitor v = visitorOrNull(ids[i], lastSeen[i], got.get(i), null);
              if (v != null) {
                out.add(v);
              }
            }
            return out;
          });
        });
  }

  /**
   * A visitor from its HMGET state, or null when it has none: trimmed since it was listed.
   * {@code was}: the visitor as held before, or null.
   */
  private static ActiveVisitor visitorOrNull(String id, long lastSeen, Response state,
      ActiveVisitor was) {
    String text = state == null ? null : state.toString();
    return text == null || text.isEmpty() ? null : Records.visitor(id, lastSeen, text, was);
  }

  private interface PairAction {
    void accept(int index, String member, long score);
  }

  /** Member-score pairs of a WITHSCORES reply: flat under RESP2, nested pairs under RESP3. */
  private static int pairCount(Response r) {
    if (r == null || r.size() == 0) {
      return 0;
    }
    return r.get(0).type() == ResponseType.MULTI ? r.size() : r.size() / 2;
  }

  private static void forEachPair(Response r, PairAction action) {
    boolean nested = r.get(0).type() == ResponseType.MULTI;
    int n = pairCount(r);
    for (int i = 0; i < n; i++) {
      Response member = nested ? r.get(i).get(0) : r.get(2 * i);
      Response score = nested ? r.get(i).get(1) : r.get(2 * i + 1);
      action.accept(i, member.toString(), Math.round(score.toDouble()));
    }
  }

  private static WindowData windowData(List<ActiveVisitor> visitors, Response r) {
    Response paths = r.get(1);
    Map<String, Long> byPath = new LinkedHashMap<>();
    for (int i = 0; i + 1 < paths.size(); i += 2) {
      byPath.put(paths.get(i).toString(), paths.get(i + 1).toLong());
    }
    Response recentFlat = r.get(2);
    List<StoredPageview> recent = new ArrayList<>(recentFlat.size() / 2);
    for (int i = 0; i + 1 < recentFlat.size(); i += 2) {
      recent.add(Records.pageview(recentFlat.get(i).toString(), recentFlat.get(i + 1).toLong()));
    }
    Response eventsFlat = r.get(7);
    List<WindowEvent> events = new ArrayList<>(eventsFlat.size() / 2);
    for (int i = 0; i + 1 < eventsFlat.size(); i += 2) {
      events.add(WindowEvent.of(eventsFlat.get(i).toString(), eventsFlat.get(i + 1).toLong()));
    }
    Response botsFlat = r.get(8);
    Map<String, Long> bots = new LinkedHashMap<>();
    for (int i = 0; i + 1 < botsFlat.size(); i += 2) {
      bots.put(botsFlat.get(i).toString(), botsFlat.get(i + 1).toLong());
    }
    return new WindowData(visitors, r.get(0).toLong(), byPath, longs(r.get(3)), longs(r.get(4)),
        recent, r.get(5).toLong(), r.get(6).toLong(), events, bots);
  }

  private static long[] longs(Response array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).toLong();
    }
    return out;
  }

  /** How many sites have a visitor state held between reads (one each, whatever the windows). */
  int cachedSites() {
    return visitorCache.sites();
  }

  /** How many visitors the states held between reads hold in all. */
  long cachedVisitors() {
    return visitorCache.visitors();
  }

  @Override
  public Future<DayFigures> day(String siteId, String day) {
    String p = prefix(siteId);
    return redis.batch(List.of(
            Request.cmd(Command.PFCOUNT).arg(p + "uv:" + day),
            Request.cmd(Command.HGETALL).arg(p + "day:" + day)))
        .map(rs -> {
          Response h = rs.get(1);
          return new DayFigures(rs.get(0).toLong(), field(h, "pageviews"), field(h, "sessions"),
              field(h, "bounces"), field(h, "duration"), field(h, "new"), field(h, "returning"));
        });
  }

  private static long field(Response hash, String name) {
    Response v = hash.get(name);
    return v == null ? 0 : v.toLong();
  }

  @Override
  public Future<Long> uniqueVisitors(String siteId, List<String> days) {
    String p = prefix(siteId);
    Request request = Request.cmd(Command.PFCOUNT);
    for (String day : days) {
      request.arg(p + "uv:" + day);
    }
    return redis.send(request).map(Response::toLong);
  }

  /** Pageviews from the day hash's pv:HH fields; visitors as the union of the hourly HyperLogLogs. */
  @Override
  public Future<DayPart> dayHours(String siteId, String day, int hours) {
    if (hours <= 0) {
      return Future.succeededFuture(DayPart.EMPTY);
    }
    String p = prefix(siteId);
    Request visitors = Request.cmd(Command.PFCOUNT);
    Request pageviews = Request.cmd(Command.HMGET).arg(p + "day:" + day);
    for (int h = 0; h < Math.min(hours, 24); h++) {
      visitors.arg(p + "uvh:" + day + (h < 10 ? "0" + h : Integer.toString(h)));
      pageviews.arg(Records.hourPageviewsField(h));
    }
    return redis.batch(List.of(visitors, pageviews)).map(rs -> {
      long sum = 0;
      for (Response count : rs.get(1)) {
        sum += count == null ? 0 : count.toLong();
      }
      return new DayPart(rs.get(0).toLong(), sum);
    });
  }

  @Override
  public Future<Long> lastEventTime(String siteId) {
    return redis.send(Request.cmd(Command.GET).arg(prefix(siteId) + "last"))
        .map(r -> r == null ? null : r.toLong());
  }

  @Override
  public Future<String> dailySalt(String day) {
    String key = "pulse:salt:" + day;
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    // the first instance to ask sets it; every other instance reads the same value
    return redis.send(Request.cmd(Command.SET).arg(key).arg(HexFormat.of().formatHex(bytes))
            .arg("NX").arg("EX").arg(SALT_TTL_SECONDS))
        .compose(ignored -> redis.send(Request.cmd(Command.GET).arg(key)))
        .map(Response::toString);
  }

  @Override
  public Future<Recorded> recordMinute(String siteId, long minute, long active, long present) {
    return history.record(siteId, minute, active, present, true);
  }

  @Override
  public Future<MinutePoint> minuteSoFar(String siteId, long minute, long active, long present) {
    return history.record(siteId, minute, active, present, false).map(Recorded::point);
  }

  @Override
  public Future<List<MinutePoint>> history(String siteId, long fromMinute, long toMinute) {
    return history.history(siteId, fromMinute, toMinute);
  }

  @Override
  public Future<Boolean> lease(String siteId, String name, long ttlMillis) {
    return history.lease(siteId, name, ttlMillis);
  }

  @Override
  public Future<String> readState(String siteId, String name) {
    return history.readState(siteId, name);
  }

  @Override
  public Future<Void> writeState(String siteId, String name, String value) {
    return history.writeState(siteId, name, value);
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }
}
