package pulse.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client address (IPv6: per /64), so one client cannot hold every file
 * descriptor. Counted by the socket peer, since nothing of a request has been read when a
 * connection opens; trusted proxies are not counted, as they carry every client's connections.
 */
public final class ConnectionLimiter {
  /** What {@link #admit} returns for a trusted proxy: admitted, counted nowhere. */
  private static final String UNCOUNTED = "";

  private final int maxPerAddress;
  private final ProxyTrust proxies;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  public ConnectionLimiter(int maxPerAddress, ProxyTrust proxies) {
    this.maxPerAddress = maxPerAddress;
    this.proxies = proxies;
  }

  /**
   * Counts a new connection from this peer address.
   *
   * @return the key to {@link #release} when the connection closes, or null when the address
   *     already holds its maximum (the connection is not counted then)
   */
  public String admit(String peer) {
    if (proxies.trusts(peer)) {
      return UNCOUNTED;
    }
    String key = IpAddresses.limitKey(peer);
    boolean[] admitted = {false};
    open.compute(key, (k, count) -> {
      int now = count == null ? 0 : count;
      admitted[0] = now < maxPerAddress;
      return admitted[0] ? now + 1 : count;
    });
    return admitted[0] ? key : null;
  }

  /** Uncounts a connection that {@link #admit} admitted. */
  public void release(String key) {
    if (key != null && !key.equals(UNCOUNTED)) {
      open.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }
  }

  /** Open connections counted for this peer address (tests check the count goes back). */
  public int open(String peer) {
    return open.getOrDefault(IpAddresses.limitKey(peer), 0);
  }
}
