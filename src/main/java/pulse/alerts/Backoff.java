package pulse.alerts;

/**
 * When a failed webhook is tried again: after 5 s, then twice as long each time (at most 10
 * minutes apart), until an hour after the first attempt.
 */
public record Backoff(long firstDelayMillis, long maxDelayMillis, long giveUpAfterMillis) {
  public static final Backoff DEFAULT = new Backoff(5_000, 600_000, 3_600_000);

  /**
   * The wait before the next attempt, or -1 to give up.
   *
   * @param attempts attempts made so far (at least 1)
   * @param firstAttemptAt when the first was made (ms)
   * @param now the clock's time (ms)
   */
  public long nextDelay(int attempts, long firstAttemptAt, long now) {
    long delay = firstDelayMillis;
    for (int i = 1; i < attempts && delay < maxDelayMillis; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, maxDelayMillis);
    return now + delay - firstAttemptAt > giveUpAfterMillis ? -1 : delay;
  }
}
