package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;

/** When a group of streams may compute a snapshot, with time moved by hand. */
class RefreshBudgetTest {
  private static final long TICK = 1000;
  private static final long FALLBACK = 5000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T14:00:00Z"));
  private final RefreshBudget budget = new RefreshBudget(TICK, FALLBACK);

  private long now() {
    return clock.millis();
  }

  private void compute() {
    budget.begin(now());
    budget.end();
  }

  @Test
  void twoComputationsAtOnceThenOnePerTick() {
    assertTrue(budget.mayCompute(now()));
    compute();
    assertTrue(budget.mayCompute(now()), "a second change right after the first is pushed too");
    compute();
    assertFalse(budget.mayCompute(now()));
    assertEquals(TICK, budget.millisUntilCredit(now()));
    clock.advanceMillis(TICK / 2);
    assertEquals(TICK / 2, budget.millisUntilCredit(now()));
    clock.advanceMillis(TICK / 2 - 1);
    assertFalse(budget.mayCompute(now()));
    clock.advanceMillis(1);
    assertTrue(budget.mayCompute(now()));
    compute();
    assertFalse(budget.mayCompute(now()));
  }

  @Test
  void theCreditHoldsAtMostTwoHoweverLongTheGroupWasIdle() {
    budget.mayCompute(now());
    clock.advanceSeconds(60);
    compute();
    compute();
    assertFalse(budget.mayCompute(now()));
  }

  @Test
  void aBusySiteComputesOnAverageOncePerTick() {
    int computed = 0;
    for (int ms = 0; ms < 10 * TICK; ms += 50) {
      budget.noteChange(now());
      if (budget.mayCompute(now())) {
        compute();
        computed++;
      }
      clock.advanceMillis(50);
    }
    // ten ticks: one computation per tick, plus at most the two held at the start
    assertTrue(computed >= 10 && computed <= 12, computed + " computations in ten ticks");
  }

  @Test
  void aChangeALittleLessThanATickAfterTheLastIsStillPushedAtOnce() {
    // a site with an event every second and some jitter: every change is computed at once,
    // none waits for the next tick
    for (int i = 0; i < 20; i++) {
      budget.noteChange(now());
      assertTrue(budget.mayCompute(now()), "change " + i + " waits for no tick");
      compute();
      clock.advanceMillis(i % 2 == 0 ? 1100 : 900);
    }
  }

  @Test
  void afterAChangeNoteTheSnapshotMustBeComputedAfterTheOldestNoteNotYetShown() {
    long first = now();
    budget.noteChange(first);
    clock.advanceMillis(300);
    budget.noteChange(now());
    assertTrue(budget.changePending());
    clock.advanceMillis(300);
    assertEquals(first, budget.begin(now()));
    assertFalse(budget.changePending(), "the computation takes up the notes");
    assertFalse(budget.end());
  }

  @Test
  void withoutAChangeNoteThisTicksSnapshotWillDo() {
    assertEquals(now() - TICK + 1, budget.begin(now()));
  }

  @Test
  void aNoteDuringAComputationAsksForAnotherAfterIt() {
    budget.begin(now());
    assertTrue(budget.computing());
    clock.advanceMillis(10);
    long note = now();
    budget.noteChange(note);
    assertThrows(IllegalStateException.class, () -> budget.begin(now()),
        "one computation at a time");
    assertTrue(budget.end(), "the note that came meanwhile wants a computation");
    assertFalse(budget.computing());
    assertEquals(note, budget.begin(now()));
  }

  @Test
  void withoutChangesTheTimerComputesOncePerFallbackPeriod() {
    assertTrue(budget.dueAt(now()), "a new group computes on its first tick");
    compute();
    clock.advanceMillis(FALLBACK - 1);
    assertFalse(budget.dueAt(now()));
    clock.advanceMillis(1);
    assertTrue(budget.dueAt(now()), "the window moves on though nothing happened");
  }

  @Test
  void theTimerComputesAPendingChangeOnceThereIsCredit() {
    compute();
    compute();
    budget.noteChange(now());
    assertFalse(budget.dueAt(now()), "a change, but no credit left");
    clock.advanceMillis(TICK - 1);
    assertFalse(budget.dueAt(now()));
    clock.advanceMillis(1);
    assertTrue(budget.dueAt(now()));
  }
}
