package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;

/** How new the first snapshot of a newly opened stream must be, with time moved by hand. */
class RecentChangeNotesTest {
  private static final long TICK = 1000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T14:00:00Z"));
  private final RecentChangeNotes notes = new RecentChangeNotes(TICK);

  @Test
  void withoutANoteASnapshotOfThisTickWillDo() {
    assertEquals(clock.millis() - TICK + 1, notes.notBefore("demo", clock.millis()));
  }

  @Test
  void aStreamOpenedRightAfterANoteGetsASnapshotComputedAfterIt() {
    clock.advanceMillis(5_000);
    long note = clock.millis();
    notes.noted("demo", note);
    clock.advanceMillis(10);
    assertEquals(note, notes.notBefore("demo", clock.millis()));
    assertEquals(clock.millis() - TICK + 1, notes.notBefore("other", clock.millis()),
        "a note of one site does not hold back another");
    clock.advanceMillis(TICK);
    assertEquals(clock.millis() - TICK + 1, notes.notBefore("demo", clock.millis()),
        "a tick later, this tick's snapshot is newer than the note anyway");
  }

  @Test
  void theNewestNoteOfASiteCounts() {
    notes.noted("demo", clock.millis());
    clock.advanceMillis(400);
    notes.noted("demo", clock.millis());
    assertEquals(clock.millis(), notes.notBefore("demo", clock.millis()));
  }

  @Test
  void notesATickOldAreForgotten() {
    notes.noted("a", clock.millis());
    notes.noted("b", clock.millis());
    clock.advanceMillis(TICK - 1);
    notes.noted("c", clock.millis());
    assertEquals(3, notes.remembered());
    clock.advanceMillis(1);
    notes.noted("c", clock.millis());
    assertEquals(1, notes.remembered(), "only notes of the last tick are held");
  }
}
