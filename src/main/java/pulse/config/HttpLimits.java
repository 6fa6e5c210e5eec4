package pulse.config;

/**
 * What the HTTP server allows a slow or greedy client (pulse.json "http").
 *
 * @param bodyTimeoutMillis how long a POST may take from its headers to its answer (the body
 *     must have arrived by then): 408 and the connection closed after it
 * @param requestTimeoutMillis how long a request's headers and body together may take to arrive,
 *     counted from when the connection opened or its previous answer ended; the connection is
 *     closed after it (this is also how long an idle keep-alive connection stays open)
 * @param maxConnectionsPerIp open connections per client address (IPv6: per /64); more are
 *     closed at once
 */
public record HttpLimits(int bodyTimeoutMillis, int requestTimeoutMillis,
    int maxConnectionsPerIp) {}
