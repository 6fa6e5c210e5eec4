package pulse.config;

/**
 * The sliding windows realtime figures are counted over (pulse.json "windows"); a request picks
 * its window with {@code ?window=}.
 *
 * @param defaultSeconds the window of a request that names none, in seconds; at most maxSeconds
 * @param maxSeconds the longest window a request may ask for, in seconds (at most 3600); recent
 *     events are kept at least this long
 */
public record WindowConfig(int defaultSeconds, int maxSeconds) {}
