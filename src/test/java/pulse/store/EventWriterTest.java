package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.metrics.PulseMetrics;
import pulse.store.ControlledEventStore.Write;

/**
 * The write-behind buffer against a store the test controls: order per site, one write in flight
 * per site, retries with backoff after a failure (the delays recorded, not waited for), a full
 * buffer refusing whole offers, and flush.
 */
class EventWriterTest {
  private static final String A = "site-a";
  private static final String B = "site-b";
  private static final String C = "site-c";

  private Vertx vertx;
  private ControlledEventStore store;
  private RecordingRetryTimer retries;
  private List<String> changeNotes;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new ControlledEventStore();
    retries = new RecordingRetryTimer();
    changeNotes = Collections.synchronizedList(new ArrayList<>());
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private EventWriter writer(int capacity) {
    return new EventWriter(vertx, store, capacity, changeNotes::add, new PulseMetrics(), retries);
  }

  @Test
  void writesEachSiteInOrderWithOneWriteInFlightPerSite() throws Exception {
    EventWriter writer = writer(100);
    assertTrue(writer.offer(Map.of(A, events("a", 1, 2))));
    Write firstA = store.nextWrite();
    assertEquals(A, firstA.siteId);
    assertEquals(events("a", 1, 2), firstA.events);

    // More for A while A's write is in flight, then one for B: B is written, A waits.
    assertTrue(writer.offer(Map.of(A, events("a", 3))));
    assertTrue(writer.offer(Map.of(B, events("b", 1))));
    Write firstB = store.nextWrite();
    assertEquals(B, firstB.siteId);
    assertEquals(List.of(), store.waitingWrites(), "a second write for A while one is in flight");

    firstB.succeed();
    firstA.succeed();
    Write secondA = store.nextWrite();
    assertEquals(A, secondA.siteId);
    assertEquals(events("a", 3), secondA.events);
    secondA.succeed();

    waitFor(() -> writer.buffered() == 0);
    assertEquals(events("a", 1, 2, 3), store.stored(A));
    assertEquals(events("b", 1), store.stored(B));
    assertEquals(4, writer.written());
    waitFor(() -> changeNotes.size() == 3);
    assertEquals(List.of(B, A, A), changeNotes);
  }

  @Test
  void aLargeOfferIsWrittenInBatchesOfAtMost500InOrder() throws Exception {
    EventWriter writer = writer(2_000);
    List<Event> all = events("a", IntStream.rangeClosed(1, 1_200).toArray());
    assertTrue(writer.offer(Map.of(A, all)));
    List<Integer> batchSizes = new ArrayList<>();
    while (batchSizes.stream().mapToInt(Integer::intValue).sum() < all.size()) {
      Write write = store.nextWrite();
      batchSizes.add(write.events.size());
      write.succeed();
    }
    assertEquals(List.of(500, 500, 200), batchSizes);
    waitFor(() -> writer.buffered() == 0);
    assertEquals(all, store.stored(A));
  }

