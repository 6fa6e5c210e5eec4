package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One site's waiting events: which batch goes next, and that each visitor's events keep order. */
class SiteQueueTest {

  @Test
  void withNothingInFlightTheHeadGoesWhateverItsVisitors() {
    SiteQueue queue = new SiteQueue();
    queue.add(events(700, 3));
    List<Event> batch = queue.take();
    assertEquals(SiteQueue.MAX_BATCH, batch.size());
    assertEquals(events(700, 3).subList(0, SiteQueue.MAX_BATCH), batch);
    assertEquals(1, queue.writesInFlight());
  }

  @Test
  void aSmallSiteWaitsForItsWriteInFlightAndItsEventsGoTogether() {
    SiteQueue queue = new SiteQueue();
    queue.add(events(1, 1));
    queue.take();
    queue.add(eventsFrom(SiteQueue.PARALLEL_FROM - 1, "other"));
    assertFalse(queue.canWrite(), "a second write for fewer than PARALLEL_FROM waiting events");
    queue.add(eventsFrom(1, "late"));
    assertTrue(queue.canWrite());
  }

  @Test
  void aSecondWriteTakesOnlyVisitorsTheFirstDoesNotHoldAndLeavesTheRestInOrder() {
    SiteQueue queue = new SiteQueue();
    List<Event> first = List.of(event(0, "a"), event(1, "b"));
    queue.add(first);
    assertEquals(first, queue.take());
    // a and b are in flight; c and d are not
    List<Event> waiting = new ArrayList<>();
    for (int i = 2; i < 2 + 2 * SiteQueue.PARALLEL_FROM; i++) {
      waiting.add(event(i, List.of("a", "c", "b", "d").get(i % 4)));
    }
    queue.add(waiting);
    List<Event> second = queue.take();
    assertEquals(Set.of("c", "d"), visitors(second));
    assertEquals(waiting.stream().filter(e -> Set.of("c", "d").contains(e.visitorId())).toList(),
        second);
    assertEquals(waiting.stream().filter(e -> Set.of("a", "b").contains(e.visitorId())).toList(),
        drain(queue, first, second));
  }

  @Test
  void aVisitorsLaterEventsStayBehindItsEarlierOnesThatWait() {
    SiteQueue queue = new SiteQueue();
    queue.add(List.of(event(0, "a")));
    queue.take();
    // b waits behind nothing, but once a's event is skipped every later a stays too
    List<Event> waiting = new ArrayList<>();
    for (int i = 1; i <= 150; i++) {
      waiting.add(event(i, i % 2 == 0 ? "a" : "b"));
    }
    queue.add(waiting);
    List<Event> second = queue.take();
    assertEquals(Set.of("b"), visitors(second));
    assertEquals(75, second.size());
  }

