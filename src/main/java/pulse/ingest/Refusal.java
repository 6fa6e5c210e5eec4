package pulse.ingest;

/**
 * Why ingest refused a request. Ingest says why; the HTTP route that received the request picks
 * the status for it. {@link #metricName()} is the {@code reason} label of the rejected-events
 * counter.
 */
public enum Refusal {
  /** The body or one of its fields is wrong. */
  INVALID("invalid"),
  /** The Origin, or an event's URL, is not a domain of the site. */
  FORBIDDEN_ORIGIN("forbidden"),
  /** No public or private site has that id (or tracks that domain). */
  UNKNOWN_SITE("unknown_site"),
  /** The body is larger than the configured limit. */
  TOO_LARGE("too_large"),
  /** Neither JSON nor text/plain. */
  CONTENT_TYPE("content_type"),
  /** The address or the site sent more than its limit per minute. */
  RATE_LIMITED("rate_limited"),
  /** The store is away and the write-behind buffer is full. */
  BUFFER_FULL("buffer_full"),
  /** The store does not answer, so no visitor id can be made. */
  STORE_UNAVAILABLE("store_unavailable");

  private final String metricName;

  Refusal(String metricName) {
    this.metricName = metricName;
  }

  public String metricName() {
    return metricName;
  }
}