  @Test
  void aBusySiteHasSeveralWritesInFlightOfDifferentVisitorsAndEachVisitorKeepsItsOrder()
      throws Exception {
    EventWriter writer = writer(10_000);
    // 40 visitors' arrays of 50, as trackers send them
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      all.add(new Event("e" + i, Event.PAGEVIEW, 1_700_000_000_000L + i, "v" + i / 50, "/page",
          "", "", "", "", "", "", "", "", "desktop", null));
    }
    assertTrue(writer.offer(Map.of(A, all)));
    List<Write> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(store.nextWrite());
    }
    Thread.sleep(100);
    assertEquals(List.of(), store.waitingWrites(), "more than 4 writes in flight for one site");
    Set<String> held = new HashSet<>();
    for (Write write : inFlight) {
      Set<String> visitors = write.events.stream().map(Event::visitorId)
          .collect(Collectors.toSet());
      assertTrue(Collections.disjoint(held, visitors), "two writes in flight share a visitor");
      held.addAll(visitors);
    }
    // the store answers out of order, and the second write fails once
    inFlight.get(3).succeed();
    inFlight.get(1).fail("connection reset");
    inFlight.get(2).succeed();
    inFlight.get(0).succeed();
    waitFor(() -> retries.delays().size() == 1);
    retries.fireNext();
    waitFor(() -> {
      store.takeWaitingWrites().forEach(Write::succeed);
      return writer.buffered() == 0;
    });
    List<Event> stored = store.stored(A);
    assertEquals(all.size(), stored.size());
    assertEquals(Set.copyOf(all), Set.copyOf(stored), "an event lost or stored twice");
    for (int v = 0; v < 40; v++) {
      String visitor = "v" + v;
      assertEquals(all.stream().filter(e -> e.visitorId().equals(visitor)).toList(),
          stored.stream().filter(e -> e.visitorId().equals(visitor)).toList(),
          visitor + "'s events out of order");
    }
  }

  @Test
  void aFailedWriteIsRetriedWithGrowingBackoffAndNothingIsLost() throws Exception {
    EventWriter writer = writer(100);
    assertTrue(writer.offer(Map.of(A, events("a", 1, 2, 3))));
    store.nextWrite().fail("connection refused");
    waitFor(() -> retries.delays().size() == 1);
    assertTrue(writer.storeDown());
    assertEquals("connection refused", writer.lastError());
    assertEquals(3, writer.buffered());

    // Accepted while the store is down: queued behind the failed batch, which is retried as it
    // was (the store knows a batch it holds by its events).
    assertTrue(writer.offer(Map.of(A, events("a", 4))));
    for (int attempt = 2; attempt <= 7; attempt++) {
      retries.fireNext();
      Write retry = store.nextWrite();
      assertEquals(events("a", 1, 2, 3), retry.events, "attempt " + attempt);
      retry.fail("connection refused");
      int failures = attempt;
      waitFor(() -> retries.delays().size() == failures);
    }
    assertEquals(List.of(100L, 200L, 400L, 800L, 1_600L, 2_000L, 2_000L), retries.delays());
    assertEquals(4, writer.buffered());
    assertEquals(List.of(), store.stored(A));

    retries.fireNext();
    store.nextWrite().succeed();
    Write later = store.nextWrite();
    assertEquals(events("a", 4), later.events);
    later.succeed();
    waitFor(() -> writer.buffered() == 0);
    assertEquals(events("a", 1, 2, 3, 4), store.stored(A));
    assertFalse(writer.storeDown());

    // A success resets the backoff.
    assertTrue(writer.offer(Map.of(A, events("a", 5))));
    store.nextWrite().fail("connection refused");
    waitFor(() -> retries.delays().size() == 8);
    assertEquals(100L, retries.delays().get(7));
  }

  @Test
  void aFullBufferRefusesWholeOffersAndRecoversAsWritesComplete() throws Exception {
    EventWriter writer = writer(10);
    assertTrue(writer.offer(Map.of(A, events("a", 1, 2, 3, 4, 5, 6))));
    Write writeA = store.nextWrite();
    assertFalse(writer.offer(Map.of(B, events("b", 1, 2, 3, 4, 5))), "6 + 5 > 10");
    assertTrue(writer.offer(Map.of(B, events("b", 1, 2, 3, 4))), "6 + 4 = 10");
    Write writeB = store.nextWrite();
    assertFalse(writer.offer(Map.of(A, events("a", 7))));
    assertEquals(10, writer.buffered(), "nothing of a refused offer is taken");

    writeA.fail("timeout");
    waitFor(() -> retries.delays().size() == 1);
    assertFalse(writer.offer(Map.of(C, events("c", 1))), "a failed write keeps its events");

    writeB.succeed();
    waitFor(() -> writer.buffered() == 6);
    assertTrue(writer.offer(Map.of(C, events("c", 1))));

    retries.fireNext();
    Map<String, Write> retried = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      Write write = store.nextWrite();
      retried.put(write.siteId, write);
    }
    assertEquals(List.of(A, C), List.copyOf(retried.keySet()), "the failed site goes first");
    retried.values().forEach(Write::succeed);
    waitFor(() -> writer.buffered() == 0);
    assertEquals(events("a", 1, 2, 3, 4, 5, 6), store.stored(A));
    assertTrue(writer.offer(Map.of(A, events("a", 11, 12, 13, 14, 15, 16, 17, 18, 19, 20))));
  }

  @Test
  void aRefusalMarksTheBufferFullUntilAWriteMakesRoom() throws Exception {
    EventWriter writer = writer(10);
    assertFalse(writer.offer(Map.of(A, events("a", IntStream.rangeClosed(1, 11).toArray()))));
    assertFalse(writer.refusing(), "an offer larger than the whole buffer fills nothing");
    assertTrue(writer.offer(Map.of(A, events("a", 1, 2, 3, 4, 5, 6))));
    Write write = store.nextWrite();
    assertFalse(writer.refusing());
    assertFalse(writer.offer(Map.of(B, events("b", 1, 2, 3, 4, 5))));
    assertTrue(writer.refusing());
    write.fail("timeout");
    waitFor(() -> retries.delays().size() == 1);
    assertTrue(writer.refusing(), "a failed write makes no room");
    retries.fireNext();
    store.nextWrite().succeed();
    waitFor(() -> writer.buffered() == 0);
    assertFalse(writer.refusing());
  }

  @Test
  void anOfferForSeveralSitesIsTakenWholeOrNotAtAll() throws Exception {
    EventWriter writer = writer(5);
    Map<String, List<Event>> bySite = new LinkedHashMap<>();
    bySite.put(A, events("a", 1, 2, 3));
    bySite.put(B, events("b", 1, 2, 3));
    assertFalse(writer.offer(bySite));
    assertEquals(0, writer.buffered());
    assertEquals(List.of(), store.waitingWrites());
  }

  @Test
  void flushCompletesOnlyOnceEveryBufferedEventIsStored() throws Exception {
    EventWriter writer = writer(100);
    assertTrue(writer.offer(Map.of(A, events("a", 1, 2))));
    Write writeA = store.nextWrite();
    assertTrue(writer.offer(Map.of(B, events("b", 1))));
    Write writeB = store.nextWrite();

    Future<Void> flushed = writer.flush(10_000);
    List<Integer> storedWhenFlushed = Collections.synchronizedList(new ArrayList<>());
    flushed.onComplete(ar ->
        storedWhenFlushed.add(store.stored(A).size() + store.stored(B).size()));

    writeA.succeed();
    waitFor(() -> writer.buffered() == 1);
    assertFalse(flushed.isComplete(), "flush completed with B's event still buffered");

    writeB.succeed();
    await(flushed);
    assertEquals(List.of(3), storedWhenFlushed);
  }

  @Test
  void flushOfAnEmptyBufferCompletesAndAStuckStoreMakesFlushFail() throws Exception {
    EventWriter writer = writer(100);
    await(writer.flush(10_000));

    assertTrue(writer.offer(Map.of(A, events("a", 1))));
    store.nextWrite(); // never answered
    ExecutionException e = assertThrows(
        ExecutionException.class, () -> await(writer.flush(50)));
    assertEquals("flush timed out with 1 events still buffered", e.getCause().getMessage());
  }

  @Test
  void nothingIsRetriedWithoutAFailure() throws Exception {
    EventWriter writer = writer(100);
    assertTrue(writer.offer(Map.of(A, events("a", 1))));
    store.nextWrite().succeed();
    waitFor(() -> writer.buffered() == 0);
    assertEquals(List.of(), retries.delays());
    assertNull(writer.lastError());
  }

  /** Events whose ids are {@code prefix + n}, in the given order. */
  private static List<Event> events(String prefix, int... numbers) {
    List<Event> events = new ArrayList<>();
    for (int n : numbers) {
      events.add(new Event(prefix + n, Event.PAGEVIEW, 1_700_000_000_000L + n, "visitor",
          "/page", "", "", "", "", "", "", "", "", "desktop", null));
    }
    return events;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Waits for a condition the writer reaches on its own context; fails after 10 s. */
  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(2);
    }
  }

  /** Records each backoff delay and holds the retry until the test fires it. */
  private static final class RecordingRetryTimer implements EventWriter.RetryTimer {
    private final List<Long> delays = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<Runnable> due = new LinkedBlockingQueue<>();

    @Override
    public void schedule(long delayMillis, Runnable retry) {
      delays.add(delayMillis);
      Context context = Vertx.currentContext();
      due.add(() -> context.runOnContext(v -> retry.run()));
    }

    List<Long> delays() {
      return List.copyOf(delays);
    }

    void fireNext() throws InterruptedException {
      Runnable retry = due.poll(10, TimeUnit.SECONDS);
      if (retry == null) {
        throw new AssertionError("no retry was scheduled");
      }
      retry.run();
    }
  }
}
