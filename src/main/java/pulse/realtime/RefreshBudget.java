package pulse.realtime;

/**
 * When one group of streams (a site, window and view) may compute a new snapshot, and how new
 * that snapshot must be. Pure bookkeeping: every method is told the time, so a test moves time by
 * hand; the hub reads its clock and runs the computations.
 *
 * <ul>
 *   <li>A change note makes the group <em>dirty</em>: its next snapshot must be computed at or
 *       after the oldest note not yet shown.</li>
 *   <li>Computations are paid from a credit refilled at one per tick and held to two: on average
 *       one per tick however busy the site, but a change arriving a little less than a tick after
 *       the last one (a site with an event every second, and some jitter) is still pushed at once,
 *       instead of the pushes locking onto a tick boundary that lags every change.</li>
 *   <li>One computation at a time; a note that arrives during one is served after it.</li>
 *   <li>Without notes, a fallback read every {@code fallbackMillis} moves the window on.</li>
 * </ul>
 */
final class RefreshBudget {
  private static final double MAX_CREDIT = 2;

  private final long tickMillis;
  private final long fallbackMillis;
  private double credit = MAX_CREDIT;
  /** When the credit was last refilled; 0 until the first refill. */
  private long creditAt;
  private boolean dirty;
  /** When the oldest change note not yet shown arrived: the next snapshot must be newer. */
  private long dirtySince;
  private long lastComputed;
  private boolean computing;

  RefreshBudget(long tickMillis, long fallbackMillis) {
    this.tickMillis = tickMillis;
    this.fallbackMillis = fallbackMillis;
  }

  /** A change note arrived: the group is dirty until a computation begins after it. */
  void noteChange(long now) {
    if (!dirty) {
      dirty = true;
      dirtySince = now;
    }
  }

  /** True while a change note has not been taken up by a computation. */
  boolean changePending() {
    return dirty;
  }

  boolean computing() {
    return computing;
  }

  /** True when the credit holds a whole computation. */
  boolean mayCompute(long now) {
    refill(now);
    return credit >= 1;
  }

  /**
   * What the periodic timer asks: a pending change with credit to pay for it, or no computation
   * for {@code fallbackMillis}.
   */
  boolean dueAt(long now) {
    return (dirty && mayCompute(now)) || now - lastComputed >= fallbackMillis;
  }

  /** How long until the credit holds a whole computation again (at least 1 ms). */
  long millisUntilCredit(long now) {
    refill(now);
    return Math.max(1, (long) Math.ceil((1 - credit) * tickMillis));
  }

  /**
   * A computation begins now and is paid for. Returns the time the snapshot must be computed at or
   * after: the oldest pending change note, or with none, the start of the current tick.
   */
  long begin(long now) {
    if (computing) {
      throw new IllegalStateException("a computation is running already");
    }
    computing = true;
    long notBefore = dirty ? dirtySince : now - tickMillis + 1;
    dirty = false;
    lastComputed = now;
    refill(now);
    credit = Math.max(0, credit - 1);
    return notBefore;
  }

  /** The computation ended; true when a change note arrived meanwhile and wants another. */
  boolean end() {
    computing = false;
    return dirty;
  }

  private void refill(long now) {
    if (creditAt == 0) {
      creditAt = now;
    }
    credit = Math.min(MAX_CREDIT, credit + (double) Math.max(0, now - creditAt) / tickMillis);
    creditAt = now;
  }
}
