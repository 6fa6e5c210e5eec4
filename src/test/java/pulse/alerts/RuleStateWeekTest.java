package pulse.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import pulse.realtime.Baseline;
import pulse.site.AlertRule;
import pulse.site.AlertRule.Kind;
import pulse.store.MinutePoint;

/**
 * A week of synthetic minutes (10,080 steps) through each kind of rule: each fires once and
 * resolves once, at the minutes its condition says, and noise around a threshold does not flap.
 */
class RuleStateWeekTest {
  private static final int WEEK = 7 * 24 * 60;
  /** Monday 2026-11-30 00:00 UTC, an epoch minute. */
  private static final long START = 1_795_996_800_000L / 60_000L;
  private static final int DAY = 24 * 60;

  /** One transition of a replay: the minute of the week it happened in, and which. */
  record Seen(int minuteOfWeek, RuleState.Transition transition) {}

  private static AlertRule rule(Kind kind, double factor, long value, int minutes) {
    return new AlertRule("r", kind, factor, value, minutes, URI.create("https://x.test/h"),
        "0123456789abcdef");
  }

  /** The usual active visitors: 20 to 30 by day (08:00-22:00), 2 at night. */
  private static long usual(int minuteOfWeek) {
    int hour = minuteOfWeek % DAY / 60;
    return hour >= 8 && hour < 22 ? 20 + (long) (10 * Math.sin(minuteOfWeek / 90.0) + 0.5) : 2;
  }

  private static List<Seen> replay(AlertRule rule, LongFunction<MinutePoint> traffic,
      LongFunction<Baseline> baseline) {
    List<Seen> seen = new ArrayList<>();
    RuleState state = RuleState.INITIAL;
    for (int m = 0; m < WEEK; m++) {
      RuleState.Step step = state.step(rule, traffic.apply(m), baseline.apply(m));
      state = step.state();
      if (step.transition() != RuleState.Transition.NONE) {
        seen.add(new Seen(m, step.transition()));
      }
    }
    return seen;
  }

  /** Usual traffic with a little noise (0 or 1 more), and an incident's figures in its minutes. */
  private static LongFunction<MinutePoint> traffic(long seed, int from, int to,
      LongFunction<Long> during) {
    Random random = new Random(seed);
    long[] noise = new long[WEEK];
    for (int i = 0; i < WEEK; i++) {
      noise[i] = random.nextInt(2);
    }
    return m -> {
      int i = (int) m;
      long active = i >= from && i < to ? during.apply(m) : usual(i) + noise[i];
      return new MinutePoint(START + m, active, active / 2, active, active / 10);
    };
  }

  private static LongFunction<Baseline> usualBaseline() {
    return m -> new Baseline(usual((int) m), usual((int) m) / 2, (double) usual((int) m), null);
  }

  private static List<Seen> firesAndResolves(int fired, int resolved) {
    return List.of(new Seen(fired, RuleState.Transition.FIRED),
        new Seen(resolved, RuleState.Transition.RESOLVED));
  }

  @Test
  void aSpikeFiresOnItsFifthMinuteAndResolvesFiveMinutesAfterItEnds() {
    int from = 2 * DAY + 14 * 60;
    List<Seen> seen = replay(rule(Kind.SPIKE, 3, 0, 5),
        traffic(1, from, from + 30, m -> usual((int) m) * 5), usualBaseline());
    assertEquals(firesAndResolves(from + 4, from + 30 + 4), seen);
  }

  @Test
  void aDropFiresAfterTenMinutesAndResolvesTenAfterTrafficReturns() {
    int from = 3 * DAY + 10 * 60;
    List<Seen> seen = replay(rule(Kind.DROP, 2, 0, 10),
        traffic(2, from, from + 60, m -> usual((int) m) / 4), usualBaseline());
    assertEquals(firesAndResolves(from + 9, from + 60 + 9), seen);
  }

  @Test
  void aSpikeOrDropNeedsHistory() {
    int from = 2 * DAY + 14 * 60;
    assertEquals(List.of(), replay(rule(Kind.SPIKE, 3, 0, 5),
        traffic(1, from, from + 30, m -> 500L), m -> Baseline.NONE));
    assertEquals(List.of(), replay(rule(Kind.DROP, 2, 0, 5),
        traffic(1, from, from + 30, m -> 0L), m -> Baseline.NONE));
  }