  @Test
  void atMostMaxWritesAreInFlightAndEachHoldsVisitorsNoOtherHolds() {
    SiteQueue queue = new SiteQueue();
    // as trackers send them: arrays of 50 events, each array one visitor's
    List<Event> arrays = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      arrays.add(event(i, "v" + i / 50));
    }
    queue.add(arrays);
    List<List<Event>> inFlight = new ArrayList<>();
    while (queue.canWrite()) {
      inFlight.add(queue.take());
    }
    assertEquals(SiteQueue.MAX_WRITES, inFlight.size());
    assertEquals(SiteQueue.MAX_WRITES * SiteQueue.MAX_BATCH,
        inFlight.stream().mapToInt(List::size).sum());
    for (int i = 0; i < inFlight.size(); i++) {
      for (int j = i + 1; j < inFlight.size(); j++) {
        Set<String> shared = visitors(inFlight.get(i));
        shared.retainAll(visitors(inFlight.get(j)));
        assertEquals(Set.of(), shared, "writes " + i + " and " + j + " share visitors");
      }
    }
  }

  @Test
  void visitorsTakingTurnsInEveryBatchGetNoSecondWrite() {
    SiteQueue queue = new SiteQueue();
    queue.add(events(5_000, 200));
    queue.take();
    assertEquals(List.of(), queue.take(), "the first 500 hold all 200 visitors");
  }

  @Test
  void whenEveryWaitingEventIsHeldNothingIsTriedUntilAWriteReturns() {
    SiteQueue queue = new SiteQueue();
    List<Event> first = eventsFrom(1, "a");
    queue.add(first);
    queue.take();
    queue.add(eventsFrom(SiteQueue.PARALLEL_FROM, "a"));
    assertTrue(queue.canWrite());
    assertEquals(List.of(), queue.take());
    assertFalse(queue.canWrite(), "tried again before a write returned");
    queue.stored(first);
    assertTrue(queue.canWrite());
    assertEquals(SiteQueue.PARALLEL_FROM, queue.take().size());
  }

  @Test
  void aFailedWriteGoesBackBeforeItsVisitorsLaterEvents() {
    SiteQueue queue = new SiteQueue();
    List<Event> all = new ArrayList<>(events(5, 5));
    queue.add(all);
    List<Event> first = queue.take();
    List<Event> later = events(300, 10);
    all.addAll(later);
    queue.add(later);
    List<Event> second = queue.take();
    assertEquals(Set.of("v5", "v6", "v7", "v8", "v9"), visitors(second));
    queue.failed(first);
    queue.stored(second);
    List<Event> stored = new ArrayList<>(second);
    while (queue.canWrite()) {
      List<Event> batch = queue.take();
      stored.addAll(batch);
      queue.stored(batch);
    }
    assertTrue(queue.idle());
    assertEquals(all.size(), stored.size());
    for (String visitor : visitors(all)) {
      assertEquals(ofVisitor(all, visitor), ofVisitor(stored, visitor), visitor + "'s order");
    }
  }

  @Test
  void aFailedBatchGoesAgainAsItWasAndItsVisitorsLaterEventsWaitForIt() {
    SiteQueue queue = new SiteQueue();
    List<Event> first = List.of(event(0, "a"), event(1, "b"));
    queue.add(first);
    assertEquals(first, queue.take());
    queue.failed(first);
    // more of a, and more than a whole batch of others, while the batch is out
    List<Event> others = eventsFrom(SiteQueue.MAX_BATCH + 10, "c");
    queue.add(List.of(event(2, "a")));
    queue.add(others);
    assertTrue(queue.canWrite());
    assertEquals(first, queue.take(), "retried with nothing added or taken away");
    List<Event> second = queue.take();
    assertFalse(second.isEmpty());
    assertFalse(visitors(second).contains("a"), "a's later event waits for the retry");
    List<Event> rest = drain(queue, first, second);
    assertTrue(queue.idle());
    assertTrue(rest.contains(event(2, "a")));
    assertEquals(SiteQueue.MAX_BATCH + 11, second.size() + rest.size());
  }

  /** Writes what is left, completing the given writes first; returns the rest in write order. */
  private static List<Event> drain(SiteQueue queue, List<Event> first, List<Event> second) {
    queue.stored(first);
    queue.stored(second);
    List<Event> rest = new ArrayList<>();
    while (queue.canWrite()) {
      List<Event> batch = queue.take();
      rest.addAll(batch);
      queue.stored(batch);
    }
    return rest;
  }

  private static List<Event> ofVisitor(List<Event> events, String visitor) {
    return events.stream().filter(e -> e.visitorId().equals(visitor)).toList();
  }

  private static Set<String> visitors(List<Event> events) {
    return events.stream().map(Event::visitorId).collect(Collectors.toSet());
  }

  /** n events of {@code visitors} visitors taking turns. */
  private static List<Event> events(int n, int visitors) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(event(i, "v" + i % visitors));
    }
    return out;
  }

  private static List<Event> eventsFrom(int n, String visitor) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(event(i, visitor));
    }
    return out;
  }

  private static Event event(int n, String visitor) {
    return new Event(visitor + "-" + n, Event.PAGEVIEW, 1_700_000_000_000L + n, visitor, "/page",
        "", "", "", "", "", "", "", "", "desktop", null);
  }
}
