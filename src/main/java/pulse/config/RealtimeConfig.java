package pulse.config;

/**
 * How live figures reach dashboards (pulse.json "realtime").
 *
 * @param tickMillis the snapshot tick, in milliseconds: at most one snapshot per site and window
 *     per tick
 * @param fallbackMillis how often streams re-read their figures when no change note arrives, in
 *     milliseconds (this moves the window along while no events come)
 * @param keepAliveMillis how long a stream may go without a frame before it gets a keep-alive
 *     comment, in milliseconds
 * @param maxStreams the most streams open at once on this instance; over it 503
 * @param maxStreamsPerIp the most streams one client address may hold open at once; over it 429
 * @param stuckStreamMillis how long a stream's writes may stay blocked before it is closed, in
 *     milliseconds
 * @param maxFiltersPerSite the most distinct filter sets ({@code ?filter=}) one site may have read
 *     within a minute; a new one past it is answered 429
 * @param ticketSecret the HMAC secret of stream tickets, the same on every instance, at least 16
 *     characters (PULSE_TICKET_SECRET); null: a random one per start (fine for a single instance)
 */
public record RealtimeConfig(
    long tickMillis,
    long fallbackMillis,
    long keepAliveMillis,
    int maxStreams,
    int maxStreamsPerIp,
    long stuckStreamMillis,
    int maxFiltersPerSite,
    String ticketSecret) {}
