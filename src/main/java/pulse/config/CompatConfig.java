package pulse.config;

/**
 * Which compatibility APIs Pulse serves (pulse.json "compat"); each is on unless switched off.
 *
 * @param plausibleTracker POST /api/event, Plausible's tracker payload
 * @param umamiTracker POST /api/send, Umami's tracker payload
 * @param plausibleStats Plausible's Stats API: GET /api/v1/stats/realtime/visitors and POST
 *     /api/v2/query
 * @param fathom Fathom's GET /v1/current_visitors
 */
public record CompatConfig(
    boolean ztas,
    boolean zenovay,
    boolean versatailor,
    boolean datafast,
    boolean umami,
    boolean plausibleTracker,
    boolean umamiTracker,
    boolean plausibleStats,
    boolean fathom) {
  public static final CompatConfig ALL = new CompatConfig(true, true, true, true, true, true, true);

  /** The first seven switches; the drop-in APIs added after them are on. */
  public CompatConfig(boolean ztas, boolean zenovay, boolean versatailor, boolean datafast,
      boolean umami, boolean plausibleTracker, boolean umamiTracker) {
    this(ztas, zenovay, versatailor, datafast, umami, plausibleTracker, umamiTracker, true, true);
  }
}
