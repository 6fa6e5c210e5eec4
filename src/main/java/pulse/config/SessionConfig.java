package pulse.config;

/**
 * How visits are grouped and how long daily figures last (the top-level keys sessionGapMinutes
 * and dayRetentionDays of pulse.json).
 *
 * @param sessionGapMinutes how long a visitor may stay quiet before their next pageview starts a
 *     new session, in minutes
 * @param dayRetentionDays how long daily figures are kept, in days
 */
public record SessionConfig(int sessionGapMinutes, int dayRetentionDays) {

  /** The session gap in milliseconds, the unit events are timed in. */
  public long sessionGapMillis() {
    return sessionGapMinutes * 60_000L;
  }
}
