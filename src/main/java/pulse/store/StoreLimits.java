package pulse.store;

import pulse.config.PulseConfig;

/** The bounds both stores keep, so a flood or a long history cannot grow memory without end. */
public record StoreLimits(
    long sessionGapMillis,
    long retainMillis,
    int maxPageviewsPerSite,
    int maxVisitorsPerSite,
    int dayRetentionDays) {

  public static StoreLimits from(PulseConfig config) {
    // keep a little more than the longest window, and never less than a session gap
    long retain = Math.max(config.maxWindowSeconds() * 1000L, config.sessionGapMillis()) + 60_000L;
    return new StoreLimits(config.sessionGapMillis(), retain, config.maxPageviewsPerSite(),
        config.maxVisitorsPerSite(), config.dayRetentionDays());
  }

  public long dayTtlSeconds() {
    return dayRetentionDays * 86_400L;
  }
}
