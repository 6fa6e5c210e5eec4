package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import pulse.testing.MutableClock;

class RateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T14:32:20.250Z"));
  private final RateLimiter limiter = new RateLimiter(clock);

  @Test
  void theLimitHoldsPerKeyPerClockMinuteAndSaysWhenToRetry() {
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.acquire("a", 3));
    }
    // 39.75 s are left of the minute: retry after 40
    assertEquals(40, limiter.acquire("a", 3));
    assertEquals(40, limiter.acquire("a", 3));
    assertEquals(0, limiter.acquire("b", 3), "another key has its own count");
    clock.set(Instant.parse("2026-11-23T14:32:59.999Z"));
    assertEquals(1, limiter.acquire("a", 3));
    clock.set(Instant.parse("2026-11-23T14:33:00.000Z"));
    assertEquals(0, limiter.acquire("a", 3), "a new minute starts a new count");
  }

  @Test
  void keysOfPastMinutesAreDroppedOnceManyGathered() {
    for (int i = 0; i < 10_001; i++) {
      limiter.acquire("ip" + i, 5);
    }
    assertEquals(10_001, limiter.size());
    clock.advanceSeconds(60);
    limiter.acquire("fresh", 5);
    assertEquals(1, limiter.size());
    assertTrue(limiter.acquire("fresh", 1) > 0);
  }
}
