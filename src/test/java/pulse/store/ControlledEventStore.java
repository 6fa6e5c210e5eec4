package pulse.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventStore} whose appends wait until the test says how they end: each call is held
 * as a {@link Write} that the test makes succeed or fail, so a test can have a write in flight,
 * fail it, and watch the retry. Only {@code append} is used by {@link EventWriter}; the rest
 * refuses.
 */
final class ControlledEventStore implements EventStore {

  /** One append call, held until the test ends it. */
  final class Write {
    final String siteId;
    final List<Event> events;
    private final Promise<Void> promise = Promise.promise();
    private final Context context = Vertx.currentContext();

    private Write(String siteId, List<Event> events) {
      this.siteId = siteId;
      this.events = List.copyOf(events);
    }

    /** Completes the write on the caller's context, as a real store's reply would. */
    void succeed() {
      context.runOnContext(v -> {
        synchronized (ControlledEventStore.this) {
          stored.computeIfAbsent(siteId, s -> new ArrayList<>()).addAll(events);
        }
        promise.complete();
      });
    }

    void fail(String message) {
      context.runOnContext(v -> promise.fail(message));
    }
  }

  private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>();
  private final Map<String, List<Event>> stored = new LinkedHashMap<>();

  @Override
  public Future<Void> append(String siteId, List<Event> events) {
    Write write = new Write(siteId, events);
    writes.add(write);
    return write.promise.future();
  }

  /** The next append call, waiting up to 10 s for it; fails the test if none comes. */
  Write nextWrite() throws InterruptedException {
    Write write = writes.poll(10, TimeUnit.SECONDS);
    if (write == null) {
      throw new AssertionError("no write reached the store within 10 s");
    }
    return write;
  }

  /** Append calls made and not yet taken by {@link #nextWrite}. */
  List<Write> waitingWrites() {
    return List.copyOf(writes);
  }

  /** Takes the append calls made and not yet taken, for the test to end. */
  List<Write> takeWaitingWrites() {
    List<Write> taken = new ArrayList<>();
    writes.drainTo(taken);
    return taken;
  }

  /** The events stored so far for a site, in the order they were stored. */
  synchronized List<Event> stored(String siteId) {
    return List.copyOf(stored.getOrDefault(siteId, List.of()));
  }

  @Override
  public Future<WindowData> window(WindowQuery query) {
    return unused();
  }

  @Override
  public Future<List<WindowPageview>> pageviews(WindowQuery query) {
    return unused();
  }

  @Override
  public Future<DayFigures> day(String siteId, String day) {
    return unused();
  }

  @Override
  public Future<Long> uniqueVisitors(String siteId, List<String> days) {
    return unused();
  }

  @Override
  public Future<DayPart> dayHours(String siteId, String day, int hours) {
    return unused();
  }

  @Override
  public Future<Long> lastEventTime(String siteId) {
    return unused();
  }

  @Override
  public Future<String> dailySalt(String day) {
    return unused();
  }

  @Override
  public Future<Recorded> recordMinute(String siteId, long minute, long active, long present) {
    return unused();
  }

  @Override
  public Future<MinutePoint> minuteSoFar(String siteId, long minute, long active, long present) {
    return unused();
  }

  @Override
  public Future<List<MinutePoint>> history(String siteId, long fromMinute, long toMinute) {
    return unused();
  }

  @Override
  public Future<Boolean> lease(String siteId, String name, long ttlMillis) {
    return unused();
  }

  @Override
  public Future<String> readState(String siteId, String name) {
    return unused();
  }

  @Override
  public Future<Void> writeState(String siteId, String name, String value) {
    return unused();
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public String kind() {
    return "controlled";
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static <T> Future<T> unused() {
    return Future.failedFuture("not used by EventWriter");
  }
}
