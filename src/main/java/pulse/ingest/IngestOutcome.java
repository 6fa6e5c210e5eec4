package pulse.ingest;

/**
 * What became of one ingest request. The pipeline returns it; the route that received the request
 * turns it into its protocol's answer (Pulse's 202, a product tracker's own success body, or a
 * status with a JSON error).
 */
public sealed interface IngestOutcome {
  /** The events are in the write-behind buffer and will be stored. */
  record Accepted(int events) implements IngestOutcome {}

  /**
   * A step dropped the events on purpose (a bot, referrer spam): answered as a success, so that
   * the sender has no reason to retry, and never stored.
   *
   * @param step the name of the pipeline step that dropped them
   */
  record Dropped(String step, int events) implements IngestOutcome {}

  /**
   * Refused: nothing was taken.
   *
   * @param retryAfterSeconds when the client may retry (a Retry-After header); 0: no advice
   * @param events how many events the request carried (1 when it could not be read)
   */
  record Refused(Refusal reason, String message, long retryAfterSeconds, int events)
      implements IngestOutcome {}
}
