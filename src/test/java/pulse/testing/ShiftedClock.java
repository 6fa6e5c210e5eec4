package pulse.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus a shift the test moves ahead: for a server that a real browser talks to
 * in real time (its heartbeats keep coming), where a test still needs minutes to pass at once.
 */
public final class ShiftedClock extends Clock {
  private final AtomicLong shiftMillis = new AtomicLong();

  public void advanceSeconds(long seconds) {
    shiftMillis.addAndGet(seconds * 1000L);
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + shiftMillis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