  @Test
  void aboveAndBelowFireOnTheirFixedNumbers() {
    int from = 4 * DAY + 9 * 60;
    assertEquals(firesAndResolves(from, from + 45), replay(rule(Kind.ABOVE, 0, 50, 1),
        traffic(3, from, from + 45, m -> 80L), m -> Baseline.NONE));
    assertEquals(firesAndResolves(from + 2, from + 45 + 2), replay(rule(Kind.BELOW, 0, 1, 3),
        traffic(4, from, from + 45, m -> 0L), m -> Baseline.NONE));
  }

  @Test
  void noiseAroundTheThresholdDoesNotFlap() {
    // from Tuesday 09:00 for six hours the figure wavers between 46 and 54 around 50, then
    // falls back to the usual 20-30: one alert, resolved once
    int from = DAY + 9 * 60;
    Random random = new Random(7);
    long[] wave = new long[360];
    for (int i = 0; i < wave.length; i++) {
      wave[i] = 46 + random.nextInt(9);
    }
    LongFunction<MinutePoint> noisy = traffic(5, from, from + 360, m -> wave[(int) m - from]);
    List<Seen> above = replay(rule(Kind.ABOVE, 0, 50, 1), noisy, m -> Baseline.NONE);
    assertEquals(2, above.size(), above.toString());
    assertEquals(RuleState.Transition.FIRED, above.get(0).transition());
    assertTrue(above.get(0).minuteOfWeek() >= from && above.get(0).minuteOfWeek() < from + 30);
    assertEquals(new Seen(from + 360, RuleState.Transition.RESOLVED), above.get(1));

    // the same wave under a "below 50" rule: it fires while the wave is low, and the wave's
    // highs (at most 54, inside the band up to 55) never resolve it until it ends
    List<Seen> below = replay(rule(Kind.BELOW, 0, 50, 1), noisy, m -> Baseline.NONE);
    // the usual traffic is below 50 from the first minute; the wave is the noise
    assertEquals(List.of(new Seen(0, RuleState.Transition.FIRED)), below);
  }

  @Test
  void silenceFiresWhenTrafficIsExpectedAndNotAtNight() {
    // the tracker breaks on Friday at 12:00 and is fixed at 13:00; nights have no pageviews
    int from = 4 * DAY + 12 * 60;
    LongFunction<MinutePoint> week = m -> {
      int i = (int) m;
      int hour = i % DAY / 60;
      boolean day = hour >= 8 && hour < 22;
      boolean broken = i >= from && i < from + 60;
      long views = day && !broken ? 3 : 0;
      return new MinutePoint(START + m, views == 0 ? 0 : usual(i), 0, views, 0);
    };
    LongFunction<Baseline> expected = m -> {
      long u = usual((int) m) > 2 ? usual((int) m) : 0;
      return new Baseline(u, 0L, (double) u, null);
    };
    assertEquals(firesAndResolves(from + 14, from + 60 + 14),
        replay(rule(Kind.SILENCE, 0, 0, 15), week, expected));
    assertEquals(List.of(), replay(rule(Kind.SILENCE, 0, 0, 15), week, m -> Baseline.NONE),
        "without history silence never fires");
  }

  @Test
  void aSilenceIntoTheNightStaysFiringUntilTrafficReturns() {
    // broken from Wednesday 21:00 until Thursday 09:00
    int from = 2 * DAY + 21 * 60;
    int to = 3 * DAY + 9 * 60;
    LongFunction<MinutePoint> week = m -> {
      int i = (int) m;
      int hour = i % DAY / 60;
      long views = hour >= 8 && hour < 22 && (i < from || i >= to) ? 3 : 0;
      return new MinutePoint(START + m, views, 0, views, 0);
    };
    LongFunction<Baseline> expected = m -> {
      int hour = (int) m % DAY / 60;
      long u = hour >= 8 && hour < 22 ? 20 : 0;
      return new Baseline(u, 0L, (double) u, null);
    };
    assertEquals(firesAndResolves(from + 4, to + 4),
        replay(rule(Kind.SILENCE, 0, 0, 5), week, expected));
  }
}
