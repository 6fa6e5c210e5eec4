package pulse.config;

/**
 * Which compatibility APIs Pulse serves (pulse.json "compat"); each is on unless switched off.
 *
 * @param plausibleTracker POST /api/event, Plausible's tracker payload
 * @param umamiTracker POST /api/send, Umami's tracker payload
 * @param matomo Matomo's Reporting API: GET/POST /index.php?module=API (Live.*)
 * @param matomoTracker Matomo's tracking API: /matomo.php and /piwik.php
 */
public record CompatConfig(
    boolean ztas,
    boolean zenovay,
    boolean versatailor,
    boolean datafast,
    boolean umami,
    boolean plausibleTracker,
    boolean umamiTracker,
    boolean matomo,
    boolean matomoTracker) {
  public static final CompatConfig ALL =
      new CompatConfig(true, true, true, true, true, true, true, true, true);
}
