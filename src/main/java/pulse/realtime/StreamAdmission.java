package pulse.realtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The caps on open streams: at most {@code maxStreams} on this instance (the route answers 503)
 * and {@code maxPerAddress} from one client address (429). A slot is reserved before a stream's
 * headers are written and released when the stream closes. Admissions come from the HTTP event
 * loops and releases from the hub's context, so the counts are atomic; an address's count is
 * dropped when it reaches zero, so the table holds only addresses with open streams.
 */
public final class StreamAdmission {
  /** What a request for a new stream is told. */
  public enum Decision { OK, INSTANCE_FULL, IP_FULL }

  private final int maxStreams;
  private final int maxPerAddress;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public StreamAdmission(int maxStreams, int maxPerAddress) {
    this.maxStreams = maxStreams;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Reserves a slot; on {@link Decision#OK} the caller must {@link #release} it once.
   *
   * @param addressKey the client's address as the per-address cap counts it
   */
  public Decision admit(String addressKey) {
    if (closed) {
      return Decision.INSTANCE_FULL;
    }
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      return Decision.INSTANCE_FULL;
    }
    if (perAddress.merge(addressKey, 1, Integer::sum) > maxPerAddress) {
      releaseAddress(addressKey);
      open.decrementAndGet();
      return Decision.IP_FULL;
    }
    return Decision.OK;
  }

  /** Gives back a slot that {@link #admit} granted. */
  public void release(String addressKey) {
    open.decrementAndGet();
    releaseAddress(addressKey);
  }

  private void releaseAddress(String addressKey) {
    perAddress.computeIfPresent(addressKey, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** Streams holding a slot. */
  public int open() {
    return open.get();
  }

  /** How many addresses hold a slot (the size of the per-address table). */
  int addresses() {
    return perAddress.size();
  }

  /** The instance is shutting down: every later request is refused as if it were full. */
  void close() {
    closed = true;
  }
}
