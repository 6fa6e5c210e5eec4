package pulse.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis side of history, leases and small state (RedisEventStore delegates here):
 * {@code pulse:{site}:hist:<day>} (history.lua, {@link HistorySlots}), {@code lease:<name>} and
 * {@code state:<name>}, all under the site's hash tag.
 */
final class RedisHistory {
  private static final LuaScript HISTORY = LuaScript.load("history.lua");

  private final Redis redis;
  private final java.time.Clock clock;

  RedisHistory(Redis redis, java.time.Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  Future<EventStore.Recorded> record(String siteId, long minute, long active, long present,
      boolean write) {
    String p = RedisEventStore.prefix(siteId);
    List<String> keys = List.of(p + "hist:" + WindowQuery.day(minute * 60_000L),
        p + "pm:" + minute, p + "events");
    return HISTORY.call(redis, keys, HistoryArgs.of(write, minute, active, present, clock.millis()))
        .map(r -> r.get(0).toLong() == 0
            ? new EventStore.Recorded(false, HistorySlots.decode(r.get(1).toBytes(), minute))
            : new EventStore.Recorded(write,
                new MinutePoint(minute, active, present, r.get(1).toLong(), r.get(2).toLong())));
  }

  /** One GETRANGE per day the range touches, sent together. */
  Future<List<MinutePoint>> history(String siteId, long fromMinute, long toMinute) {
    String p = RedisEventStore.prefix(siteId);
    List<Future<List<MinutePoint>>> days = new ArrayList<>();
    for (long start = fromMinute; start <= toMinute; ) {
      long dayEnd = start - HistorySlots.slot(start) + HistorySlots.MINUTES_PER_DAY - 1;
      long first = start;
      long last = Math.min(toMinute, dayEnd);
      days.add(redis.send(Request.cmd(Command.GETRANGE)
              .arg(p + "hist:" + WindowQuery.day(first * 60_000L))
              .arg(HistorySlots.slot(first) * HistorySlots.SLOT_BYTES)
              .arg((HistorySlots.slot(last) + 1) * HistorySlots.SLOT_BYTES - 1))
          .map(r -> HistorySlots.points(r == null ? new byte[0] : r.toBytes(), first, last)));
      start = last + 1;
    }
    return Future.all(days).map(all -> {
      List<MinutePoint> out = new ArrayList<>();
      for (int i = 0; i < days.size(); i++) {
        out.addAll(all.<List<MinutePoint>>resultAt(i));
      }
      return out;
    });
  }

  Future<Boolean> lease(String siteId, String name, long ttlMillis) {
    return redis.send(Request.cmd(Command.SET).arg(RedisEventStore.prefix(siteId) + "lease:" + name)
            .arg("1").arg("NX").arg("PX").arg(ttlMillis))
        .map(r -> r != null && "OK".equals(r.toString()));
  }

  Future<String> readState(String siteId, String name) {
    return redis.send(Request.cmd(Command.GET).arg(RedisEventStore.prefix(siteId) + "state:" + name))
        .map(r -> r == null ? null : r.toString());
  }

  Future<Void> writeState(String siteId, String name, String value) {
    return redis.send(Request.cmd(Command.SET).arg(RedisEventStore.prefix(siteId) + "state:" + name)
        .arg(value)).mapEmpty();
  }
}
